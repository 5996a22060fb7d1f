import { asArray, branchValues } from '../../core/intrinsics';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal, possibleValues } from '../../core/values';

/** The floor when the pack is given none: the days of evidence an investigation needs at the least. */
export const DEFAULT_EVIDENCE_RETENTION_DAYS = 90;

/**
 * DET-7: evidence lasts at least `floorDays`: every log group of the template keeps its events that long (or for ever),
 * and every bucket keeps its objects that long: an Object Lock default retention and lifecycle expirations are not shorter.
 */
export function evidenceRetention(floorDays: number = DEFAULT_EVIDENCE_RETENTION_DAYS): ThreatModelRule {
  return {
    controlId: 'DET-7',
    threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1', 'IR-6'],
    level: 'warning',
    kind: 'missing-control',
    description:
      `Every AWS::Logs::LogGroup keeps events at least ${floorDays} days (RetentionInDays absent or ≥ ${floorDays}), and every AWS::S3::Bucket ` +
      `keeps objects at least ${floorDays} days: an Object Lock default retention of at least that, and no enabled lifecycle rule expiring objects, or their ` +
      `noncurrent (overwritten or deleted) versions, sooner ` +
      "(the floor is the pack's evidenceRetentionDays option)",
    explanation:
      'Control-plane and audit logs, flow logs, Session Manager sessions, kube-bench reports and the incident evidence are what ' +
      'an investigation reads (IR-1, IR-6), often weeks after the intrusion began: a log group or bucket that forgets sooner loses the ' +
      'evidence of every threat before anyone looks (TH-1..TH-4). An Object Lock with a shorter default retention, or Object Lock without ' +
      'one, protects only what each writer asks it to.',
    resourceTypes: ['AWS::Logs::LogGroup', 'AWS::S3::Bucket'],
    evaluate({ model, resource, properties }) {
      const findings =
        resource.Type === 'AWS::Logs::LogGroup'
          ? logGroupFindings(model, properties, floorDays)
          : bucketFindings(model, properties, floorDays);
      return findings.length ? findings : COMPLIANT;
    },
  };
}

/** DET-7 with the default floor (the pack replaces it with the configured one). */
export const EvidenceRetention = evidenceRetention();

/** A valid floor, or an error naming the option. */
export function checkedRetentionFloor(value: unknown, option = 'evidenceRetentionDays'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(
      `Invalid EksThreatModel option '${option}': ${JSON.stringify(value)} is not a whole number of days (at least 1)`,
    );
  }
  return value;
}

/** The rules with DET-7 judging the given floor (unchanged without one); `option` names the setting in errors. */
export function withRetentionFloor(
  rules: readonly ThreatModelRule[],
  floorDays: unknown,
  option?: string,
): readonly ThreatModelRule[] {
  if (floorDays === undefined) return rules;
  const configured = evidenceRetention(checkedRetentionFloor(floorDays, option));
  return rules.map((rule) => (rule.controlId === configured.controlId ? configured : rule));
}

/** Findings for each value a duration can take that is under the floor (`unit`: days per unit of the value). */
function days(model: TemplateModel, value: unknown, what: string, floor: number, unit = 1): RuleFinding[] {
  const values = possibleValues(model, value);
  if (!values.known) return [unresolved(what, values.because)];
  return values.value
    .filter((v) => !(Number(v) * unit >= floor))
    .map((v) => ({
      message: `${what} is ${unit === 1 ? `${v} days` : `${v} years`}, under the floor of ${floor} days`,
    }));
}

function logGroupFindings(model: TemplateModel, properties: Record<string, any>, floor: number): RuleFinding[] {
  return branchValues(properties.RetentionInDays).flatMap((retention) =>
    retention === undefined ? [] : days(model, retention, "The log group's RetentionInDays", floor),
  );
}

function bucketFindings(model: TemplateModel, properties: Record<string, any>, floor: number): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const lock = literal(properties.ObjectLockEnabled);
  if (!lock.known) findings.push(unresolved('Whether the bucket has Object Lock', lock.because));
  else if (isTrue(lock.value)) {
    const rule = isObject(properties.ObjectLockConfiguration) ? properties.ObjectLockConfiguration.Rule : undefined;
    const retention = isObject(rule) ? rule.DefaultRetention : undefined;
    if (!isObject(retention))
      findings.push({
        message:
          'the bucket has Object Lock without a default retention: objects are locked only when their writer asks',
      });
    else if (retention.Years !== undefined)
      findings.push(...days(model, retention.Years, 'The Object Lock default retention', floor, 365));
    else findings.push(...days(model, retention.Days, 'The Object Lock default retention', floor));
  }
  const rules = isObject(properties.LifecycleConfiguration)
    ? asArray(properties.LifecycleConfiguration.Rules).flatMap(branchValues)
    : [];
  for (const rule of rules.filter(isObject)) {
    const status = literal(rule.Status);
    if (status.known && status.value === 'Disabled') continue;
    if (rule.ExpirationInDays !== undefined)
      findings.push(...days(model, rule.ExpirationInDays, "A lifecycle rule's ExpirationInDays", floor));
    // An overwritten or deleted record survives only as a noncurrent version: erasing a log takes only a delete
    // when those versions go sooner than the floor.
    const noncurrent = isObject(rule.NoncurrentVersionExpiration)
      ? rule.NoncurrentVersionExpiration.NoncurrentDays
      : rule.NoncurrentVersionExpirationInDays;
    if (noncurrent !== undefined)
      findings.push(
        ...days(model, noncurrent, "A lifecycle rule's expiry of noncurrent (overwritten or deleted) versions", floor),
      );
    const date = literal(rule.ExpirationDate);
    if (rule.ExpirationDate !== undefined)
      findings.push({
        message: `a lifecycle rule expires every object on ${date.known ? String(date.value) : 'a fixed date'}, whatever its age`,
      });
  }
  return findings;
}
