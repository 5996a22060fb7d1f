import { Stack } from 'aws-cdk-lib';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { EksThreatModelChecks } from '../../../../nag-rules/eks-threat-model-pack';
import {
  checkedRetentionFloor,
  DEFAULT_EVIDENCE_RETENTION_DAYS,
  EvidenceRetention,
  evidenceRetention,
} from '../../../../nag-rules/rules/detection/evidence-retention';
import { ALL_RULES } from '../../../../nag-rules/rules';
import { check, checkSole, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

const logGroup = (retention?: unknown) => ({
  Type: 'AWS::Logs::LogGroup',
  Properties: retention === undefined ? {} : { RetentionInDays: retention },
});
const bucket = (properties: Record<string, unknown>) => ({ Type: 'AWS::S3::Bucket', Properties: properties });
const locked = (retention: Record<string, unknown> | undefined) =>
  bucket({
    ObjectLockEnabled: true,
    ObjectLockConfiguration: {
      ObjectLockEnabled: 'Enabled',
      ...(retention ? { Rule: { DefaultRetention: retention } } : {}),
    },
  });

describe('DET-7 EvidenceRetention', () => {
  test('the pack judges 90 days unless told otherwise', () => {
    expect(DEFAULT_EVIDENCE_RETENTION_DAYS).toBe(90);
    expect(ALL_RULES).toContain(EvidenceRetention);
  });

  test('compliant: no retention (kept for ever), 90 days or more, Object Lock for a year, lifecycle expiry after the floor', () => {
    expect(checkSole(EvidenceRetention, { L: logGroup() }).status).toBe('pass');
    expect(checkSole(EvidenceRetention, { L: logGroup(90) }).status).toBe('pass');
    expect(checkSole(EvidenceRetention, { B: locked({ Mode: 'COMPLIANCE', Years: 1 }) }).status).toBe('pass');
    expect(
      checkSole(EvidenceRetention, {
        B: bucket({
          LifecycleConfiguration: {
            Rules: [
              { Status: 'Enabled', ExpirationInDays: 365 },
              { Status: 'Disabled', ExpirationInDays: 1 },
            ],
          },
        }),
      }).status,
    ).toBe('pass');
    expect(checkSole(EvidenceRetention, { B: bucket({}) }).status).toBe('pass');
  });

  test("non-compliant: a short log retention (literal or among a parameter's allowed values), a short or missing Object Lock retention, early expiry", () => {
    expect(messageLines(checkSole(EvidenceRetention, { L: logGroup(30) }))).toBe(
      "The log group's RetentionInDays is 30 days, under the floor of 90 days",
    );
    const parameter = templateOf(
      { L: logGroup({ Ref: 'Days' }) },
      { Parameters: { Days: { Type: 'Number', AllowedValues: [7, 365] } } },
    );
    expect(messageLines(check(EvidenceRetention, parameter, 'L'))).toMatch(/is 7 days/);
    const choice = templateOf({ L: logGroup({ 'Fn::If': ['Short', 14, 365] }) });
    expect(messageLines(check(EvidenceRetention, choice, 'L'))).toMatch(/is 14 days/);
    expect(messageLines(checkSole(EvidenceRetention, { B: locked({ Mode: 'COMPLIANCE', Days: 30 }) }))).toMatch(
      /Object Lock default retention is 30 days/,
    );
    expect(messageLines(checkSole(EvidenceRetention, { B: locked(undefined) }))).toMatch(
      /Object Lock without a default retention/,
    );
    expect(
      messageLines(
        checkSole(EvidenceRetention, {
          B: bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 30 }] } }),
        }),
      ),
    ).toMatch(/ExpirationInDays is 30 days/);
    expect(
      messageLines(
        checkSole(EvidenceRetention, {
          B: bucket({ LifecycleConfiguration: { Rules: [{ ExpirationDate: '2027-01-01' }] } }),
        }),
      ),
    ).toMatch(/expires every object on 2027-01-01/);
  });

  test('unresolved: a retention from a parameter without allowed values, Object Lock from a condition', () => {
    const parameter = checkSole(
      EvidenceRetention,
      { L: logGroup({ Ref: 'Days' }) },
      { Parameters: { Days: { Type: 'Number' } } },
    );
    expect(parameter.findings).toEqual([unresolvedFinding()]);
    const lock = checkSole(EvidenceRetention, {
      B: bucket({ ObjectLockEnabled: { 'Fn::If': ['Lock', true, false] } }),
    });
    expect(lock.findings).toEqual([unresolvedFinding()]);
  });

  test("the floor is configurable: through the rule factory and the pack's evidenceRetentionDays option; a bad floor is refused naming the option", () => {
    expect(checkSole(evidenceRetention(400), { L: logGroup(365) }).status).toBe('fail');
    expect(checkSole(evidenceRetention(30), { L: logGroup(30) }).status).toBe('pass');
    const stack = new Stack();
    new CfnLogGroup(stack, 'Logs', { retentionInDays: 365 });
    const judge = (days?: number) => {
      const pack = new EksThreatModelChecks(undefined, { evidenceRetentionDays: days });
      pack.validateScope(stack);
      return pack.evaluations.filter((e) => e.controlId === 'DET-7').map((e) => e.status);
    };
    expect(judge()).toEqual(['pass']);
    expect(judge(400)).toEqual(['fail']);
    for (const bad of [0, -5, 1.5, Number.NaN]) {
      expect(() => new EksThreatModelChecks(undefined, { evidenceRetentionDays: bad })).toThrow(
        `Invalid EksThreatModel option 'evidenceRetentionDays': ${JSON.stringify(bad)} is not a whole number of days (at least 1)`,
      );
    }
    expect(checkedRetentionFloor(90)).toBe(90);
  });

  test('noncurrent versions: kept at least the floor passes, a one-day expiry fails, a parameter without allowed values is unresolved', () => {
    const noncurrent = (days: unknown, form: 'object' | 'legacy' = 'object') =>
      bucket({
        LifecycleConfiguration: {
          Rules: [
            form === 'object'
              ? { Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: days } }
              : { Status: 'Enabled', NoncurrentVersionExpirationInDays: days },
          ],
        },
      });
    expect(checkSole(EvidenceRetention, { B: noncurrent(365) }).status).toBe('pass');
    expect(messageLines(checkSole(EvidenceRetention, { B: noncurrent(1) }))).toMatch(
      /noncurrent \(overwritten or deleted\) versions is 1 days, under the floor of 90 days/,
    );
    expect(checkSole(EvidenceRetention, { B: noncurrent(30, 'legacy') }).status).toBe('fail');
    const fromParameter = checkSole(
      EvidenceRetention,
      { B: noncurrent({ Ref: 'Days' }) },
      { Parameters: { Days: { Type: 'Number' } } },
    );
    expect(fromParameter.findings).toEqual([unresolvedFinding()]);
  });

  test('the real product keeps deleted access records of the evidence as long as the evidence, and fails once they go after a day', () => {
    const product = productTemplate();
    const accessLogs = productIdOf(product, 'AWS::S3::Bucket', 'EvidenceAccessLogs');
    expect(failures(EvidenceRetention, product)).toEqual([]);
    product.Resources[
      accessLogs
    ].Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NoncurrentDays = 1;
    expect(failures(EvidenceRetention, product).map((e) => e.logicalId)).toEqual([accessLogs]);
  });

  test('the real product passes, and fails on the control-plane log group at 30 days and on the evidence bucket with a 7-day lock', () => {
    expect(failures(EvidenceRetention, productTemplate())).toEqual([]);
    const product = productTemplate();
    const logs = productIdOf(product, 'AWS::Logs::LogGroup', 'HardenedClusterControlPlaneLogs');
    const evidence = productIdOf(product, 'AWS::S3::Bucket', 'EvidenceBucket');
    product.Resources[logs].Properties.RetentionInDays = 30;
    product.Resources[evidence].Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days = 7;
    expect(
      failures(EvidenceRetention, product)
        .map((e) => e.logicalId)
        .sort(),
    ).toEqual([evidence, logs].sort());
  });
});
