import { PrivilegedFunctionsGuarded } from '../../../../nag-rules/rules/identity/privileged-functions-guarded';
import { check, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messages } from '../../rule-findings';
import { arnOf } from '../template-values';
import { accessEntryFor, functionRunningAs, policyOfRole } from '../privileged-function-fixtures';

/*
 * A cluster-admin function (its role has an access entry with AmazonEKSClusterAdminPolicy), a provider function whose
 * role may invoke it, and a guardrail managed policy.
 */
const LAUNCH = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/Launch']],
};
const qualified = (id: string) => ({ 'Fn::Join': ['', [arnOf(id), '*']] });
const role = () => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
  },
});
const deny = (sid: string, actions: string[], resources: unknown[], exempt: unknown[], operator = 'ArnNotEquals') => ({
  Sid: sid,
  Effect: 'Deny',
  Action: actions,
  Resource: resources,
  Condition: { [operator]: { 'aws:PrincipalArn': exempt } },
});
const GUARDRAIL = [
  deny('InvokeHandler', ['lambda:Invoke*'], [qualified('Handler')], [arnOf('ProviderRole')]),
  deny('InvokeProvider', ['lambda:Invoke*'], [qualified('Provider')], [LAUNCH]),
  deny(
    'Change',
    [
      'lambda:Update*',
      'lambda:AddPermission',
      'iam:PassRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
    ],
    [qualified('Handler'), qualified('Provider'), arnOf('HandlerRole'), arnOf('ProviderRole')],
    [LAUNCH],
  ),
];

function template(statements: unknown[] = GUARDRAIL, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return templateOf({
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c' } },
    HandlerRole: role(),
    ProviderRole: role(),
    Handler: functionRunningAs('HandlerRole'),
    Provider: functionRunningAs('ProviderRole'),
    Other: functionRunningAs('ProviderRole'),
    AdminEntry: accessEntryFor('HandlerRole', {
      AccessPolicies: [
        {
          PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          AccessScope: { Type: 'cluster' },
        },
      ],
    }),
    ProviderPolicy: policyOfRole('ProviderRole', [
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [arnOf('Handler')] },
    ]),
    Guardrail: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { PolicyDocument: { Version: '2012-10-17', Statement: statements } },
    },
    ...extra,
  });
}

