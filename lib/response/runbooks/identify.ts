import {
  ASSUME_ROLE, AutomationDocument, commonParameters, NAMESPACE_PATTERN, RunbookContext, SCRIPT_RUNTIME,
} from './automation-document';

export interface IdentifyRunbookInputs extends RunbookContext {
  /** ARN of the in-VPC KubernetesResponder function (the cluster endpoint is private). */
  readonly responderFunctionArn: string;
}

/**
 * Builds the responder request with json.dumps (no string splicing) in the contract's shape: one selector key, and
 * `namespace` only with deployment, label or serviceAccount.
 */
const BUILD_IDENTIFY_REQUEST = `import json


def build(events, context):
    selector = events['Selector']
    request = {'action': 'identify', selector: events['Value']}
    if selector in ('deployment', 'label', 'serviceAccount'):
        request['namespace'] = events['Namespace']
    return {'Request': json.dumps(request)}
`;

/** Turns the responder's answer into typed outputs; a function error or a missing field fails the step. */
const PARSE_IDENTIFY_RESPONSE = `import json


def parse(events, context):
    payload = events['Payload']
    answer = json.loads(payload) if isinstance(payload, str) else payload
    if not isinstance(answer, dict) or 'errorMessage' in answer:
        raise Exception('KubernetesResponder failed: ' + json.dumps(answer)[:1000])
    for field in ('pods', 'nodes', 'instanceIds', 'roleArns'):
        if not isinstance(answer.get(field), list):
            raise Exception('KubernetesResponder answer has no list ' + field)
    pods = [
        {key: str(pod.get(key) or '') for key in ('namespace', 'name', 'node', 'instanceId', 'serviceAccount', 'irsaRoleArn')}
        for pod in answer['pods']
    ]
    return {
        'Pods': pods,
        'PodCount': len(pods),
        'NodeNames': sorted({node['name'] for node in answer['nodes']}),
        'InstanceIds': sorted(set(answer['instanceIds'])),
        'PodRoleArns': sorted(set(answer['roleArns'])),
    }
`;

/** IR-1: identify the offending pods and worker nodes by node, deployment, label or service account. */
export function identifyRunbook(inputs: IdentifyRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: 'IR-1 Identify the offending pods and worker nodes (by node, deployment, label or service account) and the roles their credentials come from.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      Selector: {
        type: 'String',
        description: 'What Value names: a node name, an instance ID, a deployment, an equality-based label selector or a service account.',
        allowedValues: ['node', 'instanceId', 'deployment', 'label', 'serviceAccount'],
      },
      Namespace: {
        type: 'String',
        description: 'Namespace of the deployment, label selector or service account (not sent for a node or an instance ID).',
        default: 'default',
        allowedPattern: NAMESPACE_PATTERN,
      },
      Value: {
        type: 'String',
        description: 'The node name, instance ID, deployment name, label selector (app=api,tier!=batch) or service account name.',
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
          Script: BUILD_IDENTIFY_REQUEST,
          InputPayload: { Selector: '{{ Selector }}', Namespace: '{{ Namespace }}', Value: '{{ Value }}' },
        },
        outputs: [{ Name: 'Request', Selector: '$.Payload.Request', Type: 'String' }],
      },
      {
        name: 'InvokeResponder',
        action: 'aws:invokeLambdaFunction',
        description: 'Asks the in-VPC KubernetesResponder which pods and nodes match.',
        timeoutSeconds: 120,
        inputs: { FunctionName: inputs.responderFunctionArn, InvocationType: 'RequestResponse', Payload: '{{ BuildRequest.Request }}' },
      },
      {
        name: 'ParseResponse',
        action: 'aws:executeScript',
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'parse',
          Script: PARSE_IDENTIFY_RESPONSE,
          InputPayload: { Payload: '{{ InvokeResponder.Payload }}' },
        },
        outputs: [
          { Name: 'Pods', Selector: '$.Payload.Pods', Type: 'MapList' },
          { Name: 'PodCount', Selector: '$.Payload.PodCount', Type: 'Integer' },
          { Name: 'NodeNames', Selector: '$.Payload.NodeNames', Type: 'StringList' },
          { Name: 'InstanceIds', Selector: '$.Payload.InstanceIds', Type: 'StringList' },
          { Name: 'PodRoleArns', Selector: '$.Payload.PodRoleArns', Type: 'StringList' },
        ],
        isEnd: true,
      },
    ],
    outputs: ['ParseResponse.Pods', 'ParseResponse.PodCount', 'ParseResponse.NodeNames', 'ParseResponse.InstanceIds', 'ParseResponse.PodRoleArns'],
  };
}
