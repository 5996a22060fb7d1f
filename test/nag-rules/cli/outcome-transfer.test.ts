import * as fs from 'fs';
import * as path from 'path';
import { evaluateTemplateFile } from '../../../nag-rules/cli/evaluate-file';
import type { CheckedInput, InputOutcome } from '../../../nag-rules/cli/check-inputs';
import { packOutcome, unpackOutcome } from '../../../nag-rules/cli/outcome-transfer';
import { ALL_RULES } from '../../../nag-rules/evaluation';
import type { Exemption } from '../../../nag-rules/exemptions/register';

const SNAPSHOTS = path.join(__dirname, '..', '..', '..', 'products', 'hardened-eks', 'snapshots');
const PRODUCT = fs.readdirSync(SNAPSHOTS).find((name) => name.endsWith('.product.template.json'))!;

/** What a message between threads does to a value (postMessage uses the same algorithm). */
const sentThroughAPort = <T>(value: T): T => structuredClone(value);

let checked: CheckedInput;
beforeAll(() => {
  const template = JSON.parse(fs.readFileSync(path.join(SNAPSHOTS, PRODUCT), 'utf8'));
  const failing = evaluateTemplateFile(template, 'product', ALL_RULES).filter((e) => e.status === 'fail');
  // An entry of the register for the first failure: an acknowledged evaluation among hundreds of others.
  const exemption: Exemption = {
    rule: failing[0].ruleId,
    resource: failing[0].logicalId,
    reason: 'Accepted for the test',
    approvedBy: 'Jane Doe',
    approvedOn: '2026-02-01',
    expires: '2999-06-30',
    ticket: 'SEC-1',
  };
  checked = {
    file: path.join(SNAPSHOTS, PRODUCT),
    name: 'product',
    evaluations: evaluateTemplateFile(template, 'product', ALL_RULES, [exemption]),
    rejections: [{ logicalId: 'Cluster', resourceType: 'AWS::EKS::Cluster', message: 'an example' }],
  };
});

test('a checked template comes through a port as it was: every evaluation, field order, findings and acknowledgements', () => {
  const evaluations = checked.evaluations;
  expect(evaluations.length).toBeGreaterThan(400);
  expect(evaluations.filter((e) => e.acknowledged !== undefined)).toHaveLength(1);
  expect(evaluations.some((e) => e.findings.some((f) => f.unresolved))).toBe(true);

  const received = unpackOutcome(sentThroughAPort(packOutcome(checked)));
  expect(received).toStrictEqual(checked);
  // The reports write the fields in the order they were made.
  expect(JSON.stringify(received)).toBe(JSON.stringify(checked));
});

test('each string goes once, and an evaluation as a row of numbers', () => {
  const sent = packOutcome(checked);
  if (!('file' in sent)) throw new Error('a checked input was sent as something else');
  const { strings, rows, findings } = sent.evaluations;
  expect(new Set(strings).size).toBe(strings.length);
  expect(strings.length).toBeLessThan(checked.evaluations.length);
  expect(rows).toBeInstanceOf(Int32Array);
  expect(rows.length).toBe(checked.evaluations.length * 8);
  expect(findings).toHaveLength(checked.evaluations.filter((e) => e.findings.length > 0).length);
});

test.each<[string, InputOutcome]>([
  ['a problem', { problem: 'broken.json: not valid JSON or YAML' }],
  ['a skipped file', { skipped: 'cdk.out/manifest.json' }],
  ['a template without evaluations', { file: 'empty.json', name: 'empty.json', evaluations: [] }],
])('%s comes through as it was', (_, outcome) => {
  expect(unpackOutcome(sentThroughAPort(packOutcome(outcome)))).toStrictEqual(outcome);
});
