import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Validates SSM Automation document content (schemaVersion 0.3). cfn-lint 1.51's SSM schema
 * (cfnlint/data/schemas/other/ssm/document.json) checks only schemaVersion, description and assumeRole, so the rest
 * is written here from the Automation actions reference. Returns the problems found; an empty list means valid.
 */

/** The Automation actions of the Systems Manager Automation actions reference. */
export const AUTOMATION_ACTIONS = [
  'aws:approve',
  'aws:assertAwsResourceProperty',
  'aws:branch',
  'aws:changeInstanceState',
  'aws:copyImage',
  'aws:createImage',
  'aws:createStack',
  'aws:createTags',
  'aws:deleteImage',
  'aws:deleteStack',
  'aws:executeAutomation',
  'aws:executeAwsApi',
  'aws:executeScript',
  'aws:executeStateMachine',
  'aws:invokeLambdaFunction',
  'aws:invokeWebhook',
  'aws:loop',
  'aws:pause',
  'aws:runCommand',
  'aws:runInstances',
  'aws:sleep',
  'aws:updateVariable',
  'aws:waitForAwsResourceProperty',
] as const;

/** Inputs each action cannot do without. */
const REQUIRED_INPUTS: Record<string, string[]> = {
  'aws:approve': ['Approvers'],
  'aws:assertAwsResourceProperty': ['Service', 'Api', 'PropertySelector', 'DesiredValues'],
  'aws:waitForAwsResourceProperty': ['Service', 'Api', 'PropertySelector', 'DesiredValues'],
  'aws:branch': ['Choices'],
  'aws:changeInstanceState': ['InstanceIds', 'DesiredState'],
  'aws:copyImage': ['SourceImageId', 'SourceRegion', 'ImageName'],
  'aws:createImage': ['InstanceId', 'ImageName'],
  'aws:createStack': ['StackName'],
  'aws:createTags': ['ResourceIds', 'Tags'],
  'aws:deleteImage': ['ImageId'],
  'aws:deleteStack': ['StackName'],
  'aws:executeAutomation': ['DocumentName'],
  'aws:executeAwsApi': ['Service', 'Api'],
  'aws:executeScript': ['Runtime', 'Handler', 'Script'],
  'aws:executeStateMachine': ['stateMachineArn'],
  'aws:invokeLambdaFunction': ['FunctionName'],
  'aws:invokeWebhook': ['IntegrationName'],
  'aws:loop': ['Iterators', 'Steps'],
  'aws:pause': [],
  'aws:runCommand': ['DocumentName', 'InstanceIds'],
  'aws:runInstances': ['ImageId'],
  'aws:sleep': [],
  'aws:updateVariable': ['Name', 'Value'],
};

/** Outputs actions produce without declaring them. */
const BUILT_IN_OUTPUTS: Record<string, string[]> = {
  'aws:invokeLambdaFunction': ['StatusCode', 'FunctionError', 'LogResult', 'Payload', 'ExecutedVersion'],
  'aws:runCommand': ['CommandId', 'Status', 'ResponseCode', 'Output'],
  'aws:executeScript': ['OutputPayload'],
  'aws:runInstances': ['InstanceIds'],
  'aws:createImage': ['ImageId', 'ImageState'],
  'aws:copyImage': ['ImageId', 'ImageState'],
  'aws:createStack': ['StackId', 'StackStatus', 'StackStatusReason'],
  'aws:executeAutomation': ['ExecutionId', 'Status', 'Output'],
  'aws:approve': ['ApprovalStatus', 'ApproverDecisions'],
};

/** Python runtimes aws:executeScript accepts (3.6-3.8 retired) and PowerShell. */
export const SCRIPT_RUNTIMES = ['python3.9', 'python3.10', 'python3.11', 'PowerShell 7.4'];

const PARAMETER_TYPES = [
  'String',
  'StringList',
  'Integer',
  'Boolean',
  'MapList',
  'StringMap',
  'AWS::EC2::Instance::Id',
  'List<AWS::EC2::Instance::Id>',
  'AWS::IAM::Role::Arn',
  'AWS::S3::Bucket::Name',
];
const OUTPUT_TYPES = ['String', 'Integer', 'Boolean', 'StringList', 'StringMap', 'MapList'];
const SYSTEM_VARIABLES = [
  'global:ACCOUNT_ID',
  'global:DATE',
  'global:DATE_TIME',
  'global:AWS_PARTITION',
  'global:REGION',
  'automation:EXECUTION_ID',
];
const STEP_NAME = /^[A-Za-z0-9_]+$/;
const REFERENCE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

function defaultMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'Integer':
      return Number.isInteger(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'StringList':
    case 'List<AWS::EC2::Instance::Id>':
      return Array.isArray(value) && value.every((x) => typeof x === 'string');
    case 'MapList':
      return Array.isArray(value) && value.every(isObject);
    case 'StringMap':
      return isObject(value);
    default:
      return typeof value === 'string';
  }
}

/** Every string inside a value, with where it was found. */
function strings(value: unknown, where: string): [string, string][] {
  if (typeof value === 'string') return [[value, where]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${where}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, `${where}.${k}`));
  return [];
}

/** Python that compiles a script and checks it defines the handler: exit 3 when it does not. */
const PYTHON_CHECK = [
  'import ast, py_compile, sys',
  'try:',
  '    py_compile.compile(sys.argv[1], doraise=True)',
  'except py_compile.PyCompileError as error:',
  '    sys.exit(error.msg)',
  'tree = ast.parse(open(sys.argv[1]).read())',
  'sys.exit(0 if any(isinstance(n, ast.FunctionDef) and n.name == sys.argv[2] for n in tree.body) else 3)',
].join('\n');

/** What checkCode found for a script, by its kind, handler and text: the same steps recur across documents and tests. */
const codeChecks = new Map<string, string | undefined>();

function checkCode(kind: 'python' | 'bash', code: string, handler?: string): string | undefined {
  const key = JSON.stringify([kind, handler ?? '', code]);
  if (!codeChecks.has(key)) codeChecks.set(key, checkCodeUncached(kind, code, handler));
  return codeChecks.get(key);
}

