import {
  AutomationStep,
  ASSUME_ROLE,
  AutomationDocument,
  commonParameters,
  NAMESPACE_PATTERN,
  POD_NAME_PATTERN,
  RunbookContext,
  SCRIPT_RUNTIME,
} from './automation-document';
import { runbookScript } from './scripts';

export interface IsolatePodRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function. */
  readonly responderFunctionArn: string;
}

/** IR-2 (pod): the responder labels the pod into quarantine, where a deny-all network policy selects it. */
export function isolatePodRunbook(inputs: IsolatePodRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: 'IR-2 Isolate a pod: the KubernetesResponder quarantines it behind a deny-all network policy.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      Namespace: { type: 'String', description: 'Namespace of the pod.', allowedPattern: NAMESPACE_PATTERN },
      PodName: { type: 'String', description: 'Name of the pod to isolate.', allowedPattern: POD_NAME_PATTERN },
    },
    mainSteps: [
      {
        name: 'QuarantinePod',
        action: 'aws:invokeLambdaFunction',
        timeoutSeconds: 120,
        inputs: {
          FunctionName: inputs.responderFunctionArn,
          InvocationType: 'RequestResponse',
          Payload: '{"action":"quarantine-pod","namespace":"{{ Namespace }}","pod":"{{ PodName }}"}',
        },
      },
      checkResponderAnswer('QuarantinePod'),
    ],
    outputs: ['CheckAnswer.Answer'],
  };
}

/** The same check for any responder action (used by IR-4 too). */
/** The last step of a runbook that calls the responder: fails unless the invocation of `invokeStep` answered. */
export function checkResponderAnswer(invokeStep: string): AutomationStep {
  return {
    name: 'CheckAnswer',
    action: 'aws:executeScript',
    inputs: {
      Runtime: SCRIPT_RUNTIME,
      Handler: 'check',
      Script: runbookScript('check-responder-answer.py'),
      InputPayload: { Payload: `{{ ${invokeStep}.Payload }}` },
    },
    outputs: [{ Name: 'Answer', Selector: '$.Payload.Answer', Type: 'String' }],
    isEnd: true,
  };
}
