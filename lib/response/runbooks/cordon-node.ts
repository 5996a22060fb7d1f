import {
  AutomationDocument,
  automationDocument,
  invokeFunctionStep,
  RunbookContext,
  scriptStep,
} from './automation-document';
import { checkResponderAnswer } from './isolate-pod';

export interface CordonNodeRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function. */
  readonly responderFunctionArn: string;
}

/** IR-4: cordon the worker node so no new pod is scheduled on it (running pods stay for the investigation). */
export function cordonNodeRunbook(inputs: CordonNodeRunbookInputs): AutomationDocument {
  return automationDocument(inputs, {
    description:
      'IR-4 Cordon the worker node (spec.unschedulable) through the KubernetesResponder; pods are not evicted.',
    parameters: {
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
      scriptStep({
        name: 'BuildRequest',
        script: 'build-cordon-request.py',
        handler: 'build',
        payload: { NodeName: '{{ NodeName }}', InstanceId: '{{ InstanceId }}' },
        outputs: { Request: 'String' },
      }),
      invokeFunctionStep('CordonNode', inputs.responderFunctionArn, '{{ BuildRequest.Request }}', 120),
      checkResponderAnswer('CordonNode'),
    ],
    outputs: ['CheckAnswer.Answer'],
  });
}
