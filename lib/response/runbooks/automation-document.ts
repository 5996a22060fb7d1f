/**
 * The shape of an SSM Automation document (schemaVersion 0.3) as this project writes them, and the parameters every
 * incident-response runbook shares. Values may be CDK tokens (ARNs, names): CloudFormation resolves them inside the
 * document's JSON content.
 */
import { runbookScript } from './scripts';

export type AutomationParameterType =
  | 'String'
  | 'StringList'
  | 'Integer'
  | 'Boolean'
  | 'MapList'
  | 'StringMap'
  | 'AWS::EC2::Instance::Id'
  | 'List<AWS::EC2::Instance::Id>'
  | 'AWS::IAM::Role::Arn'
  | 'AWS::S3::Bucket::Name';

export interface AutomationParameter {
  readonly type: AutomationParameterType;
  readonly description: string;
  readonly default?: unknown;
  readonly allowedValues?: string[];
  readonly allowedPattern?: string;
}

export type AutomationOutputType = 'String' | 'Integer' | 'Boolean' | 'StringList' | 'StringMap' | 'MapList';

export interface AutomationStepOutput {
  readonly Name: string;
  readonly Selector: string;
  readonly Type: AutomationOutputType;
}

export interface AutomationStep {
  readonly name: string;
  readonly action: string;
  readonly description?: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs?: AutomationStepOutput[];
  readonly onFailure?: string;
  readonly onCancel?: string;
  readonly nextStep?: string;
  readonly isEnd?: boolean;
  readonly isCritical?: boolean;
  readonly maxAttempts?: number;
  readonly timeoutSeconds?: number;
}

export interface AutomationDocument {
  readonly schemaVersion: '0.3';
  readonly description: string;
  readonly assumeRole: string;
  readonly parameters: Record<string, AutomationParameter>;
  readonly mainSteps: AutomationStep[];
  /** `Step.Output` references the execution reports when it ends. */
  readonly outputs?: string[];
}

/** What every runbook needs from the deployment. */
export interface RunbookContext {
  /** ARN of the role Automation assumes (default of the `AutomationAssumeRole` parameter). */
  readonly automationRoleArn: string;
  /** The cluster the runbook acts on (default of the `ClusterName` parameter). */
  readonly clusterName: string;
}

/** Python runtime of every aws:executeScript step (3.6-3.8 were retired by Automation; 3.11 is the recommended one). */
export const SCRIPT_RUNTIME = 'python3.11';

/** Kubernetes object names (RFC 1123 labels/subdomains): nothing that could break out of a JSON string. */
export const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
export const POD_NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$';
export const INSTANCE_ID_PATTERN = '^i-[0-9a-f]{8,17}$';

function commonParameters(context: RunbookContext): Record<string, AutomationParameter> {
  return {
    AutomationAssumeRole: {
      type: 'String',
      description: 'ARN of the role the automation assumes: the incident-response automation role of this cluster.',
      default: context.automationRoleArn,
      allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
    },
    ClusterName: {
      type: 'String',
      description: 'Name of the EKS cluster the incident concerns.',
      default: context.clusterName,
      allowedPattern: '^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$',
    },
  };
}

const ASSUME_ROLE = '{{ AutomationAssumeRole }}';

/** What sets one runbook apart; `automationDocument` adds the schema version, the assumed role and the common parameters. */
export interface RunbookBody {
  readonly description: string;
  readonly parameters: Record<string, AutomationParameter>;
  readonly mainSteps: AutomationStep[];
  readonly outputs: string[];
}

export function automationDocument(context: RunbookContext, body: RunbookBody): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: body.description,
    assumeRole: ASSUME_ROLE,
    parameters: { ...commonParameters(context), ...body.parameters },
    mainSteps: body.mainSteps,
    outputs: body.outputs,
  };
}

/** What an aws:executeScript step runs: a handler of one of the runbooks' Python scripts, and what it returns. */
export interface ScriptStepProps {
  readonly name: string;
  /** File name under scripts/. */
  readonly script: string;
  readonly handler: string;
  readonly payload: Record<string, unknown>;
  /** Keys of the handler's answer the step outputs (`$.Payload.<key>`), with their types. */
  readonly outputs?: Record<string, AutomationOutputType>;
  readonly timeoutSeconds?: number;
  readonly isEnd?: boolean;
}

export function scriptStep(props: ScriptStepProps): AutomationStep {
  return {
    name: props.name,
    action: 'aws:executeScript',
    ...(props.timeoutSeconds === undefined ? {} : { timeoutSeconds: props.timeoutSeconds }),
    inputs: {
      Runtime: SCRIPT_RUNTIME,
      Handler: props.handler,
      Script: runbookScript(props.script),
      InputPayload: props.payload,
    },
    ...(props.outputs === undefined
      ? {}
      : {
          outputs: Object.entries(props.outputs).map(([key, type]) => ({
            Name: key,
            Selector: `$.Payload.${key}`,
            Type: type,
          })),
        }),
    ...(props.isEnd === undefined ? {} : { isEnd: props.isEnd }),
  };
}

/** An aws:invokeLambdaFunction step that waits for the function's answer to `payload` (`<name>.Payload`). */
export function invokeFunctionStep(
  name: string,
  functionArn: string,
  payload: string,
  timeoutSeconds: number,
  description?: string,
): AutomationStep {
  return {
    name,
    action: 'aws:invokeLambdaFunction',
    ...(description === undefined ? {} : { description }),
    timeoutSeconds,
    inputs: { FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: payload },
  };
}
