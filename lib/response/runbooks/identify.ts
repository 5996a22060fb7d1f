import {
  ASSUME_ROLE,
  AutomationDocument,
  commonParameters,
  NAMESPACE_PATTERN,
  RunbookContext,
  SCRIPT_RUNTIME,
} from './automation-document';
import { runbookScript } from './scripts';

export interface IdentifyRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function (the cluster endpoint is private). */
  readonly responderFunctionArn: string;
}

/** IR-1: identify the offending pods and worker nodes by node, deployment, label or service account. */
export function identifyRunbook(inputs: IdentifyRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description:
      'IR-1 Identify the offending pods and worker nodes (by node, deployment, label or service account) and the roles EKS issued them (AWS_ROLE_ARN and the projected token, Pod Identity associations), flagging service-account annotations that disagree.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
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
      {
        name: 'BuildRequest',
        action: 'aws:executeScript',
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'build',
          Script: runbookScript('build-identify-request.py'),
          InputPayload: { Selector: '{{ Selector }}', Namespace: '{{ Namespace }}', Value: '{{ Value }}' },
        },
        outputs: [{ Name: 'Request', Selector: '$.Payload.Request', Type: 'String' }],
      },
      {
        name: 'InvokeResponder',
        action: 'aws:invokeLambdaFunction',
        description: 'Asks the in-VPC KubernetesResponder which pods and nodes match.',
        timeoutSeconds: 120,
        inputs: {
          FunctionName: inputs.responderFunctionArn,
          InvocationType: 'RequestResponse',
          Payload: '{{ BuildRequest.Request }}',
        },
      },
      {
        name: 'ParseResponse',
        action: 'aws:executeScript',
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'parse',
          Script: runbookScript('parse-identify-response.py'),
          InputPayload: { Payload: '{{ InvokeResponder.Payload }}' },
        },
        outputs: [
          { Name: 'Pods', Selector: '$.Payload.Pods', Type: 'MapList' },
          { Name: 'PodCount', Selector: '$.Payload.PodCount', Type: 'Integer' },
          { Name: 'NodeNames', Selector: '$.Payload.NodeNames', Type: 'StringList' },
          { Name: 'InstanceIds', Selector: '$.Payload.InstanceIds', Type: 'StringList' },
          { Name: 'PodRoleArns', Selector: '$.Payload.PodRoleArns', Type: 'StringList' },
          { Name: 'IdentityMismatches', Selector: '$.Payload.IdentityMismatches', Type: 'StringList' },
        ],
        isEnd: true,
      },
    ],
    outputs: [
      'ParseResponse.Pods',
      'ParseResponse.PodCount',
      'ParseResponse.NodeNames',
      'ParseResponse.InstanceIds',
      'ParseResponse.PodRoleArns',
      'ParseResponse.IdentityMismatches',
    ],
  };
}
