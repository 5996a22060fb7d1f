import { Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { EVIDENCE_PREFIX, TOOLS_PREFIX } from './evidence-bucket';
import { ADMIN_API_ACTIONS } from '../identity/admin-api-guardrail';
import { findingText } from './role-session-revoker';
import { ISOLATION_RECORD_TAG_PREFIX } from './runbooks/isolate-node';
import { SNAPSHOT_INCIDENT_TAG, SNAPSHOT_INSTANCE_TAG } from './runbooks/capture-volatile-artifacts';

export interface IncidentResponseAutomationRoleProps {
  /** Name of the cluster: its nodes (instances, Auto Scaling groups) carry `eks:cluster-name` = this. */
  readonly clusterName: string;
  /** The cluster's VPC: only network interfaces in it may be moved into the isolation group. */
  readonly vpc: ec2.IVpc;
  /** The product's own functions the runbooks invoke (the in-VPC KubernetesResponder, the RoleSessionRevoker): nothing else. */
  readonly functions: lambda.IFunction[];
  /** ARNs of the product's own Command documents (the IR-6 capture): the only documents the role may run on a node. */
  readonly commandDocumentArns: string[];
  /** The NodeIsolationSecurityGroup: the only group the role may put on a network interface. */
  readonly isolationSecurityGroup: ec2.ISecurityGroup;
  /** The evidence bucket (artifacts under `incidents/`, tools under `tools/`). */
  readonly evidenceBucket: s3.IBucket;
  /** The key that encrypts the evidence bucket. */
  readonly evidenceKey: kms.IKey;
}

/** APIs no incident-response automation needs and that would destroy evidence, reach secrets or escalate. */
export const AUTOMATION_DENIED_ACTIONS = [
  ...ADMIN_API_ACTIONS,
  'eks:Delete*',
  'eks:Update*',
  'eks:Create*',
  'eks:Associate*',
  'eks:Disassociate*',
  'eks:TagResource',
  'eks:UntagResource',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:PutObjectRetention',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  'iam:Attach*',
  'iam:Create*',
  'iam:UpdateAssumeRolePolicy',
  'iam:PassRole',
  'iam:Delete*',
  'iam:Detach*',
  'iam:Put*',
  'iam:UpdateRole',
  // Any automation document of the account can run as this role: it must hold nothing that takes arbitrary content.
  'ssm:CreateDocument',
  'ssm:UpdateDocument',
  'ssm:UpdateDocumentDefaultVersion',
  'ssm:DeleteDocument',
  'ssm:StartAutomationExecution',
  'lambda:CreateFunction',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'lambda:AddPermission',
  'ec2:TerminateInstances',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteSecurityGroup',
  'ec2:DeleteTags',
  // IR-6's volume snapshots are evidence: never deleted, unlocked, shared or copied away.
  'ec2:DeleteSnapshot',
  'ec2:UnlockSnapshot',
  'ec2:ModifySnapshotAttribute',
  'ec2:CopySnapshot',
  'ec2:ModifySnapshotTier',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
];

/**
 * The role SSM Automation assumes for the incident-response runbooks (IR-1..IR-6): least privilege, every
 * statement scoped to this cluster's resources, and explicit denies for what could destroy evidence or escalate.
 * SSM lets any automation execution of the account assume it (no condition names the document), so it holds only
 * actions whose content is fixed in the product: its own Lambda functions and its own Command document.
 */
export class IncidentResponseAutomationRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IncidentResponseAutomationRoleProps) {
    super(scope, id);
    const clusterTagged = { StringEquals: { 'aws:ResourceTag/eks:cluster-name': props.clusterName } };
    const arn = (service: string, resource: string, region: string = Aws.REGION) =>
      `arn:${Aws.PARTITION}:${service}:${region}:${Aws.ACCOUNT_ID}:${resource}`;

