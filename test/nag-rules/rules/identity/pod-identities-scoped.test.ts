import { PodIdentitiesScoped } from '../../../../nag-rules/rules/identity/pod-identities-scoped';
import { check, checkSole, failures, idsOfType, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';
import { awsManagedPolicyArn } from '../template-values';

const trustedBy = (...services: string[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: services } }],
    },
  },
});
const association = (properties: Record<string, unknown>) => ({
  Type: 'AWS::EKS::PodIdentityAssociation',
  Properties: {
    ClusterName: 'c',
    Namespace: 'workloads',
    ServiceAccount: 'app',
    RoleArn: { 'Fn::GetAtt': ['R', 'Arn'] },
    ...properties,
  },
});
const fargatePolicy = awsManagedPolicyArn('AmazonEKSFargatePodExecutionRolePolicy');
const profile = (selectors: unknown[] = [{ Namespace: 'batch' }]) => ({
  Type: 'AWS::EKS::FargateProfile',
  Properties: { ClusterName: 'c', PodExecutionRoleArn: { 'Fn::GetAtt': ['F', 'Arn'] }, Selectors: selectors },
});
const fargateRole = (extra: Record<string, unknown> = {}) => {
  const r = trustedBy('eks-fargate-pods.amazonaws.com');
  return {
    ...r,
    Properties: {
      ...r.Properties,
      ManagedPolicyArns: [fargatePolicy],
      ...extra,
    },
  };
};

describe('IDN-14 PodIdentitiesScoped', () => {
  test('compliant: a named service account with a role only Pod Identity assumes; a Fargate profile with a bare pod execution role', () => {
    expect(
      check(PodIdentitiesScoped, templateOf({ R: trustedBy('pods.eks.amazonaws.com'), A: association({}) }), 'A')
        .status,
    ).toBe('pass');
    expect(check(PodIdentitiesScoped, templateOf({ F: fargateRole(), P: profile() }), 'P').status).toBe('pass');
  });

  test("non-compliant: the default service account (own or an add-on's association), a role nodes may also assume, a fat pod execution role, a namespace wildcard", () => {
    expect(
      messageLines(
        check(
          PodIdentitiesScoped,
          templateOf({ R: trustedBy('pods.eks.amazonaws.com'), A: association({ ServiceAccount: 'default' }) }),
          'A',
        ),
      ),
    ).toMatch(/default service account/);
    const addon = {
      Type: 'AWS::EKS::Addon',
      Properties: {
        AddonName: 'x',
        ClusterName: 'c',
        PodIdentityAssociations: [{ ServiceAccount: 'default', RoleArn: { 'Fn::GetAtt': ['R', 'Arn'] } }],
      },
    };
    expect(
      messageLines(check(PodIdentitiesScoped, templateOf({ R: trustedBy('pods.eks.amazonaws.com'), A: addon }), 'A')),
    ).toMatch(/default service account/);
    expect(
      messageLines(
        check(
          PodIdentitiesScoped,
          templateOf({ R: trustedBy('pods.eks.amazonaws.com', 'ec2.amazonaws.com'), A: association({}) }),
          'A',
        ),
      ),
    ).toMatch(/also assumable by Service ec2\.amazonaws\.com/);
    expect(
      messageLines(
        check(PodIdentitiesScoped, templateOf({ R: trustedBy('ec2.amazonaws.com'), A: association({}) }), 'A'),
      ),
    ).toMatch(/does not trust pods\.eks\.amazonaws\.com/);
    const admin = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] };
    expect(
      messageLines(
        check(
          PodIdentitiesScoped,
          templateOf({ F: fargateRole({ ManagedPolicyArns: [fargatePolicy, admin] }), P: profile() }),
          'P',
        ),
      ),
    ).toMatch(/holds more than AmazonEKSFargatePodExecutionRolePolicy: AdministratorAccess/);
    expect(
      messageLines(
        check(PodIdentitiesScoped, templateOf({ F: fargateRole(), P: profile([{ Namespace: 'team-*' }]) }), 'P'),
      ),
    ).toMatch(/every namespace matching team-\*/);
  });

  test('unresolved: a service account from a parameter without allowed values, a role outside the template; not applicable: an add-on without associations', () => {
    const parameter = check(
      PodIdentitiesScoped,
      templateOf(
        { R: trustedBy('pods.eks.amazonaws.com'), A: association({ ServiceAccount: { Ref: 'Sa' } }) },
        { Parameters: { Sa: { Type: 'String' } } },
      ),
      'A',
    );
    expect(parameter.findings).toEqual([unresolvedFinding()]);
    const allowed = check(
      PodIdentitiesScoped,
      templateOf(
        { R: trustedBy('pods.eks.amazonaws.com'), A: association({ ServiceAccount: { Ref: 'Sa' } }) },
        { Parameters: { Sa: { Type: 'String', AllowedValues: ['app', 'default'] } } },
      ),
      'A',
    );
    expect(messageLines(allowed)).toMatch(/default service account/);
    const outside = checkSole(PodIdentitiesScoped, {
      A: association({ RoleArn: 'arn:aws:iam::111122223333:role/App' }),
    });
    expect(outside.findings).toEqual([unresolvedFinding()]);
    expect(
      checkSole(PodIdentitiesScoped, { A: { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'coredns' } } }).status,
    ).toBe('not-applicable');
  });

  test('the real product passes, and fails on a Pod Identity association of the kube-bench role to a default service account', () => {
    expect(failures(PodIdentitiesScoped, productTemplate())).toEqual([]);
    const product = productTemplate();
    const cluster = idsOfType(product, 'AWS::EKS::Cluster')[0];
    const roleId = productIdOf(product, 'AWS::IAM::Role', 'KubeBenchServiceAccountRole');
    product.Resources.DefaultAccountIdentity = association({
      ClusterName: { Ref: cluster },
      Namespace: 'workloads',
      ServiceAccount: 'default',
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    const failed = failures(PodIdentitiesScoped, product);
    expect(failed.map((e) => e.logicalId)).toEqual(['DefaultAccountIdentity']);
    expect(messageLines(failed[0])).toMatch(/default service account/);
    expect(messageLines(failed[0])).toMatch(/does not trust pods\.eks\.amazonaws\.com/);
  });
});
