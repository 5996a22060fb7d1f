import {
  ASSUME_ROLE, AutomationDocument, commonParameters, INSTANCE_ID_PATTERN, RunbookContext, SCRIPT_RUNTIME,
} from './automation-document';

/** Finds the node's Auto Scaling group; the instance must carry the cluster's eks:cluster-name tag. */
const FIND_AUTO_SCALING_GROUP = `import boto3


def find(events, context):
    instance_id = events['InstanceId']
    ec2 = boto3.client('ec2')
    reservations = ec2.describe_instances(InstanceIds=[instance_id])['Reservations']
    tags = {tag['Key']: tag['Value'] for tag in reservations[0]['Instances'][0].get('Tags', [])}
    if tags.get('eks:cluster-name') != events['ClusterName']:
        raise Exception(instance_id + ' is not a node of cluster ' + events['ClusterName'])
    found = boto3.client('autoscaling').describe_auto_scaling_instances(InstanceIds=[instance_id])['AutoScalingInstances']
    if not found:
        raise Exception(instance_id + ' is in no Auto Scaling group')
    return {'AutoScalingGroupName': found[0]['AutoScalingGroupName']}
`;

/** IR-5: keep the node (and its evidence) alive: no API termination, no scale-in. */
export function protectNodeRunbook(inputs: RunbookContext): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: 'IR-5 Protect the worker node: EC2 termination protection and Auto Scaling scale-in protection, both verified.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      InstanceId: { type: 'String', description: 'EC2 instance ID of the affected node.', allowedPattern: INSTANCE_ID_PATTERN },
    },
    mainSteps: [
      {
        name: 'FindAutoScalingGroup',
        action: 'aws:executeScript',
        inputs: { Runtime: SCRIPT_RUNTIME, Handler: 'find', Script: FIND_AUTO_SCALING_GROUP, InputPayload: { InstanceId: '{{ InstanceId }}', ClusterName: '{{ ClusterName }}' } },
        outputs: [{ Name: 'AutoScalingGroupName', Selector: '$.Payload.AutoScalingGroupName', Type: 'String' }],
      },
      {
        name: 'EnableTerminationProtection',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'ec2', Api: 'ModifyInstanceAttribute', InstanceId: '{{ InstanceId }}', DisableApiTermination: { Value: true } },
      },
      {
        name: 'EnableScaleInProtection',
        action: 'aws:executeAwsApi',
        inputs: {
          Service: 'autoscaling', Api: 'SetInstanceProtection', AutoScalingGroupName: '{{ FindAutoScalingGroup.AutoScalingGroupName }}',
          InstanceIds: ['{{ InstanceId }}'], ProtectedFromScaleIn: true,
        },
      },
      {
        name: 'AssertTerminationProtection',
        action: 'aws:assertAwsResourceProperty',
        inputs: {
          Service: 'ec2', Api: 'DescribeInstanceAttribute', InstanceId: '{{ InstanceId }}', Attribute: 'disableApiTermination',
          PropertySelector: '$.DisableApiTermination.Value', DesiredValues: ['True'],
        },
      },
      {
        name: 'AssertScaleInProtection',
        action: 'aws:assertAwsResourceProperty',
        inputs: {
          Service: 'autoscaling', Api: 'DescribeAutoScalingInstances', InstanceIds: ['{{ InstanceId }}'],
          PropertySelector: '$.AutoScalingInstances[0].ProtectedFromScaleIn', DesiredValues: ['True'],
        },
        isEnd: true,
      },
    ],
    outputs: ['FindAutoScalingGroup.AutoScalingGroupName'],
  };
}
