import { ProductRolesBounded } from '../../../../nag-rules/rules/identity/product-roles-bounded';
import { check, checkSole, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const BOUNDARY = {
  'Fn::Join': [
    '',
    ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':policy/hardened-eks-boundary/HardenedEksRoleBoundary'],
  ],
};
const role = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: {}, ...properties },
});
const withCluster = (resources: Record<string, unknown>) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: {} }, ...resources });

describe('IDN-9 ProductRolesBounded', () => {
  test('compliant: every role of a cluster template carries the same boundary', () => {
    const template = withCluster({
      A: role({ PermissionsBoundary: BOUNDARY }),
      B: role({ PermissionsBoundary: BOUNDARY }),
    });
    expect(check(ProductRolesBounded, template, 'A').status).toBe('pass');
    expect(check(ProductRolesBounded, template, 'B').status).toBe('pass');
  });
  test('non-compliant: a role without a boundary, or with another boundary than its siblings', () => {
    const missing = check(ProductRolesBounded, withCluster({ A: role() }), 'A');
    expect(missing.status).toBe('fail');
    expect(missing.findings[0].message).toMatch(/no PermissionsBoundary/);
    const other = withCluster({
      A: role({ PermissionsBoundary: BOUNDARY }),
      B: role({ PermissionsBoundary: 'arn:aws:iam::1:policy/loose' }),
    });
    expect(check(ProductRolesBounded, other, 'B').findings[0].message).toMatch(/differs from that of A/);
  });
  test('unresolved: a boundary that a condition drops in one branch', () => {
    const conditional = withCluster({
      A: role({ PermissionsBoundary: { 'Fn::If': ['Bounded', BOUNDARY, { Ref: 'AWS::NoValue' }] } }),
    });
    expect(check(ProductRolesBounded, conditional, 'A').findings).toEqual([unresolvedFinding()]);
  });
  test('not applicable: a template without a cluster (a hub with its launch role)', () => {
    expect(checkSole(ProductRolesBounded, { A: role() }).status).toBe('not-applicable');
  });
  test('the real product passes, and fails on the role whose boundary is removed', () => {
    const product = productTemplate();
    expect(failures(ProductRolesBounded, product)).toEqual([]);
    const weakened = productTemplate();
    const nodeRole = productIdOf(weakened, 'AWS::IAM::Role', 'NodeRole');
    delete weakened.Resources[nodeRole].Properties.PermissionsBoundary;
    expect(failures(ProductRolesBounded, weakened).map((f) => f.logicalId)).toEqual([nodeRole]);
  });
});
