import { PrivateRegistryEndpoints } from '../../../../nag-rules/rules/network/private-registry-endpoints';
import { check, failures, idsOfType, productTemplate, messages, unresolvedFinding } from '../../rule-harness';
import { vpcTemplate } from './fixtures';

describe('NET-6 PrivateRegistryEndpoints', () => {
  test('compliant: ecr.api, ecr.dkr and sts interface endpoints with private DNS', () => {
    expect(check(PrivateRegistryEndpoints, vpcTemplate(), 'Vpc').status).toBe('pass');
  });
  test('non-compliant: an endpoint missing, or without private DNS', () => {
    expect(
      check(
        PrivateRegistryEndpoints,
        vpcTemplate((r) => {
          delete r.Sts;
        }),
        'Vpc',
      ).findings,
    ).toEqual([{ message: 'VPC Vpc has no sts interface endpoint' }]);
    expect(
      check(
        PrivateRegistryEndpoints,
        vpcTemplate((r) => {
          r.EcrDkr.Properties.PrivateDnsEnabled = false;
        }),
        'Vpc',
      ).findings,
    ).toEqual([
      {
        message:
          'endpoint EcrDkr for ecr.dkr has no private DNS: the ecr.dkr hostname still resolves to the public endpoint',
      },
    ]);
  });
  test('non-compliant: an endpoint of another VPC does not count', () => {
    const result = check(
      PrivateRegistryEndpoints,
      vpcTemplate((r) => {
        r.EcrApi.Properties.VpcId = 'vpc-other';
      }),
      'Vpc',
    );
    expect(messages(result)).toEqual(['VPC Vpc has no ecr.api interface endpoint']);
  });
  test('unresolved: private DNS from a parameter, or a service name from a parameter', () => {
    expect(
      check(
        PrivateRegistryEndpoints,
        vpcTemplate((r) => {
          r.Sts.Properties.PrivateDnsEnabled = { Ref: 'Dns' };
        }),
        'Vpc',
      ).findings[0],
    ).toMatchObject({ unresolved: true });
    const service = check(
      PrivateRegistryEndpoints,
      vpcTemplate((r) => {
        r.Sts.Properties.ServiceName = { Ref: 'Service' };
      }),
      'Vpc',
    );
    expect(service.findings).toEqual([unresolvedFinding(/^the sts endpoint of VPC Vpc/)]);
  });
  test('the real product passes, and fails on its VPC once the ECR registry endpoint is removed', () => {
    const template = productTemplate();
    expect(failures(PrivateRegistryEndpoints, template)).toEqual([]);
    const [vpc] = idsOfType(template, 'AWS::EC2::VPC');
    const dkr = idsOfType(template, 'AWS::EC2::VPCEndpoint').filter((id) =>
      JSON.stringify(template.Resources[id].Properties.ServiceName).includes('.ecr.dkr'),
    );
    expect(dkr.length).toBe(1);
    delete template.Resources[dkr[0]];
    expect(failures(PrivateRegistryEndpoints, template).map((e) => [e.logicalId, e.findings])).toEqual([
      [vpc, [{ message: `VPC ${vpc} has no ecr.dkr interface endpoint` }]],
    ]);
  });
});
