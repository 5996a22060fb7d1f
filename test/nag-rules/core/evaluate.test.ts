import { evaluateResource, evaluateTemplate, satisfiedControls } from '../../../nag-rules/core/evaluate';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../../nag-rules/core/rule';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const rule = (controlId: string, evaluate: ThreatModelRule['evaluate']): ThreatModelRule => ({
  controlId,
  threats: ['TH-1'],
  level: 'error',
  kind: 'misconfiguration',
  description: controlId,
  explanation: controlId,
  resourceTypes: ['AWS::S3::Bucket'],
  evaluate,
});
const named = rule('T-1', ({ properties }) => (properties.BucketName ? COMPLIANT : [{ message: 'no name' }]));
const never = rule('T-2', () => NOT_APPLICABLE);
const template = {
  Resources: {
    Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b' } },
    Anonymous: { Type: 'AWS::S3::Bucket' },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
};

test('each rule judges the resources of its types: pass, fail with findings, or not applicable', () => {
  expect(
    evaluateResource(new TemplateModel(template), 'Anonymous', [named, never]).map((e) => [
      e.ruleId,
      e.status,
      e.findings,
    ]),
  ).toEqual([
    ['EksThreatModel-T-1', 'fail', [{ message: 'no name' }]],
    ['EksThreatModel-T-2', 'not-applicable', []],
  ]);
  expect(evaluateResource(new TemplateModel(template), 'Queue', [named])).toEqual([]);
  expect(evaluateTemplate(template, [named]).map((e) => [e.logicalId, e.status])).toEqual([
    ['Named', 'pass'],
    ['Anonymous', 'fail'],
  ]);
  expect(satisfiedControls({ Resources: { Named: template.Resources.Named } }, [named, never])).toEqual(
    new Set(['T-1']),
  );
});

test('a rule that throws is a finding that cannot be checked, never compliant', () => {
  const broken = rule('T-3', () => {
    throw new Error('boom');
  });
  expect(evaluateTemplate(template, [broken]).map((e) => [e.status, e.findings])).toEqual([
    ['fail', [{ message: 'the rule could not evaluate this resource: boom', unresolved: true }]],
    ['fail', [{ message: 'the rule could not evaluate this resource: boom', unresolved: true }]],
  ]);
});
