import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';

export interface NodeRoleProps {
  /** Log group Session Manager streams session transcripts into. */
  readonly sessionLogGroup: logs.ILogGroup;
  /** Key that encrypts sessions and their log group. */
  readonly sessionKey: kms.IKey;
}

/**
 * The worker nodes' role, kept minimal (LM-1): EKS worker and ECR pull policies, and only the Session Manager
 * actions a node needs (instead of AmazonSSMManagedInstanceCore's `ssm:GetParameter*` on `*`). The VPC CNI's
 * permissions are not here: they sit on the CNI's own IRSA role.
 */
export class NodeRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'EKS worker nodes: join the cluster, pull images, Session Manager',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodePolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
      ],
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SessionManagerChannels',
        actions: [
          'ssm:UpdateInstanceInformation',
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ],
        resources: ['*'],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SessionTranscripts',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [props.sessionLogGroup.logGroupArn, `${props.sessionLogGroup.logGroupArn}:log-stream:*`],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SessionLogGroupDiscovery',
        actions: ['logs:DescribeLogGroups'],
        resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`],
      }),
    );
    props.sessionKey.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');

    acknowledge(
      this.role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy]',
      'EKS requires this AWS managed policy on every node role so nodes can register with the cluster.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]',
      'The narrowest AWS managed ECR policy: image pulls only, no push or repository changes.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Session Manager channel and ec2messages actions support no resource-level scoping (Service Authorization Reference).',
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.sessionLogGroup)}.Arn>:log-stream:*]`,
      'Session streams are created per session with generated names, inside the one session log group.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
      'logs:DescribeLogGroups only supports the account-wide log-group resource; the agent checks the session log group exists.',
    );
  }
}
