import { ADM_ACTIONS, ADM_IDS } from '../../core/admin-api-actions';
import { asArray, parseJsonDocument } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal } from '../../core/values';

/** Access-entry calls that change who may use the Kubernetes API. */
export const ACCESS_ENTRY_CALLS: readonly string[] = [
  'CreateAccessEntry',
  'UpdateAccessEntry',
  'DeleteAccessEntry',
  'AssociateAccessPolicy',
  'DisassociateAccessPolicy',
];

/** DET-3: EventBridge alerts on the admin APIs and access-entry changes, to an encrypted SNS topic. */
export const AdminApiAlerts: ThreatModelRule = {
  controlId: 'DET-3',
  threats: ['TH-3', 'TH-4', 'AC-4', 'AC-5', ...ADM_IDS],
  level: 'warning',
  kind: 'missing-control',
  description:
    'Enabled EventBridge rules of the template match CloudTrail events of eks.amazonaws.com for every ADM-* call and ' +
    `for ${ACCESS_ENTRY_CALLS.join(', ')}, and send them to an SNS topic of the template encrypted with KMS`,
  explanation:
    'The guardrail denies the admin APIs to everyone but break-glass roles (PV-7); an alert on every call shows when ' +
    'those roles are used or the guardrail is bypassed (TH-4), and an alert on access-entry changes shows someone granting ' +
    'themselves Kubernetes access (TH-3). An unencrypted topic would leak who did what.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model }) {
    const alerted = new Set<string>();
    for (const [, rule] of model.resourcesOfType('AWS::Events::Rule')) {
      const props = rule.Properties ?? {};
      const state = literal(props.State);
      if (state.known && typeof state.value === 'string' && state.value.startsWith('DISABLED')) continue;
      if (!targetsEncryptedTopic(model, props.Targets)) continue;
      const parsed = isObject(props.EventPattern) ? undefined : parseJsonDocument(props.EventPattern);
      const pattern = isObject(props.EventPattern) ? props.EventPattern : parsed?.ok ? parsed.value : undefined;
      if (!mentions(pattern, 'eks.amazonaws.com')) continue;
      eventNames(pattern).forEach((n) => {
        alerted.add(n);
      });
    }
    const missing = [...new Set([...ADM_ACTIONS.map((a) => a.replace(/^eks:/, '')), ...ACCESS_ENTRY_CALLS])].filter(
      (n) => !alerted.has(n),
    );
    if (missing.length === 0) return COMPLIANT;
    return [
      {
        message: `no enabled EventBridge rule sends ${missing.join(', ')} (CloudTrail events of eks.amazonaws.com) to a KMS-encrypted SNS topic of the template`,
      },
    ];
  },
};

function targetsEncryptedTopic(model: TemplateModel, targets: unknown): boolean {
  return asArray(targets).some(
    (t) =>
      isObject(t) &&
      model.referencedIds(t.Arn).some((id) => {
        const topic = model.resource(id);
        return topic?.Type === 'AWS::SNS::Topic' && topic.Properties?.KmsMasterKeyId !== undefined;
      }),
  );
}

function mentions(value: unknown, text: string, depth = 0): boolean {
  if (depth > 20) return false;
  if (typeof value === 'string') return value === text;
  if (Array.isArray(value)) return value.some((v) => mentions(v, text, depth + 1));
  return isObject(value) && Object.values(value).some((v) => mentions(v, text, depth + 1));
}

/** Every literal event name an event pattern matches (under any `eventName` key, `$or` branches included). */
function eventNames(pattern: unknown, depth = 0): string[] {
  if (depth > 20 || !isObject(pattern))
    return Array.isArray(pattern) ? pattern.flatMap((p) => eventNames(p, depth + 1)) : [];
  return Object.entries(pattern).flatMap(([key, value]) =>
    key === 'eventName'
      ? asArray(value).filter((v): v is string => typeof v === 'string')
      : eventNames(value, depth + 1),
  );
}
