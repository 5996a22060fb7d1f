import {
  ASSUME_ROLE, AutomationDocument, commonParameters, INSTANCE_ID_PATTERN, RunbookContext, SCRIPT_RUNTIME,
} from './automation-document';

export interface IsolateNodeRunbookInputs extends RunbookContext {
  /** ID of the NodeIsolationSecurityGroup: the only group an isolated node's network interfaces keep. */
  readonly isolationSecurityGroupId: string;
}

/** Prefix of the instance tags that record each interface's groups before isolation (evidence and rollback). */
export const ISOLATION_RECORD_TAG_PREFIX = 'hardened-eks:isolation/';

/**
 * Records, then replaces, the security groups of every network interface of the node (the VPC CNI attaches
 * several), and reads them back. The groups are recorded as one instance tag per interface before any change.
 */
const ISOLATE_NODE = `import time

import boto3

TAG_PREFIX = '${ISOLATION_RECORD_TAG_PREFIX}'


def isolate(events, context):
    instance_id = events['InstanceId']
    isolation_group = events['IsolationSecurityGroupId']
    ec2 = boto3.client('ec2')
    instance = ec2.describe_instances(InstanceIds=[instance_id])['Reservations'][0]['Instances'][0]
    tags = {tag['Key']: tag['Value'] for tag in instance.get('Tags', [])}
    if tags.get('eks:cluster-name') != events['ClusterName']:
        raise Exception(instance_id + ' is not a node of cluster ' + events['ClusterName'])
    interfaces = ec2.describe_network_interfaces(
        Filters=[{'Name': 'attachment.instance-id', 'Values': [instance_id]}])['NetworkInterfaces']
    if not interfaces:
        raise Exception(instance_id + ' has no network interface')
    records = []
    for interface in interfaces:
        groups = sorted(group['GroupId'] for group in interface['Groups'])
        if groups != [isolation_group]:
            # A second run must not overwrite the record of the original groups with the isolation group.
            records.append({'Key': TAG_PREFIX + interface['NetworkInterfaceId'], 'Value': ' '.join(groups)[:256]})
    if records:
        ec2.create_tags(Resources=[instance_id], Tags=records)
    for interface in interfaces:
        ec2.modify_network_interface_attribute(NetworkInterfaceId=interface['NetworkInterfaceId'], Groups=[isolation_group])
    time.sleep(2)
    ids = [interface['NetworkInterfaceId'] for interface in interfaces]
    after = ec2.describe_network_interfaces(NetworkInterfaceIds=ids)['NetworkInterfaces']
    wrong = [i['NetworkInterfaceId'] for i in after if [g['GroupId'] for g in i['Groups']] != [isolation_group]]
    if wrong:
        raise Exception('Interfaces not isolated: ' + ', '.join(wrong))
    return {'NetworkInterfaceIds': ids, 'RecordedGroups': {r['Key'][len(TAG_PREFIX):]: r['Value'] for r in records}}
`;

/** IR-2 (node): every network interface of the node keeps only the isolation security group. */
export function isolateNodeRunbook(inputs: IsolateNodeRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: 'IR-2 Isolate a worker node: record the security groups of each of its network interfaces as instance tags, then leave only the isolation group on all of them, and verify.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      InstanceId: { type: 'String', description: 'EC2 instance ID of the node to isolate.', allowedPattern: INSTANCE_ID_PATTERN },
    },
    mainSteps: [
      {
        name: 'IsolateNetworkInterfaces',
        action: 'aws:executeScript',
        timeoutSeconds: 300,
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'isolate',
          Script: ISOLATE_NODE,
          InputPayload: { InstanceId: '{{ InstanceId }}', ClusterName: '{{ ClusterName }}', IsolationSecurityGroupId: inputs.isolationSecurityGroupId },
        },
        outputs: [
          { Name: 'NetworkInterfaceIds', Selector: '$.Payload.NetworkInterfaceIds', Type: 'StringList' },
          { Name: 'RecordedGroups', Selector: '$.Payload.RecordedGroups', Type: 'StringMap' },
        ],
        isEnd: true,
      },
    ],
    outputs: ['IsolateNetworkInterfaces.NetworkInterfaceIds', 'IsolateNetworkInterfaces.RecordedGroups'],
  };
}
