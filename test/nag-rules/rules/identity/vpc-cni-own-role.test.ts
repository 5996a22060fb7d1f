import { VpcCniOwnRole } from '../../../../nag-rules/rules/identity/vpc-cni-own-role';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const addon = (properties: Record<string, unknown>) => ({
  Type: 'AWS::EKS::Addon',
  Properties: { AddonName: 'vpc-cni', ClusterName: { Ref: 'C' }, ...properties },
});
const template = (
  resources: Record<string, unknown>,
  clusterProperties: Record<string, unknown> = {},
  parameters: Record<string, unknown> = {},
) =>
  templateOf(
    { C: { Type: 'AWS::EKS::Cluster', Properties: clusterProperties }, ...resources },
    { Parameters: parameters },
  );

describe('IDN-4 VpcCniOwnRole', () => {
  test('compliant: IRSA role, Pod Identity association on the add-on, or a separate association for aws-node', () => {
    expect(
      check(VpcCniOwnRole, template({ A: addon({ ServiceAccountRoleArn: { 'Fn::GetAtt': ['R', 'Arn'] } }) }), 'A')
        .status,
    ).toBe('pass');
    expect(
      check(
        VpcCniOwnRole,
        template({
          A: addon({ PodIdentityAssociations: [{ RoleArn: 'arn:aws:iam::1:role/cni', ServiceAccount: 'aws-node' }] }),
        }),
        'A',
      ).status,
    ).toBe('pass');
    const separate = template({
      A: addon({}),
      P: {
        Type: 'AWS::EKS::PodIdentityAssociation',
        Properties: {
          ClusterName: { Ref: 'C' },
          Namespace: 'kube-system',
          ServiceAccount: 'aws-node',
          RoleArn: 'arn:aws:iam::1:role/cni',
        },
      },
    });
    expect(check(VpcCniOwnRole, separate, 'A').status).toBe('pass');
  });
  test('non-compliant: a vpc-cni add-on without its own role', () => {
    const result = check(VpcCniOwnRole, template({ A: addon({}) }), 'A');
    expect(result.status).toBe('fail');
    expect(result.findings[0].message).toMatch(/the CNI uses the node role/);
    const otherAccount = template({
      A: addon({ PodIdentityAssociations: [{ RoleArn: 'arn:aws:iam::1:role/x', ServiceAccount: 'other' }] }),
    });
    expect(check(VpcCniOwnRole, otherAccount, 'A').status).toBe('fail');
  });
  test('cluster: no vpc-cni add-on fails, one passes, Auto Mode is not applicable', () => {
    expect(check(VpcCniOwnRole, template({ K: addon({ AddonName: 'kube-proxy' }) }), 'C').findings[0].message).toMatch(
      /no vpc-cni managed add-on/,
    );
    expect(check(VpcCniOwnRole, template({ A: addon({}) }), 'C').status).toBe('pass');
    expect(check(VpcCniOwnRole, template({}, { ComputeConfig: { Enabled: true } }), 'C').status).toBe('not-applicable');
    const v1 = templateOf({ C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: {} } } });
    expect(check(VpcCniOwnRole, v1, 'C').status).toBe('fail');
  });
  test('other add-ons are not applicable', () => {
    expect(check(VpcCniOwnRole, template({ K: addon({ AddonName: 'coredns' }) }), 'K').status).toBe('not-applicable');
  });
  test('unresolved: the add-on name from a parameter; the role dropped in one Fn::If branch', () => {
    const name = check(
      VpcCniOwnRole,
      template({ A: addon({ AddonName: { Ref: 'Name' } }) }, {}, { Name: { Type: 'String' } }),
      'A',
    );
    expect(name.findings).toEqual([unresolvedFinding()]);
    const conditional = check(
      VpcCniOwnRole,
      template({
        A: addon({ ServiceAccountRoleArn: { 'Fn::If': ['Irsa', 'arn:aws:iam::1:role/cni', { Ref: 'AWS::NoValue' }] } }),
      }),
      'A',
    );
    expect(conditional.findings).toEqual([unresolvedFinding()]);
  });
  test('the real product passes, and fails on the add-on without its role and on the cluster without the add-on', () => {
    const product = productTemplate();
    expect(failures(VpcCniOwnRole, product)).toEqual([]);
    const cni = idsOfType(product, 'AWS::EKS::Addon').find(
      (id) => product.Resources[id].Properties.AddonName === 'vpc-cni',
    )!;
    const [clusterId] = idsOfType(product, 'AWS::EKS::Cluster');
    const noRole = productTemplate();
    delete noRole.Resources[cni].Properties.ServiceAccountRoleArn;
    expect(failures(VpcCniOwnRole, noRole).map((e) => e.logicalId)).toEqual([cni]);
    const noAddon = productTemplate();
    delete noAddon.Resources[cni];
    expect(failures(VpcCniOwnRole, noAddon).map((e) => e.logicalId)).toEqual([clusterId]);
  });
  test("non-compliant: the add-on's role is the node group's role; unresolved: a role ARN from a parameter", () => {
    const onNodeRole = template({
      R: { Type: 'AWS::IAM::Role', Properties: {} },
      N: {
        Type: 'AWS::EKS::Nodegroup',
        Properties: { ClusterName: { Ref: 'C' }, NodeRole: { 'Fn::GetAtt': ['R', 'Arn'] } },
      },
      A: addon({ ServiceAccountRoleArn: { 'Fn::GetAtt': ['R', 'Arn'] } }),
    });
    expect(check(VpcCniOwnRole, onNodeRole, 'A').status).toBe('fail');
    const fromParameter = check(
      VpcCniOwnRole,
      template({ A: addon({ ServiceAccountRoleArn: { Ref: 'CniRole' } }) }, {}, { CniRole: { Type: 'String' } }),
      'A',
    );
    expect(fromParameter.findings).toEqual([unresolvedFinding()]);
  });
});
