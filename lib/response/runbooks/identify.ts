import {
  AutomationDocument,
  automationDocument,
  NAMESPACE_PATTERN,
  invokeFunctionStep,
  RunbookContext,
  scriptStep,
} from './automation-document';

export interface IdentifyRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function (the cluster endpoint is private). */
  readonly responderFunctionArn: string;
}

/** IR-1: identify the offending pods and worker nodes by node, deployment, label or service account. */
export function identifyRunbook(inputs: IdentifyRunbookInputs): AutomationDocument {
  return automationDocument(inputs, {
    description:
      'IR-1 Identify the offending pods and worker nodes (by node, deployment, label or service account) and the roles EKS issued them (AWS_ROLE_ARN and the projected token, Pod Identity associations), flagging service-account annotations that disagree.',
    parameters: {
      Selector: {
        type: 'String',
        description:
          'What Value names: a node name, an instance ID, a deployment, an equality-based label selector or a service account.',
        allowedValues: ['node', 'instanceId', 'deployment', 'label', 'serviceAccount'],
      },
      Namespace: {
        type: 'String',
        description:
          'Namespace of the deployment, label selector or service account (not sent for a node or an instance ID).',
        default: 'default',
        allowedPattern: NAMESPACE_PATTERN,
      },
      Value: {
        type: 'String',
        description:
          'The node name, instance ID, deployment name, label selector (app=api,tier!=batch) or service account name.',
        allowedPattern: '^[A-Za-z0-9!][A-Za-z0-9._/=!,-]{0,316}$',
      },
    },
    mainSteps: [
      scriptStep({
        name: 'BuildRequest',
        script: 'build-identify-request.py',
        handler: 'build',
        payload: { Selector: '{{ Selector }}', Namespace: '{{ Namespace }}', Value: '{{ Value }}' },
        outputs: { Request: 'String' },
      }),
      invokeFunctionStep(
        'InvokeResponder',
        inputs.responderFunctionArn,
        '{{ BuildRequest.Request }}',
        120,
        'Asks the in-VPC KubernetesResponder which pods and nodes match.',
      ),
      scriptStep({
        name: 'ParseResponse',
        script: 'parse-identify-response.py',
        handler: 'parse',
        payload: { Payload: '{{ InvokeResponder.Payload }}' },
        outputs: {
          Pods: 'MapList',
          PodCount: 'Integer',
          NodeNames: 'StringList',
          InstanceIds: 'StringList',
          PodRoleArns: 'StringList',
          IdentityMismatches: 'StringList',
        },
        isEnd: true,
      }),
    ],
    outputs: [
      'ParseResponse.Pods',
      'ParseResponse.PodCount',
      'ParseResponse.NodeNames',
      'ParseResponse.InstanceIds',
      'ParseResponse.PodRoleArns',
      'ParseResponse.IdentityMismatches',
    ],
  });
}