function checkCodeUncached(kind: 'python' | 'bash', code: string, handler?: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-automation-'));
  try {
    if (kind === 'python') {
      const file = join(dir, 'script.py');
      writeFileSync(file, code);
      try {
        execFileSync('python3', ['-c', PYTHON_CHECK, file, handler ?? ''], { stdio: 'pipe' });
      } catch (error: any) {
        if (error.status === 3) return `does not define the handler function ${handler}`;
        throw error;
      }
    } else {
      const file = join(dir, 'script.sh');
      // Automation substitutes {{ X }} before the shell sees it: a plain word stands in for each.
      writeFileSync(file, code.replace(REFERENCE, 'SUBSTITUTED'));
      execFileSync('bash', ['-n', file], { stdio: 'pipe' });
    }
    return undefined;
  } catch (error: any) {
    return `does not compile: ${String(error.stderr ?? error.message).trim()}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function validateAutomationDocument(content: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(content)) return ['content is not an object'];
  if (content.schemaVersion !== '0.3')
    problems.push(`schemaVersion must be '0.3', got ${JSON.stringify(content.schemaVersion)}`);
  if (typeof content.description !== 'string' || content.description.trim() === '')
    problems.push('description is missing');
  if (typeof content.assumeRole !== 'string' || content.assumeRole === '') problems.push('assumeRole is missing');

  const parameters: Record<string, any> = isObject(content.parameters) ? content.parameters : {};
  for (const [name, parameter] of Object.entries(parameters)) {
    if (!isObject(parameter)) {
      problems.push(`parameter ${name} is not an object`);
      continue;
    }
    if (!PARAMETER_TYPES.includes(parameter.type))
      problems.push(`parameter ${name} has unknown type ${JSON.stringify(parameter.type)}`);
    if ('default' in parameter && !defaultMatches(parameter.type, parameter.default)) {
      problems.push(`parameter ${name}: default ${JSON.stringify(parameter.default)} is not a ${parameter.type}`);
    }
    if (parameter.allowedPattern !== undefined) {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(parameter.allowedPattern);
      } catch {
        problems.push(
          `parameter ${name}: allowedPattern ${parameter.allowedPattern} is not a valid regular expression`,
        );
      }
      if (pattern && typeof parameter.default === 'string' && !pattern.test(parameter.default)) {
        problems.push(
          `parameter ${name}: default ${JSON.stringify(parameter.default)} does not match allowedPattern ${parameter.allowedPattern}`,
        );
      }
    }
    if (
      parameter.allowedValues !== undefined &&
      'default' in parameter &&
      !parameter.allowedValues.includes(parameter.default)
    ) {
      problems.push(`parameter ${name}: default ${JSON.stringify(parameter.default)} is not among allowedValues`);
    }
  }

  const steps: any[] = Array.isArray(content.mainSteps) ? content.mainSteps : [];
  if (steps.length === 0) problems.push('mainSteps is empty');
  const names = steps.map((s) => s?.name);
  const stepOutputs = new Map<string, Set<string>>();
  const available = new Set<string>([...Object.keys(parameters), ...SYSTEM_VARIABLES]);
  const checkReferences = (value: unknown, where: string) => {
    for (const [text, path] of strings(value, where)) {
      for (const [, reference] of text.matchAll(REFERENCE)) {
        if (reference.startsWith('ssm:')) continue;
        if (!available.has(reference))
          problems.push(
            `${path} references {{ ${reference} }}, which is no parameter, system variable or output of an earlier step`,
          );
      }
    }
  };
  const checkTarget = (target: unknown, where: string) => {
    if (typeof target !== 'string') return;
    const match = /^step:(.+)$/.exec(target);
    if (match && !names.includes(match[1])) problems.push(`${where} targets unknown step ${match[1]}`);
    if (!match && !['Abort', 'Continue'].includes(target))
      problems.push(`${where} must be Abort, Continue or step:<name>, got ${target}`);
  };

  steps.forEach((step, index) => {
    const label = `step ${step?.name ?? `#${index}`}`;
    if (typeof step?.name !== 'string' || !STEP_NAME.test(step.name))
      problems.push(`${label}: name must match ${STEP_NAME}`);
    if (names.indexOf(step?.name) !== index) problems.push(`${label}: duplicate step name`);
    if (!AUTOMATION_ACTIONS.includes(step?.action)) {
      problems.push(`${label}: unknown action ${JSON.stringify(step?.action)}`);
      return;
    }
    const inputs = isObject(step.inputs) ? step.inputs : {};
    for (const required of REQUIRED_INPUTS[step.action]) {
      if (inputs[required] === undefined) problems.push(`${label}: ${step.action} requires input ${required}`);
    }
    checkReferences(step.inputs, `${label} inputs`);
    checkTarget(step.onFailure, `${label} onFailure`);
    checkTarget(step.onCancel, `${label} onCancel`);
    if (step.nextStep !== undefined && !names.includes(step.nextStep))
      problems.push(`${label}: nextStep targets unknown step ${step.nextStep}`);

    if (step.action === 'aws:executeScript') {
      if (!SCRIPT_RUNTIMES.includes(inputs.Runtime))
        problems.push(
          `${label}: Runtime ${JSON.stringify(inputs.Runtime)} is not one of ${SCRIPT_RUNTIMES.join(', ')}`,
        );
      if (typeof inputs.Script === 'string' && String(inputs.Runtime).startsWith('python')) {
        const error = checkCode('python', inputs.Script, inputs.Handler);
        if (error) problems.push(`${label}: Python script ${error}`);
      }
    }
    if (step.action === 'aws:runCommand' && inputs.DocumentName === 'AWS-RunShellScript') {
      const commands = inputs.Parameters?.commands;
      if (!Array.isArray(commands) || commands.length === 0)
        problems.push(`${label}: AWS-RunShellScript needs Parameters.commands`);
      else {
        const error = checkCode('bash', commands.join('\n'));
        if (error) problems.push(`${label}: shell commands ${error}`);
      }
    }

    const declared = new Set<string>(BUILT_IN_OUTPUTS[step.action] ?? []);
    for (const output of Array.isArray(step.outputs) ? step.outputs : []) {
      if (typeof output?.Name !== 'string' || typeof output?.Selector !== 'string')
        problems.push(`${label}: an output needs Name and Selector`);
      else if (!OUTPUT_TYPES.includes(output.Type))
        problems.push(`${label}: output ${output.Name} has unknown Type ${JSON.stringify(output.Type)}`);
      else if (!output.Selector.startsWith('$'))
        problems.push(`${label}: output ${output.Name} Selector must be a JSONPath starting with $`);
      if (typeof output?.Name === 'string') declared.add(output.Name);
    }
    stepOutputs.set(step.name, declared);
    for (const output of declared) available.add(`${step.name}.${output}`);
  });

  for (const output of Array.isArray(content.outputs) ? content.outputs : []) {
    const [step, name] = String(output).split('.');
    if (!stepOutputs.get(step)?.has(name)) problems.push(`document output ${output} is not an output of a step`);
  }
  return problems;
}
