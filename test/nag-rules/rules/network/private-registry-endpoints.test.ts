import { PrivateRegistryEndpoints } from '../../../../nag-rules/rules/network/private-registry-endpoints';
import { failures, idsOfType, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkVpc } from './fixtures';

describe('NET-6 PrivateRegistryEndpoints', () => {
  test('compliant: ecr.api, ecr.dkr and sts interface endpoints with private DNS', () => {
    expect(checkVpc(PrivateRegistryEndpoints).status).toBe('pass');
  });
  test('non-compliant: an endpoint missing, or without private DNS', () => {
    expect(
      checkVpc(PrivateRegistryEndpoints, (r) => {
        delete r.Sts;
      }).findings,
    ).toEqual([{ message: 'VPC Vpc has no sts interface endpoint' }]);
    expect(
      checkVpc(PrivateRegistryEndpoints, (r) => {
        r.EcrDkr.Properties.PrivateDnsEnabled = false;
      }).findings,
    ).toEqual([
      {
        message:
          'endpoint EcrDkr for ecr.dkr has no private DNS: the ecr.dkr hostname still resolves to the public endpoint',
      },
    ]);
  });
  test('non-compliant: an endpoint of another VPC does not count', () => {
    const result = checkVpc(PrivateRegistryEndpoints, (r) => {
      r.EcrApi.Properties.VpcId = 'vpc-other';
    });
    expect(messages(result)).toEqual(['VPC Vpc has no ecr.api interface endpoint']);
  });
  test('unresolved: private DNS from a parameter, or a service name from a parameter', () => {
    expect(
      checkVpc(PrivateRegistryEndpoints, (r) => {
        r.Sts.Properties.PrivateDnsEnabled = { Ref: 'Dns' };
      }).findings[0],
    ).toEqual(unresolvedFinding());
    const service = checkVpc(PrivateRegistryEndpoints, (r) => {
      r.Sts.Properties.ServiceName = { Ref: 'Service' };
    });
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
