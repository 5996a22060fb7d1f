import {
  AutomationStep,
  AutomationDocument,
  automationDocument,
  invokeFunctionStep,
  NAMESPACE_PATTERN,
  POD_NAME_PATTERN,
  RunbookContext,
  scriptStep,
} from './automation-document';

export interface IsolatePodRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function. */
  readonly responderFunctionArn: string;
}

/** IR-2 (pod): the responder labels the pod into quarantine, where a deny-all network policy selects it. */
export function isolatePodRunbook(inputs: IsolatePodRunbookInputs): AutomationDocument {
  return automationDocument(inputs, {
    description: 'IR-2 Isolate a pod: the KubernetesResponder quarantines it behind a deny-all network policy.',
    parameters: {
      Namespace: { type: 'String', description: 'Namespace of the pod.', allowedPattern: NAMESPACE_PATTERN },
      PodName: { type: 'String', description: 'Name of the pod to isolate.', allowedPattern: POD_NAME_PATTERN },
    },
    mainSteps: [
      invokeFunctionStep(
        'QuarantinePod',
        inputs.responderFunctionArn,
        '{"action":"quarantine-pod","namespace":"{{ Namespace }}","pod":"{{ PodName }}"}',
        120,
      ),
      checkResponderAnswer('QuarantinePod'),
    ],
    outputs: ['CheckAnswer.Answer'],
  });
}

/** The same check for any responder action (used by IR-4 too). */
/** The last step of a runbook that calls the responder: fails unless the invocation of `invokeStep` answered. */
export function checkResponderAnswer(invokeStep: string): AutomationStep {
  return scriptStep({
    name: 'CheckAnswer',
    script: 'check-responder-answer.py',
    handler: 'check',
    payload: { Payload: `{{ ${invokeStep}.Payload }}` },
    outputs: { Answer: 'String' },
    isEnd: true,
  });
}
