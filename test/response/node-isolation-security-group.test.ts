import { logicalIdOf } from '../../lib/compliance/acknowledge';
import { PSEUDO_PARAMETERS, resolveIntrinsics } from '../support/intrinsics';
import { ResponseInfrastructure, synthesizeResponseInfrastructure } from './infrastructure-fixture';
import { resourcesOfType } from '../support/project-app';

let fixture: ResponseInfrastructure;
let template: Record<string, any>;
let groupId: string;
beforeAll(() => {
  fixture = synthesizeResponseInfrastructure();
  template = fixture.template;
  groupId = logicalIdOf(fixture.isolation.securityGroup);
});

const refersTo = (value: unknown, id: string) =>
  JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [id, 'GroupId'] });

describe('node isolation security group (IR-2)', () => {
  test('admits nothing: no inline ingress and no ingress rule anywhere that targets it', () => {
    const group = template.Resources[groupId];
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(
      resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) =>
        refersTo(r.Properties.GroupId, groupId),
      ),
    ).toEqual([]);
  });

  test("no inline egress but CDK's placeholder that matches no traffic (allowAllOutbound false)", () => {
    const inline = template.Resources[groupId].Properties.SecurityGroupEgress ?? [];
    for (const rule of inline) expect(rule).toMatchObject({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' });
  });

  test('egress only HTTPS to the S3 prefix list and, when the VPC is created, to the endpoint security group', () => {
    const egress = resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, r]) => refersTo(r.Properties.GroupId, groupId))
      .map(([, r]) => r);
    const [[lookupId]] = resourcesOfType(template, 'Custom::AWS');
    expect(egress).toHaveLength(2);
    const s3 = egress.find((r) => r.Properties.DestinationPrefixListId);
    const endpoints = egress.find((r) => r.Properties.DestinationSecurityGroupId);
    expect(s3.Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(s3.Properties.DestinationPrefixListId).toEqual({ 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] });
    expect(s3.Condition).toBeUndefined();
    expect(endpoints.Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(
      refersTo(endpoints.Properties.DestinationSecurityGroupId, logicalIdOf(fixture.network.endpointSecurityGroup)),
    ).toBe(true);
    expect(endpoints.Condition).toBe(fixture.stack.resolve(fixture.createVpc.logicalId));
  });

  test('the S3 prefix list is looked up by its name in the deploying region, without downloading an SDK', () => {
    const [[, lookup]] = resourcesOfType(template, 'Custom::AWS');
    for (const phase of ['Create', 'Update']) {
      const call = JSON.parse(resolveIntrinsics(lookup.Properties[phase]));
      expect(call).toMatchObject({
        service: 'EC2',
        action: 'describeManagedPrefixLists',
        parameters: {
          Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${PSEUDO_PARAMETERS['AWS::Region']}.s3`] }],
        },
      });
    }
    expect(lookup.Properties.InstallLatestAwsSdk).toBe(false);
    const [[, policy]] = resourcesOfType(template, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('NodeIsolationS3PrefixListLookup'),
    );
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'ec2:DescribeManagedPrefixLists', Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('exposes the security group the runbooks move ENIs into', () => {
    expect(fixture.isolation.securityGroup.allowAllOutbound).toBe(false);
  });
});