    this.role = new iam.Role(this, 'Role', {
      description: `SSM Automation role of the incident-response runbooks of cluster ${props.clusterName}`,
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': arn('ssm', 'automation-execution/*') },
        },
      }),
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));

    allow(
      'InvokeOwnFunctions',
      ['lambda:InvokeFunction'],
      props.functions.map((fn) => fn.functionArn),
    );
    allow(
      'DescribeNodes',
      [
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeInstanceAttribute',
        'ec2:DescribeSecurityGroups',
        'autoscaling:DescribeAutoScalingInstances',
      ],
      ['*'],
    );
    // IR-6 snapshots the volumes of one node of this cluster at once (CreateSnapshots names the instance, not volumes),
    // only encrypted ones, each snapshot tagged with the incident as it is created, and locks only those snapshots.
    const snapshots = `arn:${Aws.PARTITION}:ec2:${Aws.REGION}::snapshot/*`;
    allow('SnapshotClusterInstances', ['ec2:CreateSnapshots'], [arn('ec2', 'instance/*')], clusterTagged);
    allow('SnapshotEncryptedVolumes', ['ec2:CreateSnapshots'], [arn('ec2', 'volume/*')], {
      Bool: { 'ec2:Encrypted': 'true' },
    });
    allow('CreateIncidentSnapshots', ['ec2:CreateSnapshots'], [snapshots], {
      StringEquals: { 'aws:RequestTag/eks:cluster-name': props.clusterName },
      StringLike: {
        [`aws:RequestTag/${SNAPSHOT_INCIDENT_TAG}`]: '?*',
        [`aws:RequestTag/${SNAPSHOT_INSTANCE_TAG}`]: 'i-*',
      },
      'ForAllValues:StringEquals': {
        'aws:TagKeys': [SNAPSHOT_INCIDENT_TAG, SNAPSHOT_INSTANCE_TAG, 'eks:cluster-name'],
      },
    });
    allow('TagSnapshotsAtCreation', ['ec2:CreateTags'], [snapshots], {
      StringEquals: { 'ec2:CreateAction': 'CreateSnapshots' },
    });
    allow('LockIncidentSnapshots', ['ec2:LockSnapshot'], [snapshots], {
      StringEquals: { 'aws:ResourceTag/eks:cluster-name': props.clusterName },
      Null: { [`aws:ResourceTag/${SNAPSHOT_INCIDENT_TAG}`]: 'false' },
    });
    // ModifyNetworkInterfaceAttribute authorizes the interface and every group it is given: interfaces are
    // limited to the cluster's VPC (ec2:Vpc holds for the primary interface as well as the CNI's), groups to one.
    allow('IsolateClusterInterfaces', ['ec2:ModifyNetworkInterfaceAttribute'], [arn('ec2', 'network-interface/*')], {
      ArnEquals: { 'ec2:Vpc': arn('ec2', `vpc/${props.vpc.vpcId}`) },
    });
    allow(
      'OnlyTheIsolationGroup',
      ['ec2:ModifyNetworkInterfaceAttribute'],
      [arn('ec2', `security-group/${props.isolationSecurityGroup.securityGroupId}`)],
    );
    allow('RecordIsolatedGroups', ['ec2:CreateTags'], [arn('ec2', 'instance/*')], {
      ...clusterTagged,
      'ForAllValues:StringLike': { 'aws:TagKeys': [`${ISOLATION_RECORD_TAG_PREFIX}*`] },
    });
    allow('ProtectClusterInstances', ['ec2:ModifyInstanceAttribute'], [arn('ec2', 'instance/*')], clusterTagged);
    allow(
      'ProtectClusterFromScaleIn',
      ['autoscaling:SetInstanceProtection'],
      [arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')],
      clusterTagged,
    );
    allow('RunOwnCommandDocuments', ['ssm:SendCommand'], props.commandDocumentArns);
    allow('RunOnClusterInstances', ['ssm:SendCommand'], [arn('ec2', 'instance/*')], clusterTagged);
    allow(
      'FollowCommands',
      ['ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:ListCommands', 'ssm:DescribeInstanceInformation'],
      ['*'],
    );
    allow('WriteEvidence', ['s3:PutObject'], [props.evidenceBucket.arnForObjects(`${EVIDENCE_PREFIX}*`)]);
    allow('ReadTools', ['s3:GetObject'], [props.evidenceBucket.arnForObjects(`${TOOLS_PREFIX}*`)]);
    allow('EvidenceKeyThroughS3', ['kms:GenerateDataKey', 'kms:Decrypt'], [props.evidenceKey.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
    });

    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'NeverDestroyOrEscalate',
        effect: iam.Effect.DENY,
        actions: AUTOMATION_DENIED_ACTIONS,
        resources: ['*'],
      }),
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Describe calls and SSM command-status calls support no resource-level permissions (Service Authorization Reference).',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
      "Node network interfaces are created by EC2 and the VPC CNI with generated IDs; scoped to the cluster's VPC by ec2:Vpc.",
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:volume/*]',
      'IR-6 snapshots the volumes of the node it is given (CreateSnapshots on a cluster-tagged instance), encrypted ones only (ec2:Encrypted).',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::snapshot/*]',
      'Snapshot IDs are generated at creation: creating requires the incident tags, tagging only at creation, locking only snapshots tagged for an incident of this cluster.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]',
      'Node instances are replaced by the node group; every statement on them requires the eks:cluster-name tag of this cluster.',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
      'The managed node group names its Auto Scaling group; the statement requires the eks:cluster-name tag of this cluster.',
    );
    // cdk-nag names a bucket of this stack by its logical ID, an imported one by its ARN.
    const bucket = props.evidenceBucket.node.defaultChild
      ? `<${logicalIdOf(props.evidenceBucket)}.Arn>`
      : findingText(props.evidenceBucket.bucketArn);
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::${bucket}/incidents/*]`,
      'IR-6 writes evidence under incidents/<incident>/<instance>/; the keys are named at capture time, and Object Lock keeps them.',
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::${bucket}/tools/*]`,
      'IR-6 reads the responder tools (AVML) the platform team uploaded under tools/, and checks their SHA-256 before use.',
    );
  }
}
