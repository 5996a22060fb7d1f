import { PrivilegedFunctionsAlerted } from '../../../../nag-rules/rules/detection/privileged-functions-alerted';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { arnOf } from '../template-values';
import { accessEntryFor, functionRunningAs } from '../privileged-function-fixtures';

const names = [{ Ref: 'Handler' }, arnOf('Handler'), { prefix: { 'Fn::Join': ['', [arnOf('Handler'), ':']] } }];
const notBy = (principal: unknown) => [
  { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
  { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [principal] }] } } } },
];
/** The CloudTrail calls of the handler (by name or ARN) with these event names, by anyone but the principal. */
const lambdaCalls = (eventName: unknown[], exempt: unknown) => ({
  source: ['aws.lambda'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['lambda.amazonaws.com'],
    eventName,
    requestParameters: { functionName: names },
    $or: notBy(exempt),
  },
});
const CHANGES = lambdaCalls(
  [{ prefix: 'Update' }, { prefix: 'AddPermission' }],
  'arn:aws:iam::111122223333:role/Launch',
);
const INVOCATIONS = lambdaCalls(['Invoke'], arnOf('ProviderRole'));
const alert = (pattern: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Events::Rule',
  Properties: { EventPattern: pattern, Targets: [{ Id: 't', Arn: { Ref: 'Topic' } }], ...extra },
});

function template(
  alerts: Record<string, unknown> = { Changes: alert(CHANGES), Invocations: alert(INVOCATIONS) },
): Record<string, unknown> {
  return templateOf({
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c' } },
    HandlerRole: { Type: 'AWS::IAM::Role', Properties: {} },
    Handler: functionRunningAs('HandlerRole'),
    Entry: accessEntryFor('HandlerRole', { KubernetesGroups: ['system:masters'] }),
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    ...alerts,
  });
}

describe('DET-6 PrivilegedFunctionsAlerted', () => {
  test('compliant: changes and invocations by outsiders reach the topic, by name and by ARN', () => {
    expect(check(PrivilegedFunctionsAlerted, template(), 'Handler').status).toBe('pass');
  });

  test('not applicable: a function with no access entry and no IAM writes', () => {
    const t = template();
    delete (t.Resources as any).Entry;
    expect(check(PrivilegedFunctionsAlerted, t, 'Handler').status).toBe('not-applicable');
  });

  test('non-compliant: no invocation alert; a disabled rule; a rule without a topic; an alert only on one named principal', () => {
    expect(messages(check(PrivilegedFunctionsAlerted, template({ Changes: alert(CHANGES) }), 'Handler'))).toEqual([
      'Handler is privileged (its role HandlerRole is cluster-admin (access entry Entry)), and no alert rule reaches an SNS topic on: ' +
        'Invoke by IAMUser naming it by name; Invoke by AssumedRole naming it by name; Invoke by IAMUser naming it by ARN; Invoke by AssumedRole naming it by ARN',
    ]);
    expect(
      check(
        PrivilegedFunctionsAlerted,
        template({ Changes: alert(CHANGES), Invocations: alert(INVOCATIONS, { State: 'DISABLED' }) }),
        'Handler',
      ).status,
    ).toBe('fail');
    expect(
      check(
        PrivilegedFunctionsAlerted,
        template({
          Changes: alert(CHANGES),
          Invocations: alert(INVOCATIONS, { Targets: [{ Id: 't', Arn: 'arn:aws:sqs:eu-west-1:1:q' }] }),
        }),
        'Handler',
      ).status,
    ).toBe('fail');
    const onlyMallory = {
      ...CHANGES,
      detail: {
        ...CHANGES.detail,
        $or: undefined,
        userIdentity: { arn: ['arn:aws:iam::111122223333:user/someone-else'] },
      },
    };
    expect(
      messages(
        check(
          PrivilegedFunctionsAlerted,
          template({ Changes: alert(JSON.parse(JSON.stringify(onlyMallory))), Invocations: alert(INVOCATIONS) }),
          'Handler',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /UpdateFunctionCode20150331v2 by IAMUser naming it by name; .*AddPermission20150331v2 by AssumedRole naming it by ARN$/,
      ),
    ]);
  });

  test('unresolved: the event pattern is a parameter', () => {
    const result = check(PrivilegedFunctionsAlerted, template({ Changes: alert({ Ref: 'Pattern' }) }), 'Handler');
    expect(result.findings).toEqual([unresolvedFinding(/event pattern of Changes .*'Pattern'|Pattern/)]);
  });

  test('the real product passes; it fails on the kubectl handler, its provider, the responder and the revoker once the invocation alert is gone', () => {
    const template = productTemplate();
    expect(failures(PrivilegedFunctionsAlerted, template)).toEqual([]);
    for (const id of Object.keys(template.Resources))
      if (id.startsWith('PrivilegedFunctionAlertsInvocations')) delete template.Resources[id];
    expect(
      failures(PrivilegedFunctionsAlerted, template)
        .map((e) => e.logicalId)
        .sort(),
    ).toEqual([
      expect.stringMatching(/^HardenedClusterKubectlProviderHandler/),
      expect.stringMatching(/^HardenedClusterKubectlProviderframeworkonEvent/),
      expect.stringMatching(/^IncidentResponseRoleSessionRevokerFunction/),
      expect.stringMatching(/^KubernetesResponderFunction/),
    ]);
  });
});
