import { ClusterAdminNamedRoles } from '../../../../nag-rules/rules/identity/cluster-admin-named-roles';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';

const policyArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks::aws:cluster-access-policy/${name}`]] });
const entry = (principal: unknown, policy = 'AmazonEKSClusterAdminPolicy', scope: unknown = { Type: 'cluster' }) => ({
  Type: 'AWS::EKS::AccessEntry',
  Properties: { ClusterName: { Ref: 'C' }, PrincipalArn: principal, AccessPolicies: [{ PolicyArn: policyArn(policy), AccessScope: scope }] },
});
const template = (e: unknown, parameters: Record<string, unknown> = {}) => templateOf({
  C: { Type: 'AWS::EKS::Cluster', Properties: {} },
  Admin: { Type: 'AWS::IAM::Role', Properties: {} },
  User: { Type: 'AWS::IAM::User', Properties: {} },
  E: e,
}, { Parameters: parameters });
const ROLE_PATTERN = '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$';

describe('IDN-1 ClusterAdminNamedRoles', () => {
  test('compliant: a literal role ARN, a role of the template, a role ARN built from pseudo parameters', () => {
    expect(check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:role/BreakGlass')), 'E').status).toBe('pass');
    expect(check(ClusterAdminNamedRoles, template(entry({ 'Fn::GetAtt': ['Admin', 'Arn'] })), 'E').status).toBe('pass');
    const built = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/BreakGlass' };
    expect(check(ClusterAdminNamedRoles, template(entry(built)), 'E').status).toBe('pass');
  });
  test('compliant: a parameter whose AllowedPattern only matches role ARNs', () => {
    const result = check(ClusterAdminNamedRoles, template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedPattern: ROLE_PATTERN } }), 'E');
    expect(result.status).toBe('pass');
  });
  test('non-compliant: account root, user, wildcard', () => {
    const root = check(ClusterAdminNamedRoles, template(entry({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })), 'E');
    expect(root.findings[0].message).toMatch(/an account root/);
    expect(check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:user/alice')), 'E').findings[0].message).toMatch(/an IAM user/);
    expect(check(ClusterAdminNamedRoles, template(entry({ 'Fn::GetAtt': ['User', 'Arn'] })), 'E').findings[0].message).toMatch(/IAM user User/);
    expect(check(ClusterAdminNamedRoles, template(entry('*')), 'E').findings[0].message).toMatch(/a wildcard/);
    expect(check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:role/Admin*')), 'E').status).toBe('fail');
  });
  test('non-compliant: cluster-admin at namespace scope', () => {
    const result = check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:role/A', 'AmazonEKSClusterAdminPolicy', { Type: 'namespace', Namespaces: ['x'] })), 'E');
    expect(result.findings).toEqual([{ message: 'AmazonEKSClusterAdminPolicy is granted at scope namespace, not cluster' }]);
  });
  test('AmazonEKSAdminPolicy: judged at cluster scope, not applicable at namespace scope', () => {
    expect(check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:root', 'AmazonEKSAdminPolicy')), 'E').status).toBe('fail');
    const namespaced = entry('arn:aws:iam::111122223333:root', 'AmazonEKSAdminPolicy', { Type: 'namespace', Namespaces: ['x'] });
    expect(check(ClusterAdminNamedRoles, template(namespaced), 'E').status).toBe('not-applicable');
    expect(check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:root', 'AmazonEKSViewPolicy')), 'E').status).toBe('not-applicable');
  });
  test('non-compliant: a parameter whose pattern or allowed values admit other principals', () => {
    const loose = check(ClusterAdminNamedRoles, template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedPattern: '^arn:aws:iam::\\d{12}:.+$' } }), 'E');
    expect(loose.findings[0].message).toMatch(/does not limit cluster-admin to IAM role ARNs \(it accepts arn:aws:iam::111122223333:root/);
    const values = check(ClusterAdminNamedRoles, template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedValues: ['arn:aws:iam::111122223333:root'] } }), 'E');
    expect(values.findings[0].message).toMatch(/allows an account root/);
  });
  test('unresolved: an unconstrained parameter, an import, a policy chosen by a parameter', () => {
    const free = check(ClusterAdminNamedRoles, template(entry({ Ref: 'P' }), { P: { Type: 'String' } }), 'E');
    expect(free.findings).toEqual([expect.objectContaining({ unresolved: true, message: expect.stringMatching(/parameter 'P'/) })]);
    expect(check(ClusterAdminNamedRoles, template(entry({ 'Fn::ImportValue': 'AdminArn' })), 'E').findings[0]).toMatchObject({ unresolved: true });
    const policyParameter = template({ Type: 'AWS::EKS::AccessEntry', Properties: { PrincipalArn: 'arn:aws:iam::111122223333:role/A', AccessPolicies: [{ PolicyArn: { Ref: 'Policy' }, AccessScope: { Type: 'cluster' } }] } }, { Policy: { Type: 'String' } });
    expect(check(ClusterAdminNamedRoles, policyParameter, 'E').findings[0]).toMatchObject({ unresolved: true });
  });
  test('the real product passes, and fails on the consumer admin entry once its parameter admits any ARN', () => {
    const product = productTemplate();
    expect(failures(ClusterAdminNamedRoles, product)).toEqual([]);
    const entries = idsOfType(product, 'AWS::EKS::AccessEntry');
    const consumer = entries.find((id) => product.Resources[id].Properties.PrincipalArn.Ref === 'ClusterAdminRoleArn')!;
    const loose = productTemplate();
    loose.Parameters.ClusterAdminRoleArn.AllowedPattern = '^arn:aws:iam::\\d{12}:.+$';
    expect(failures(ClusterAdminNamedRoles, loose).map((e) => e.logicalId)).toEqual([consumer]);
    const breakGlass = entries.find((id) => typeof product.Resources[id].Properties.PrincipalArn === 'string')!;
    const root = productTemplate();
    root.Resources[breakGlass].Properties.PrincipalArn = 'arn:aws:iam::111122223333:root';
    expect(failures(ClusterAdminNamedRoles, root).map((e) => e.logicalId)).toEqual([breakGlass]);
  });
});
