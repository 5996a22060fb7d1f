import { matchesEventPattern } from '../../core/event-pattern';
import { asArray, parseJsonDocument } from '../../core/intrinsics';
import { privilegedFunctions } from '../../core/privileged-functions';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal, why } from '../../core/values';

/** CloudTrail names of calls that change a function's code, configuration or permissions, and of an invocation (a data event). */
export const ALERTED_CHANGE_EVENTS = [
  'UpdateFunctionCode20150331v2',
  'UpdateFunctionConfiguration20150331v2',
  'AddPermission20150331v2',
] as const;
export const ALERTED_INVOKE_EVENT = 'Invoke';

/** Callers the alert must report: an IAM user, and a session of some other role. */
const OUTSIDERS: Record<string, unknown>[] = [
  { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory' },
  {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::111122223333:assumed-role/Developer/mallory',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Developer' } },
  },
];

/** The enabled EventBridge rules of the template that publish to an SNS topic of the template, with their patterns. */
function alertRules(model: TemplateModel): { rules: { id: string; pattern: unknown }[]; unreadable: RuleFinding[] } {
  const rules: { id: string; pattern: unknown }[] = [];
  const unreadable: RuleFinding[] = [];
  for (const [id, rule] of model.resourcesOfType('AWS::Events::Rule')) {
    const props = rule.Properties ?? {};
    const state = literal(props.State);
    if (state.known && state.value === 'DISABLED') continue;
    const toTopic = asArray(props.Targets).some(
      (t) =>
        isObject(t) && model.referencedIds(t.Arn).some((target) => model.resource(target)?.Type === 'AWS::SNS::Topic'),
    );
    if (!toTopic || props.EventPattern === undefined) continue;
    const parsed = parseJsonDocument(props.EventPattern);
    if (parsed.ok) rules.push({ id, pattern: parsed.value });
    else unreadable.push(unresolved(`The event pattern of ${id}`, why(props.EventPattern)));
  }
  return { rules, unreadable };
}

/** The CloudTrail event of a Lambda call on a function named by `functionName`, made by `caller`. */
function lambdaEvent(
  eventName: string,
  functionName: unknown,
  caller: Record<string, unknown>,
): Record<string, unknown> {
  return {
    source: 'aws.lambda',
    'detail-type': 'AWS API Call via CloudTrail',
    account: '111122223333',
    region: 'eu-west-1',
    detail: {
      eventSource: 'lambda.amazonaws.com',
      eventName,
      requestParameters: { functionName },
      userIdentity: caller,
    },
  };
}

/**
 * DET-6: an alert reaches the topic when anyone outside the deployment changes a privileged function (code,
 * configuration, permissions) or invokes it, whether the caller names it by name or by ARN.
 */
export const PrivilegedFunctionsAlerted: ThreatModelRule = {
  controlId: 'DET-6',
  threats: ['TH-3', 'AC-4', 'AC-5'],
  level: 'warning',
  kind: 'missing-control',
  description:
    'For every Lambda function whose role has an access entry on a cluster of the template or may write IAM policies (or that may ' +
    'invoke such a function), an enabled ' +
    `EventBridge rule of the template with an SNS topic of the template as target matches the CloudTrail events ${ALERTED_CHANGE_EVENTS.join(', ')} ` +
    `and ${ALERTED_INVOKE_EVENT} on that function (by name and by ARN) made by an IAM user and by another role's session`,
  explanation:
    'The guardrail policy denies changing or invoking the cluster-admin functions to the principals it is attached to; a role ' +
    "it is not attached to still can, and that is a takeover of the cluster (TH-3) outside EKS's own audit of access entries. " +
    'CloudTrail records the calls; the alert makes someone look. Invocations are Lambda data events: the organization trail must record them.',
  resourceTypes: ['AWS::Lambda::Function'],
  evaluate({ model, logicalId }) {
    const fn = privilegedFunctions(model).get(logicalId);
    if (!fn) return NOT_APPLICABLE;
    const { rules, unreadable } = alertRules(model);
    const names = [{ Ref: logicalId }, { 'Fn::GetAtt': [logicalId, 'Arn'] }];
    const missed: string[] = [];
    for (const eventName of [...ALERTED_CHANGE_EVENTS, ALERTED_INVOKE_EVENT]) {
      const silent = names.flatMap((name) =>
        OUTSIDERS.filter(
          (caller) => !rules.some((r) => matchesEventPattern(r.pattern, lambdaEvent(eventName, name, caller))),
        ).map((caller) => `${eventName} by ${String(caller.type)} naming it by ${'Ref' in name ? 'name' : 'ARN'}`),
      );
      missed.push(...silent);
    }
    if (missed.length === 0) return COMPLIANT;
    if (unreadable.length) return unreadable;
    return [
      {
        message: `${logicalId} is privileged (${fn.why}), and no alert rule reaches an SNS topic on: ${missed.join('; ')}`,
      },
    ];
  },
};
