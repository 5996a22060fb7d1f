import { validateAutomationDocument } from './ssm-automation';

const good = () => ({
  schemaVersion: '0.3',
  description: 'A small runbook',
  assumeRole: '{{ AutomationAssumeRole }}',
  parameters: {
    AutomationAssumeRole: {
      type: 'String',
      description: 'role',
      default: 'arn:aws:iam::111122223333:role/x',
      allowedPattern: '^arn:',
    },
    InstanceId: { type: 'String', description: 'instance', allowedPattern: '^i-[0-9a-f]{8,17}$' },
    Capture: { type: 'Boolean', description: 'capture', default: true },
  },
  mainSteps: [
    {
      name: 'Compute',
      action: 'aws:executeScript',
      inputs: {
        Runtime: 'python3.11',
        Handler: 'handler',
        Script: 'def handler(events, context):\n    return {"x": events["i"]}\n',
        InputPayload: { i: '{{ InstanceId }}' },
      },
      outputs: [{ Name: 'X', Selector: '$.Payload.x', Type: 'String' }],
      onFailure: 'step:Report',
    },
    {
      name: 'Run',
      action: 'aws:runCommand',
      inputs: {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['{{ InstanceId }}'],
        Parameters: { commands: ['X="{{ Compute.X }}"\nif [ -n "$X" ]; then echo "$X {{ global:REGION }}"; fi'] },
      },
    },
    { name: 'Report', action: 'aws:sleep', inputs: { Duration: 'PT1S' }, isEnd: true },
  ],
  outputs: ['Compute.X', 'Run.Output'],
});

/** Applies a change to a fresh good document and validates it. */
function problemsAfter(change: (doc: any) => void): string[] {
  const doc: any = good();
  change(doc);
  return validateAutomationDocument(doc);
}

describe('SSM Automation validator', () => {
  test('a correct document has no problems', () => {
    expect(validateAutomationDocument(good())).toEqual([]);
  });

  const broken: [string, (doc: any) => void, RegExp][] = [
    [
      'wrong schemaVersion',
      (d) => {
        d.schemaVersion = '2.2';
      },
      /schemaVersion must be '0.3'/,
    ],
    [
      'no description',
      (d) => {
        delete d.description;
      },
      /description is missing/,
    ],
    [
      'no assumeRole',
      (d) => {
        delete d.assumeRole;
      },
      /assumeRole is missing/,
    ],
    [
      'unknown parameter type',
      (d) => {
        d.parameters.InstanceId.type = 'Text';
      },
      /parameter InstanceId has unknown type "Text"/,
    ],
    [
      'default of the wrong type',
      (d) => {
        d.parameters.Capture.default = 'yes';
      },
      /parameter Capture: default "yes" is not a Boolean/,
    ],
    [
      'invalid allowedPattern',
      (d) => {
        d.parameters.InstanceId.allowedPattern = '^i-[0-9';
      },
      /allowedPattern .* is not a valid regular expression/,
    ],
    [
      'default outside its pattern',
      (d) => {
        d.parameters.AutomationAssumeRole.default = 'role';
      },
      /does not match allowedPattern/,
    ],
    [
      'no steps',
      (d) => {
        d.mainSteps = [];
      },
      /mainSteps is empty/,
    ],
    [
      'duplicate step names',
      (d) => {
        d.mainSteps[1].name = 'Compute';
      },
      /step Compute: duplicate step name/,
    ],
    [
      'bad step name',
      (d) => {
        d.mainSteps[2].name = 'Re-port';
      },
      /step Re-port: name must match/,
    ],
    [
      'unknown action',
      (d) => {
        d.mainSteps[2].action = 'aws:wait';
      },
      /unknown action "aws:wait"/,
    ],
    [
      'missing required input',
      (d) => {
        delete d.mainSteps[1].inputs.InstanceIds;
      },
      /aws:runCommand requires input InstanceIds/,
    ],
    [
      'retired Python runtime',
      (d) => {
        d.mainSteps[0].inputs.Runtime = 'python3.8';
      },
      /Runtime "python3.8" is not one of/,
    ],
    [
      'reference to an unknown parameter',
      (d) => {
        d.mainSteps[1].inputs.InstanceIds = ['{{ Instance }}'];
      },
      /references \{\{ Instance \}\}, which is no parameter/,
    ],
    [
      'reference to an undeclared output',
      (d) => {
        d.mainSteps[1].inputs.Parameters.commands = ['echo {{ Compute.Y }}'];
      },
      /references \{\{ Compute.Y \}\}/,
    ],
    [
      'reference to a later step',
      (d) => {
        d.mainSteps[0].inputs.InputPayload.i = '{{ Run.Output }}';
      },
      /references \{\{ Run.Output \}\}/,
    ],
    [
      'unknown failure target',
      (d) => {
        d.mainSteps[0].onFailure = 'step:Nowhere';
      },
      /onFailure targets unknown step Nowhere/,
    ],
    [
      'unknown nextStep',
      (d) => {
        d.mainSteps[0].nextStep = 'Nowhere';
      },
      /nextStep targets unknown step Nowhere/,
    ],
    [
      'document output of no step',
      (d) => {
        d.outputs.push('Compute.Z');
      },
      /document output Compute.Z is not an output of a step/,
    ],
    [
      'unknown output type',
      (d) => {
        d.mainSteps[0].outputs[0].Type = 'List';
      },
      /output X has unknown Type "List"/,
    ],
    [
      'Python that does not compile',
      (d) => {
        d.mainSteps[0].inputs.Script = 'def handler(events, context)\n    return 1\n';
      },
      /Python script does not compile/,
    ],
    [
      'Python without the handler',
      (d) => {
        d.mainSteps[0].inputs.Handler = 'main';
      },
      /does not define the handler function main/,
    ],
    [
      'shell that bash -n rejects',
      (d) => {
        d.mainSteps[1].inputs.Parameters.commands = ['if true; then echo x'];
      },
      /shell commands does not compile/,
    ],
  ];
  test.each(broken)('%s is reported', (_name, change, message) => {
    const problems = problemsAfter(change);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });
});
