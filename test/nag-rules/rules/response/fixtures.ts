import { templateOf } from '../../rule-harness';

/** A step that calls the in-VPC responder function. */
export const invokeResponder = (action: string) => ({
  name: 'CallResponder',
  action: 'aws:invokeLambdaFunction',
  inputs: { FunctionName: '{{ ResponderFunction }}', Payload: `{"action":"${action}"}` },
});

/** An Automation document tagged with an IR step, tied to cluster C through its ClusterName default. */
export function runbook(ir: string, steps: unknown[], extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::SSM::Document',
    Properties: {
      DocumentType: 'Automation',
      Tags: [{ Key: 'hardened-eks:runbook', Value: ir }],
      Content: {
        schemaVersion: '0.3',
        description: `${ir} runbook`,
        assumeRole: '{{ AutomationAssumeRole }}',
        parameters: {
          AutomationAssumeRole: { type: 'String', default: { 'Fn::GetAtt': ['IrRole', 'Arn'] } },
          ClusterName: { type: 'String', default: { Ref: 'ClusterName' } },
          ResponderFunction: { type: 'String', default: { 'Fn::GetAtt': ['Responder', 'Arn'] } },
        },
        mainSteps: steps,
        ...extra,
      },
    },
  };
}

/** A compliant template: a cluster, the responder, the IR role and one runbook per IR step. */
export function responseTemplate(): Record<string, any> {
  return templateOf(
    {
      C: { Type: 'AWS::EKS::Cluster', Properties: { Name: { Ref: 'ClusterName' } } },
      Responder: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Role: { 'Fn::GetAtt': ['ResponderRole', 'Arn'] },
          VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
        },
      },
      ResponderRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
        },
      },
      ResponderPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'ResponderRole' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['eks:DescribeCluster', 'eks:ListPodIdentityAssociations'],
                Resource: { 'Fn::GetAtt': ['C', 'Arn'] },
              },
              {
                Effect: 'Allow',
                Action: 'eks:DescribePodIdentityAssociation',
                Resource: {
                  'Fn::Join': ['', ['arn:aws:eks:eu-west-1:111122223333:podidentityassociation/', { Ref: 'C' }, '/*']],
                },
              },
            ],
          },
        },
      },
      ResponderAccess: {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          ClusterName: { Ref: 'C' },
          PrincipalArn: { 'Fn::GetAtt': ['ResponderRole', 'Arn'] },
          KubernetesGroups: ['hardened-eks:incident-responders'],
          Type: 'STANDARD',
        },
      },
      IrRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: 'ir',
              PolicyDocument: {
                Statement: [
                  { Effect: 'Allow', Action: ['ec2:ModifyNetworkInterfaceAttribute'], Resource: '*' },
                  // Only fixed content: the template's Command document on the cluster's instances, the template's functions.
                  {
                    Effect: 'Allow',
                    Action: ['ssm:SendCommand'],
                    Resource: [
                      { 'Fn::Join': ['', ['arn:aws:ssm:eu-west-1:111122223333:document/', { Ref: 'CaptureCommand' }]] },
                      'arn:aws:ec2:eu-west-1:111122223333:instance/*',
                    ],
                  },
                  {
                    Effect: 'Allow',
                    Action: ['lambda:InvokeFunction'],
                    Resource: [{ 'Fn::GetAtt': ['Responder', 'Arn'] }],
                  },
                  { Effect: 'Deny', Action: ['eks:DeleteCluster', 'secretsmanager:GetSecretValue'], Resource: '*' },
                ],
              },
            },
          ],
        },
      },
      Isolation: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'isolation',
          SecurityGroupEgress: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: 'sg-endpoints' },
          ],
        },
      },
      Evidence: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          ObjectLockEnabled: true,
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' } },
            ],
          },
        },
      },
      Identify: runbook('IR-1', [invokeResponder('identify')]),
      QuarantinePod: runbook('IR-2', [invokeResponder('quarantine-pod')]),
      IsolateNode: runbook('IR-2', [
        {
          name: 'Isolate',
          action: 'aws:executeScript',
          inputs: {
            Runtime: 'python3.11',
            Handler: 'h',
            Script: 'ec2.modify_network_interface_attribute(Groups=[g])',
            InputPayload: { Group: { Ref: 'Isolation' } },
          },
        },
      ]),
      Revoke: runbook('IR-3', [
        {
          name: 'Revoke',
          action: 'aws:executeScript',
          inputs: {
            Runtime: 'python3.11',
            Handler: 'h',
            Script: 'iam.put_role_policy(PolicyDocument={"Condition":{"DateLessThan":{"aws:TokenIssueTime":now}}})',
          },
        },
      ]),
      Cordon: runbook('IR-4', [invokeResponder('cordon-node')]),
      Protect: runbook('IR-5', [
        {
          name: 'Termination',
          action: 'aws:executeAwsApi',
          inputs: { Service: 'ec2', Api: 'ModifyInstanceAttribute', DisableApiTermination: { Value: true } },
        },
        {
          name: 'ScaleIn',
          action: 'aws:executeAwsApi',
          inputs: { Service: 'autoscaling', Api: 'SetInstanceProtection' },
        },
      ]),
      CaptureCommand: {
        Type: 'AWS::SSM::Document',
        Properties: {
          DocumentType: 'Command',
          Content: {
            schemaVersion: '2.2',
            parameters: {
              Memory: { type: 'String', allowedValues: ['true', 'false'] },
              AvmlSha256: { type: 'String', allowedValues: ['a'.repeat(64)] },
            },
            mainSteps: [{ action: 'aws:runShellScript', name: 'capture', inputs: { runCommand: ['ps auxf'] } }],
          },
        },
      },
      Capture: runbook(
        'IR-6',
        [
          {
            name: 'Capture',
            action: 'aws:runCommand',
            inputs: {
              DocumentName: { Ref: 'CaptureCommand' },
              InstanceIds: ['{{ InstanceId }}'],
              Parameters: { Memory: 'true' },
            },
          },
          {
            name: 'Snapshot',
            action: 'aws:executeAwsApi',
            inputs: {
              Service: 'ec2',
              Api: 'CreateSnapshots',
              InstanceSpecification: { InstanceId: '{{ InstanceId }}' },
              TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'incident', Value: '{{ IncidentId }}' }] }],
            },
          },
          {
            name: 'Lock',
            action: 'aws:executeAwsApi',
            inputs: {
              Service: 'ec2',
              Api: 'LockSnapshot',
              SnapshotId: '{{ Snapshot.Id }}',
              LockMode: 'compliance',
              LockDuration: 365,
            },
          },
        ],
        {
          parameters: {
            AutomationAssumeRole: { type: 'String', default: { 'Fn::GetAtt': ['IrRole', 'Arn'] } },
            ClusterName: { type: 'String', default: { Ref: 'ClusterName' } },
            EvidenceBucket: { type: 'String', default: { Ref: 'Evidence' } },
            InstanceId: { type: 'String' },
          },
        },
      ),
    },
    { Parameters: { ClusterName: { Type: 'String' } } },
  );
}
