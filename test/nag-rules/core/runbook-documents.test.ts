import { COMPLIANT } from '../../../nag-rules/core/rule';
import {
  automationProblems,
  DOCUMENT_TYPE,
  invokedFunctions,
  judgeRunbooks,
  kubernetesCallProblems,
  mentionsApi,
  resolveInput,
  RUNBOOK_TAG,
  runbooksFor,
  stepsOf,
} from '../../../nag-rules/core/runbook-documents';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const content = {
  schemaVersion: '0.3',
  assumeRole: '{{ AutomationAssumeRole }}',
  parameters: {
    ClusterName: { type: 'String', default: { Ref: 'Cluster' } },
    Fn: { type: 'String', default: { Ref: 'Responder' } },
  },
  mainSteps: [
    { name: 'Isolate', action: 'aws:executeAwsApi', inputs: { Service: 'ec2', Api: 'ModifyInstanceAttribute' } },
    { name: 'Label', action: 'aws:invokeLambdaFunction', inputs: { FunctionName: '{{ Fn }}' } },
  ],
};
const runbook = (tag: unknown, body: unknown = content) => ({
  Type: DOCUMENT_TYPE,
  Properties: { DocumentType: 'Automation', Content: body, Tags: [{ Key: RUNBOOK_TAG, Value: tag }] },
});
const model = new TemplateModel({
  Resources: {
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Responder: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: ['subnet-1'] } } },
    Isolate: runbook('IR-2, IR-4'),
    FromParameter: runbook({ Ref: 'Tag' }),
    Unreadable: runbook('IR-2', { Ref: 'Content' }),
  },
});

test('runbooks tagged with an IR step and tied to the cluster; what cannot be read is unresolved', () => {
  const { documents, findings } = runbooksFor(model, 'Cluster', 'IR-2');
  expect(documents.map((d) => d.logicalId)).toEqual(['Isolate']);
  expect(findings.map((f) => f.message)).toEqual([
    `the ${RUNBOOK_TAG} tag of FromParameter cannot be read at synth time (parameter or resource 'Tag')`,
    "the content of runbook Unreadable (IR-2) cannot be read: the content is given by parameter or resource 'Content'",
  ]);
  expect(runbooksFor(model, 'Cluster', 'IR-6').documents).toEqual([]);
});

test('a runbook: its steps, inputs, invoked functions, APIs, and what it lacks', () => {
  const [document] = runbooksFor(model, 'Cluster', 'IR-4').documents;
  expect(stepsOf(document).map((s) => s.name)).toEqual(['Isolate', 'Label']);
  expect(resolveInput(document, '{{ Fn }}')).toEqual({ Ref: 'Responder' });
  expect(invokedFunctions(model, document)).toEqual([{ id: 'Responder', inVpc: true }]);
  expect(kubernetesCallProblems(model, document)).toEqual([]);
  expect([mentionsApi(document, 'ModifyInstanceAttribute'), mentionsApi(document, 'DeleteNodegroup')]).toEqual([
    true,
    false,
  ]);
  expect(automationProblems(document)).toEqual([]);
  expect(
    automationProblems({ ...document, content: { ...document.content, assumeRole: undefined, schemaVersion: '0.2' } }),
  ).toEqual([
    'Isolate does not use Automation schemaVersion 0.3',
    "Isolate names no assumeRole, so it runs with the caller's own permissions",
  ]);
});

test('judgeRunbooks: every requirement met by some usable runbook of the step', () => {
  const isolates = {
    does: 'isolate the node',
    problems: (d: any) => (mentionsApi(d, 'ModifyInstanceAttribute') ? [] : ['no isolation']),
  };
  const deletes = { does: 'delete the node group', problems: () => ['no deletion'] };
  expect(judgeRunbooks(model, 'Cluster', 'IR-4', [isolates])).toBe(COMPLIANT);
  // The runbook whose tag cannot be read might be the missing one: it is named when the readable ones fall short.
  expect(judgeRunbooks(model, 'Cluster', 'IR-4', [isolates, deletes])).toEqual([
    expect.objectContaining({
      unresolved: true,
      message: expect.stringMatching(/tag of FromParameter cannot be read/),
    }),
    { message: 'no IR-4 runbook is able to delete the node group: no deletion' },
  ]);
  expect(judgeRunbooks(model, 'Cluster', 'IR-6', [isolates])).toEqual([
    expect.objectContaining({ unresolved: true }),
    {
      message: `no SSM Automation runbook tagged ${RUNBOOK_TAG}=IR-6 belongs to this cluster: nothing to isolate the node`,
    },
  ]);
});
