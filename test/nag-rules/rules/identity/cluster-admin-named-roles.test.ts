import { ClusterAdminNamedRoles } from '../../../../nag-rules/rules/identity/cluster-admin-named-roles';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const policyArn = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks::aws:cluster-access-policy/${name}`]],
});
const entry = (principal: unknown, policy = 'AmazonEKSClusterAdminPolicy', scope: unknown = { Type: 'cluster' }) => ({
  Type: 'AWS::EKS::AccessEntry',
  Properties: {
    ClusterName: { Ref: 'C' },
    PrincipalArn: principal,
    AccessPolicies: [{ PolicyArn: policyArn(policy), AccessScope: scope }],
  },
});
const template = (e: unknown, parameters: Record<string, unknown> = {}) =>
  templateOf(
    {
      C: { Type: 'AWS::EKS::Cluster', Properties: {} },
      Admin: { Type: 'AWS::IAM::Role', Properties: {} },
      User: { Type: 'AWS::IAM::User', Properties: {} },
      E: e,
    },
    { Parameters: parameters },
  );
const ROLE_PATTERN = '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$';

describe('IDN-1 ClusterAdminNamedRoles', () => {
  test('compliant: a literal role ARN, a role of the template, a role ARN built from pseudo parameters', () => {
    expect(
      check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:role/BreakGlass')), 'E').status,
    ).toBe('pass');
    expect(check(ClusterAdminNamedRoles, template(entry({ 'Fn::GetAtt': ['Admin', 'Arn'] })), 'E').status).toBe('pass');
    const built = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/BreakGlass' };
    expect(check(ClusterAdminNamedRoles, template(entry(built)), 'E').status).toBe('pass');
  });
  test('compliant: a parameter whose AllowedPattern only matches role ARNs of one account', () => {
    const oneAccount = '^arn:aws:iam::111122223333:role/[\\w+=,.@-]{1,64}$';
    const result = check(
      ClusterAdminNamedRoles,
      template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedPattern: oneAccount } }),
      'E',
    );
    expect(result.status).toBe('pass');
    // Role ARNs of any account: since v1.2.0 a finding (a launch could name a foreign role).
    expect(
      check(
        ClusterAdminNamedRoles,
        template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedPattern: ROLE_PATTERN } }),
        'E',
      ).status,
    ).toBe('fail');
  });
  test('non-compliant: account root, user, wildcard', () => {
    const root = check(
      ClusterAdminNamedRoles,
      template(entry({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })),
      'E',
    );
    expect(root.findings[0].message).toMatch(/an account root/);
    expect(
      check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:user/alice')), 'E').findings[0].message,
    ).toMatch(/an IAM user/);
    expect(
      check(ClusterAdminNamedRoles, template(entry({ 'Fn::GetAtt': ['User', 'Arn'] })), 'E').findings[0].message,
    ).toMatch(/IAM user User/);
    expect(check(ClusterAdminNamedRoles, template(entry('*')), 'E').findings[0].message).toMatch(/a wildcard/);
    expect(check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:role/Admin*')), 'E').status).toBe(
      'fail',
    );
  });
  test('non-compliant: cluster-admin at namespace scope', () => {
    const result = check(
      ClusterAdminNamedRoles,
      template(
        entry('arn:aws:iam::111122223333:role/A', 'AmazonEKSClusterAdminPolicy', {
          Type: 'namespace',
          Namespaces: ['x'],
        }),
      ),
      'E',
    );
    expect(result.findings).toEqual([
      { message: 'AmazonEKSClusterAdminPolicy is granted at scope namespace, not cluster' },
    ]);
  });
  test('AmazonEKSAdminPolicy: judged at cluster scope, not applicable at namespace scope', () => {
    expect(
      check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:root', 'AmazonEKSAdminPolicy')), 'E')
        .status,
    ).toBe('fail');
    const namespaced = entry('arn:aws:iam::111122223333:root', 'AmazonEKSAdminPolicy', {
      Type: 'namespace',
      Namespaces: ['x'],
    });
    expect(check(ClusterAdminNamedRoles, template(namespaced), 'E').status).toBe('not-applicable');
    expect(
      check(ClusterAdminNamedRoles, template(entry('arn:aws:iam::111122223333:root', 'AmazonEKSViewPolicy')), 'E')
        .status,
    ).toBe('not-applicable');
  });
  test('non-compliant: a parameter whose pattern or allowed values admit other principals', () => {
    const loose = check(
      ClusterAdminNamedRoles,
      template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedPattern: '^arn:aws:iam::\\d{12}:.+$' } }),
      'E',
    );
    expect(loose.findings[0].message).toMatch(
      /does not limit cluster-admin to IAM role ARNs \(it accepts arn:aws:iam::111122223333:root/,
    );
    const values = check(
      ClusterAdminNamedRoles,
      template(entry({ Ref: 'P' }), { P: { Type: 'String', AllowedValues: ['arn:aws:iam::111122223333:root'] } }),
      'E',
    );
    expect(values.findings[0].message).toMatch(/allows an account root/);
  });
  test('non-compliant: a parameter that takes a whole role ARN lets a launch pick another account', () => {
    const anyAccount = check(
      ClusterAdminNamedRoles,
      template(entry({ Ref: 'P' }), {
        P: { Type: 'String', AllowedPattern: '^arn:aws:iam::\\d{12}:role/[\\w+=,.@-]+$' },
      }),
      'E',
    );
    expect(anyAccount.findings).toEqual([
      {
        message: expect.stringMatching(
          /parameter 'P' takes a whole role ARN, so a launch can name a role of another account/,
        ),
      },
    ]);
    // A name joined into this account's ARN is compliant; the account joined from a parameter is not.
    const join = (account: unknown) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', account, ':role/', { Ref: 'Name' }]],
    });
    const name = { Name: { Type: 'String', AllowedPattern: '^[\\w+=,.@-]{1,64}$' } };
    expect(check(ClusterAdminNamedRoles, template(entry(join({ Ref: 'AWS::AccountId' })), name), 'E').status).toBe(
      'pass',
    );
    const chosen = check(
      ClusterAdminNamedRoles,
      template(entry(join({ Ref: 'Account' })), { ...name, Account: { Type: 'String', AllowedPattern: '^\\d{12}$' } }),
      'E',
    );
    expect(chosen.findings).toEqual([
      { message: expect.stringMatching(/parameter 'Account' chooses the account of the cluster-admin role/) },
    ]);
    const wildName = check(
      ClusterAdminNamedRoles,
      template(entry(join({ Ref: 'AWS::AccountId' })), { Name: { Type: 'String', AllowedPattern: '^.+$' } }),
      'E',
    );
    expect(wildName.findings[0].message).toMatch(/parameter 'Name' AllowedPattern "\^\.\+\$" accepts \*, Admin\*/);
    const imported = check(ClusterAdminNamedRoles, template(entry(join({ 'Fn::ImportValue': 'Account' })), name), 'E');
    expect(imported.findings[0]).toEqual(unresolvedFinding());
  });
  test('unresolved: an unconstrained parameter, an import, a policy chosen by a parameter', () => {
    const free = check(ClusterAdminNamedRoles, template(entry({ Ref: 'P' }), { P: { Type: 'String' } }), 'E');
    expect(free.findings).toEqual([unresolvedFinding(/parameter 'P'/)]);
    expect(check(ClusterAdminNamedRoles, template(entry({ 'Fn::ImportValue': 'AdminArn' })), 'E').findings[0]).toEqual(
      unresolvedFinding(),
    );
    const policyParameter = template(
      {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          PrincipalArn: 'arn:aws:iam::111122223333:role/A',
          AccessPolicies: [{ PolicyArn: { Ref: 'Policy' }, AccessScope: { Type: 'cluster' } }],
        },
      },
      { Policy: { Type: 'String' } },
    );
    expect(check(ClusterAdminNamedRoles, policyParameter, 'E').findings[0]).toEqual(unresolvedFinding());
  });
  test('the real product passes, and fails on the consumer admin entry once its parameter admits a wildcard or another account', () => {
    const product = productTemplate();
    expect(failures(ClusterAdminNamedRoles, product)).toEqual([]);
    const entries = idsOfType(product, 'AWS::EKS::AccessEntry');
    const consumer = entries.find((id) =>
      JSON.stringify(product.Resources[id].Properties.PrincipalArn).includes('"ClusterAdminRoleName"'),
    )!;
    const loose = productTemplate();
    loose.Parameters.ClusterAdminRoleName.AllowedPattern = '^.+$';
    expect(failures(ClusterAdminNamedRoles, loose).map((e) => e.logicalId)).toEqual([consumer]);
    // The door of v1.1.0: a whole role ARN from the launch (any account).
    const foreign = productTemplate();
    foreign.Parameters.ClusterAdminRoleArn = {
      Type: 'String',
      AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$',
    };
    foreign.Resources[consumer].Properties.PrincipalArn = { Ref: 'ClusterAdminRoleArn' };
    expect(failures(ClusterAdminNamedRoles, foreign).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [consumer, expect.stringMatching(/another account/)],
    ]);
    const breakGlass = entries.find((id) =>
      JSON.stringify(product.Resources[id].Properties.PrincipalArn).includes(':role/HardenedEksBreakGlass'),
    )!;
    const root = productTemplate();
    root.Resources[breakGlass].Properties.PrincipalArn = 'arn:aws:iam::111122223333:root';
    expect(failures(ClusterAdminNamedRoles, root).map((e) => e.logicalId)).toEqual([breakGlass]);
  });
});