describe('IDN-8 PrivilegedFunctionsGuarded', () => {
  test('compliant: the cluster-admin function and the function that invokes it are guarded (a function sharing the provider role is privileged too, and unguarded)', () => {
    expect(check(PrivilegedFunctionsGuarded, template(), 'Handler').status).toBe('pass');
    expect(check(PrivilegedFunctionsGuarded, template(), 'Provider').status).toBe('pass');
    // Other shares the provider's role, so it may invoke the handler too: it is privileged, and unguarded.
    expect(check(PrivilegedFunctionsGuarded, template(), 'Other').status).toBe('fail');
    const alone = template();
    delete (alone.Resources as any).AdminEntry;
    expect(check(PrivilegedFunctionsGuarded, alone, 'Handler').status).toBe('not-applicable');
  });

  test('a function with RBAC access (an incident responder) or IAM writes (a revoker) is privileged too', () => {
    const responder = template();
    Object.assign(responder.Resources as any, {
      ResponderRole: role(),
      Responder: functionRunningAs('ResponderRole'),
      ResponderEntry: accessEntryFor('ResponderRole', { KubernetesGroups: ['responders'] }),
      RevokerRole: role(),
      Revoker: functionRunningAs('RevokerRole'),
      RevokerPolicy: policyOfRole('RevokerRole', [
        { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::111122223333:role/workloads/*' },
      ]),
    });
    expect(messages(check(PrivilegedFunctionsGuarded, responder, 'Responder'))[0]).toMatch(
      /^Responder is privileged \(its role ResponderRole acts in the cluster \(access entry ResponderEntry\)\)/,
    );
    expect(messages(check(PrivilegedFunctionsGuarded, responder, 'Revoker'))[0]).toMatch(
      /^Revoker is privileged \(its role RevokerRole may iam:PutRolePolicy\)/,
    );
  });

  test('non-compliant: no guardrail at all', () => {
    expect(messages(check(PrivilegedFunctionsGuarded, template([]), 'Handler'))).toEqual([
      expect.stringMatching(
        /^Handler is privileged \(its role HandlerRole is cluster-admin \(access entry AdminEntry\)\); only its callers may invoke it: no customer-managed policy of the template denies lambda:InvokeFunction on Handler/,
      ),
      expect.stringMatching(
        /only the deployment may change it: no customer-managed policy .* denies lambda:UpdateFunctionCode on Handler/,
      ),
      expect.stringMatching(/denies lambda:UpdateFunctionConfiguration on Handler/),
      expect.stringMatching(/denies lambda:AddPermission on Handler/),
      expect.stringMatching(/only the deployment may pass or change its role: .* denies iam:PassRole on HandlerRole/),
      expect.stringMatching(/denies iam:UpdateAssumeRolePolicy on HandlerRole/),
      expect.stringMatching(/denies iam:PutRolePolicy on HandlerRole/),
      expect.stringMatching(/denies iam:AttachRolePolicy on HandlerRole/),
    ]);
  });

  test('non-compliant: a wildcard exemption, an exempted role that is no caller, a deny that holds only off the corporate network', () => {
    const wildcard = [
      deny('Invoke', ['lambda:Invoke*'], [qualified('Handler')], ['arn:aws:iam::111122223333:role/*']),
      ...GUARDRAIL.slice(1),
    ];
    expect(messages(check(PrivilegedFunctionsGuarded, template(wildcard), 'Handler'))).toEqual([
      expect.stringMatching(
        /the deny of lambda:InvokeFunction on Handler in Guardrail \(it exempts every principal matching arn:aws:iam::111122223333:role\/\*\) does not hold/,
      ),
    ]);
    const node = [
      deny('Invoke', ['lambda:Invoke*'], [qualified('Handler')], [arnOf('ProviderRole'), arnOf('NodeRole')]),
      ...GUARDRAIL.slice(1),
    ];
    expect(messages(check(PrivilegedFunctionsGuarded, template(node, { NodeRole: role() }), 'Handler'))).toEqual([
      expect.stringMatching(/it exempts NodeRole, which is not among the function's callers/),
    ]);
    const offNetwork = GUARDRAIL.map((s: any) =>
      s.Sid === 'Change'
        ? { ...s, Condition: { ...s.Condition, NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } }
        : s,
    );
    expect(messages(check(PrivilegedFunctionsGuarded, template(offNetwork), 'Provider'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /the deny of lambda:UpdateFunctionCode on Provider in Guardrail \(it holds only under the condition NotIpAddress aws:sourceip\)/,
        ),
      ]),
    );
  });

  test('unresolved: the guardrail document comes from a parameter', () => {
    const result = check(
      PrivilegedFunctionsGuarded,
      template(GUARDRAIL, {
        Unknown: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Ref: 'Doc' } } },
        Guardrail: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [] } } },
      }),
      'Handler',
    );
    expect(result.findings.length).toBe(8);
    expect(result.findings.every((f) => f.unresolved && /'Doc'|Doc/.test(f.message))).toBe(true);
  });

  test('the real product passes; it fails on the kubectl handler once the guardrail loses its invoke statement', () => {
    const template = productTemplate();
    expect(failures(PrivilegedFunctionsGuarded, template)).toEqual([]);
    const guardrailId = productIdOf(template, 'AWS::IAM::ManagedPolicy', 'PrivilegedFunctionGuardrail');
    const document = template.Resources[guardrailId].Properties.PolicyDocument;
    document.Statement = document.Statement.filter((s: any) => s.Sid !== 'DenyInvokingKubectlHandler');
    expect(failures(PrivilegedFunctionsGuarded, template).map((e) => [e.logicalId, messages(e)])).toEqual([
      [
        expect.stringMatching(/^HardenedClusterKubectlProviderHandler/),
        [expect.stringMatching(/no customer-managed policy of the template denies lambda:InvokeFunction/)],
      ],
    ]);
  });
});
