import { ADM_ACTIONS } from '../../../../nag-rules/core/admin-api-actions';
import { AdminApiGuardrailShipped } from '../../../../nag-rules/rules/identity/admin-api-guardrail-shipped';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

/** A Deny of every admin API action, unless the condition holds. */
const denyAdminApi = (Sid: string, Condition: Record<string, unknown>) => ({
  Sid,
  Effect: 'Deny',
  Action: [...ADM_ACTIONS],
  Resource: '*',
  Condition,
});
const toNonAdmins = denyAdminApi('NonAdmins', {
  ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/BreakGlass'] },
});
const outside = denyAdminApi('Outside', { NotIpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] } });
/** Keeps the exempted break-glass name from being created or re-trusted by anyone but itself. */
const protectNames = {
  Sid: 'Protect',
  Effect: 'Deny',
  Action: ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'],
  Resource: ['arn:aws:iam::111122223333:role/BreakGlass'],
  Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/BreakGlass'] } },
};
const template = (resources: Record<string, unknown>) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: {} }, ...resources });
const managedPolicy = (...Statement: unknown[]) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: { PolicyDocument: { Statement } },
});

describe('IDN-6 AdminApiGuardrailShipped', () => {
  test('compliant: a managed policy with both denies, or one by VPC endpoint, or an SCP', () => {
    expect(
      check(AdminApiGuardrailShipped, template({ G: managedPolicy(toNonAdmins, outside, protectNames) }), 'C').status,
    ).toBe('pass');
    const byEndpoint = { ...outside, Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123'] } } };
    expect(
      check(AdminApiGuardrailShipped, template({ G: managedPolicy(toNonAdmins, byEndpoint, protectNames) }), 'C')
        .status,
    ).toBe('pass');
    const wildcard = { ...toNonAdmins, Action: 'eks:*' };
    // A protecting Deny by pattern covers the exempted name too.
    const byPattern = { ...protectNames, Action: 'iam:*', Resource: 'arn:aws:iam::*:role/Break*' };
    const scp = {
      Type: 'AWS::Organizations::Policy',
      Properties: {
        Type: 'SERVICE_CONTROL_POLICY',
        Content: { Statement: [wildcard, { ...outside, Action: 'eks:*' }, byPattern] },
      },
    };
    expect(check(AdminApiGuardrailShipped, template({ S: scp }), 'C').status).toBe('pass');
  });
  test('non-compliant: no guardrail at all', () => {
    expect(check(AdminApiGuardrailShipped, template({}), 'C').findings).toEqual([
      { message: expect.stringMatching(/^no managed policy of the template denies the admin APIs/) },
    ]);
  });
  test('non-compliant: only one kind of deny, or both conditions in one statement', () => {
    expect(messageLines(check(AdminApiGuardrailShipped, template({ G: managedPolicy(toNonAdmins) }), 'C'))).toMatch(
      /outside the corporate network/,
    );
    expect(messageLines(check(AdminApiGuardrailShipped, template({ G: managedPolicy(outside) }), 'C'))).toMatch(
      /outside an aws:PrincipalArn list/,
    );
    const combined = { ...toNonAdmins, Condition: { ...toNonAdmins.Condition, ...outside.Condition } };
    expect(messageLines(check(AdminApiGuardrailShipped, template({ G: managedPolicy(combined) }), 'C'))).toMatch(
      /outside an aws:PrincipalArn list \(without a network condition\)/,
    );
  });
  test('non-compliant: an ADM action left out is named', () => {
    const partial = { ...toNonAdmins, Action: ADM_ACTIONS.filter((a) => a !== 'eks:DeleteCluster') };
    const result = check(AdminApiGuardrailShipped, template({ G: managedPolicy(partial, outside, protectNames) }), 'C');
    expect(result.findings).toEqual([
      {
        message:
          'G does not deny eks:DeleteCluster (ADM-8) to principals outside an aws:PrincipalArn list (without a network condition)',
      },
    ]);
  });
  test('non-compliant: denies that never apply (ArnNotLike "*", NotIpAddress 0.0.0.0/0) do not count', () => {
    const nobody = { ...toNonAdmins, Condition: { ArnNotLike: { 'aws:PrincipalArn': '*' } } };
    const everywhere = { ...outside, Condition: { NotIpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } };
    expect(
      check(AdminApiGuardrailShipped, template({ G: managedPolicy(nobody, everywhere) }), 'C').findings,
    ).toHaveLength(2);
  });
  test('unresolved: a guardrail whose statements cannot be read', () => {
    const g = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: { Statement: [toNonAdmins, protectNames, { 'Fn::If': ['X', { Ref: 'Statement' }, outside] }] },
      },
    };
    const result = check(AdminApiGuardrailShipped, template({ G: g }), 'C');
    expect(result.status).toBe('pass');
    const unreadable = check(
      AdminApiGuardrailShipped,
      template({ G: managedPolicy(toNonAdmins, { Ref: 'Statement' }) }),
      'C',
    );
    expect(unreadable.findings).toEqual(expect.arrayContaining([unresolvedFinding()]));
  });
  test('non-compliant: private ranges as aws:SourceIp (break-glass could never pass)', () => {
    const privateOnly = {
      ...outside,
      Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } },
    };
    const result = check(
      AdminApiGuardrailShipped,
      template({ G: managedPolicy(toNonAdmins, privateOnly, protectNames) }),
      'C',
    );
    expect(result.findings).toEqual([
      {
        message: expect.stringMatching(
          /treats 10\.0\.0\.0\/8, 192\.168\.0\.0\/16 as corporate aws:SourceIp, but private addresses never appear there/,
        ),
      },
    ]);
  });
  test('non-compliant: an exempted role name anyone may create or re-trust (the squatted manager of the review)', () => {
    const result = check(AdminApiGuardrailShipped, template({ G: managedPolicy(toNonAdmins, outside) }), 'C');
    expect(result.findings).toEqual([
      {
        message: expect.stringMatching(
          /exempts arn:aws:iam::111122223333:role\/BreakGlass, but no Deny keeps iam:CreateRole and iam:UpdateAssumeRolePolicy on that name from others/,
        ),
      },
    ]);
    const onlyCreate = { ...protectNames, Action: ['iam:CreateRole'] };
    expect(
      check(AdminApiGuardrailShipped, template({ G: managedPolicy(toNonAdmins, outside, onlyCreate) }), 'C').status,
    ).toBe('fail');
  });
  test('the real product passes, and fails on its cluster once a guardrail statement is weakened', () => {
    const product = productTemplate();
    expect(failures(AdminApiGuardrailShipped, product)).toEqual([]);
    const [clusterId] = idsOfType(product, 'AWS::EKS::Cluster');
    const [guardrail] = idsOfType(product, 'AWS::IAM::ManagedPolicy');
    const noNetwork = productTemplate();
    const doc = noNetwork.Resources[guardrail].Properties.PolicyDocument;
    doc.Statement = doc.Statement.filter((s: any) => !JSON.stringify(s.Condition).includes('aws:SourceIp'));
    expect(failures(AdminApiGuardrailShipped, noNetwork).map((e) => e.logicalId)).toEqual([clusterId]);
    const partial = productTemplate();
    const first = partial.Resources[guardrail].Properties.PolicyDocument.Statement[0];
    first.Action = first.Action.filter((a: string) => a !== 'eks:AssociateIdentityProviderConfig');
    expect(failures(AdminApiGuardrailShipped, partial)[0].findings[0].message).toMatch(
      /eks:AssociateIdentityProviderConfig \(ADM-11\)/,
    );
    const unprotected = productTemplate();
    const statements = unprotected.Resources[guardrail].Properties.PolicyDocument.Statement;
    unprotected.Resources[guardrail].Properties.PolicyDocument.Statement = statements.filter(
      (s: any) => !String(s.Sid).startsWith('Protect'),
    );
    expect(failures(AdminApiGuardrailShipped, unprotected).map((e) => e.findings.map((f) => f.message).join())).toEqual(
      [expect.stringMatching(/inherits the exemption/)],
    );
    const privateEgress = productTemplate();
    const network = privateEgress.Resources[guardrail].Properties.PolicyDocument.Statement.find(
      (s: any) => s.Sid === 'DenyAdminApisOutsideCorporateNetwork',
    );
    network.Condition.NotIpAddress['aws:SourceIp'] = ['10.0.0.0/8'];
    expect(
      failures(AdminApiGuardrailShipped, privateEgress).map((e) => e.findings.map((f) => f.message).join()),
    ).toEqual([expect.stringMatching(/private addresses never appear/)]);
  });
});
