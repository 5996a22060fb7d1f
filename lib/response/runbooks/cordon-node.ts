import {
  ASSUME_ROLE,
  AutomationDocument,
  commonParameters,
  RunbookContext,
  SCRIPT_RUNTIME,
} from './automation-document';
import { runbookScript } from './scripts';
import { checkResponderAnswer } from './isolate-pod';

export interface CordonNodeRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function. */
  readonly responderFunctionArn: string;
}

/** IR-4: cordon the worker node so no new pod is scheduled on it (running pods stay for the investigation). */
export function cordonNodeRunbook(inputs: CordonNodeRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description:
      'IR-4 Cordon the worker node (spec.unschedulable) through the KubernetesResponder; pods are not evicted.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      NodeName: {
        type: 'String',
        description: 'Kubernetes node name (leave empty when giving InstanceId).',
        default: '',
        allowedPattern: '^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)?$',
      },
      InstanceId: {
        type: 'String',
        description: 'EC2 instance ID of the node (leave empty when giving NodeName).',
        default: '',
        allowedPattern: '^(i-[0-9a-f]{8,17})?$',
      },
    },
    mainSteps: [
      {
        name: 'BuildRequest',
        action: 'aws:executeScript',
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'build',
          Script: runbookScript('build-cordon-request.py'),
          InputPayload: { NodeName: '{{ NodeName }}', InstanceId: '{{ InstanceId }}' },
        },
        outputs: [{ Name: 'Request', Selector: '$.Payload.Request', Type: 'String' }],
      },
      {
        name: 'CordonNode',
        action: 'aws:invokeLambdaFunction',
        timeoutSeconds: 120,
        inputs: {
          FunctionName: inputs.responderFunctionArn,
          InvocationType: 'RequestResponse',
          Payload: '{{ BuildRequest.Request }}',
        },
      },
      checkResponderAnswer('CordonNode'),
    ],
    outputs: ['CheckAnswer.Answer'],
  };
}
