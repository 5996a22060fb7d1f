import {
  AutomationDocument,
  automationDocument,
  INSTANCE_ID_PATTERN,
  RunbookContext,
  scriptStep,
} from './automation-document';

/** IR-5: keep the node (and its evidence) alive: no API termination, no scale-in. */
export function protectNodeRunbook(inputs: RunbookContext): AutomationDocument {
  return automationDocument(inputs, {
    description:
      'IR-5 Protect the worker node: EC2 termination protection and Auto Scaling scale-in protection, both verified.',
    parameters: {
      InstanceId: {
        type: 'String',
        description: 'EC2 instance ID of the affected node.',
        allowedPattern: INSTANCE_ID_PATTERN,
      },
    },
    mainSteps: [
      scriptStep({
        name: 'FindAutoScalingGroup',
        script: 'find-auto-scaling-group.py',
        handler: 'find',
        payload: { InstanceId: '{{ InstanceId }}', ClusterName: '{{ ClusterName }}' },
        outputs: { AutoScalingGroupName: 'String' },
      }),
      {
        name: 'EnableTerminationProtection',
        action: 'aws:executeAwsApi',
        inputs: {
          Service: 'ec2',
          Api: 'ModifyInstanceAttribute',
          InstanceId: '{{ InstanceId }}',
          DisableApiTermination: { Value: true },
        },
      },
      {
        name: 'EnableScaleInProtection',
        action: 'aws:executeAwsApi',
        inputs: {
          Service: 'autoscaling',
          Api: 'SetInstanceProtection',
          AutoScalingGroupName: '{{ FindAutoScalingGroup.AutoScalingGroupName }}',
          InstanceIds: ['{{ InstanceId }}'],
          ProtectedFromScaleIn: true,
        },
      },
      {
        name: 'AssertTerminationProtection',
        action: 'aws:assertAwsResourceProperty',
        inputs: {
          Service: 'ec2',
          Api: 'DescribeInstanceAttribute',
          InstanceId: '{{ InstanceId }}',
          Attribute: 'disableApiTermination',
          PropertySelector: '$.DisableApiTermination.Value',
          DesiredValues: ['True'],
        },
      },
      {
        name: 'AssertScaleInProtection',
        action: 'aws:assertAwsResourceProperty',
        inputs: {
          Service: 'autoscaling',
          Api: 'DescribeAutoScalingInstances',
          InstanceIds: ['{{ InstanceId }}'],
          PropertySelector: '$.AutoScalingInstances[0].ProtectedFromScaleIn',
          DesiredValues: ['True'],
        },
        isEnd: true,
      },
    ],
    outputs: ['FindAutoScalingGroup.AutoScalingGroupName'],
  });
}
