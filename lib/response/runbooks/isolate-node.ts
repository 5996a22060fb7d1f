import {
  AutomationDocument,
  automationDocument,
  INSTANCE_ID_PATTERN,
  RunbookContext,
  scriptStep,
} from './automation-document';

export interface IsolateNodeRunbookInputs extends RunbookContext {
  /** ID of the NodeIsolationSecurityGroup: the only group an isolated node's network interfaces keep. */
  readonly isolationSecurityGroupId: string;
}

/** Prefix of the instance tags that record each interface's groups before isolation (evidence and rollback). */
export const ISOLATION_RECORD_TAG_PREFIX = 'hardened-eks:isolation/';

/** IR-2 (node): every network interface of the node keeps only the isolation security group. */
export function isolateNodeRunbook(inputs: IsolateNodeRunbookInputs): AutomationDocument {
  return automationDocument(inputs, {
    description:
      'IR-2 Isolate a worker node: record the security groups of each of its network interfaces as instance tags, then leave only the isolation group on all of them, and verify.',
    parameters: {
      InstanceId: {
        type: 'String',
        description: 'EC2 instance ID of the node to isolate.',
        allowedPattern: INSTANCE_ID_PATTERN,
      },
    },
    mainSteps: [
      scriptStep({
        name: 'IsolateNetworkInterfaces',
        script: 'isolate-node.py',
        handler: 'isolate',
        timeoutSeconds: 300,
        payload: {
          InstanceId: '{{ InstanceId }}',
          ClusterName: '{{ ClusterName }}',
          IsolationSecurityGroupId: inputs.isolationSecurityGroupId,
          TagPrefix: ISOLATION_RECORD_TAG_PREFIX,
        },
        outputs: { NetworkInterfaceIds: 'StringList', RecordedGroups: 'StringMap' },
        isEnd: true,
      }),
    ],
    outputs: ['IsolateNetworkInterfaces.NetworkInterfaceIds', 'IsolateNetworkInterfaces.RecordedGroups'],
  });
}
