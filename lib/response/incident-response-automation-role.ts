import { Token, Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { EVIDENCE_PREFIX, TOOLS_PREFIX } from './evidence-bucket';
import { ADMIN_API_ACTIONS } from '../identity/admin-api-guardrail';
import { ISOLATION_RECORD_TAG_PREFIX } from './runbooks/isolate-node';

export interface IncidentResponseAutomationRoleProps {
  /** Name of the cluster: its nodes (instances, Auto Scaling groups) carry `eks:cluster-name` = this. */
  readonly clusterName: string;
  /** The cluster's VPC: only network interfaces in it may be moved into the isolation group. */
  readonly vpc: ec2.IVpc;
  /** The in-VPC KubernetesResponder function the runbooks invoke for Kubernetes API calls. */
  readonly responderFunction: lambda.IFunction;
  /** The NodeIsolationSecurityGroup: the only group the role may put on a network interface. */
  readonly isolationSecurityGroup: ec2.ISecurityGroup;
  /** The evidence bucket (artifacts under `incidents/`, tools under `tools/`). */
  readonly evidenceBucket: s3.IBucket;
  /** The key that encrypts the evidence bucket. */
  readonly evidenceKey: kms.IKey;
  /**
   * ARN patterns of the roles IR-3 may revoke sessions of (e.g. `arn:aws:iam::123456789012:role/hardened-eks/*`
   * and the platform's workload-role path). The automation role itself is always excluded.
   */
  readonly revocableRoleArns: string[];
  /**
   * The launch's own roles: revocable only when they carry the launch's tag, since every launch of the product puts
   * its roles under the same IAM path. @default - none
   */
  readonly launchRoles?: LaunchRoles;
}

/** Roles of one launch: an ARN pattern and the tag only that launch's roles carry. */
export interface LaunchRoles {
  readonly arnPattern: string;
  readonly tagKey: string;
  readonly tagValue: string;
}

/** APIs no incident-response automation needs and that would destroy evidence, reach secrets or escalate. */
export const AUTOMATION_DENIED_ACTIONS = [
  ...ADMIN_API_ACTIONS, 'eks:Delete*', 'eks:Update*', 'eks:Create*', 'eks:Associate*', 'eks:Disassociate*',
  'eks:TagResource', 'eks:UntagResource',
  'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath',
  's3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging',
  's3:PutObjectRetention', 's3:BypassGovernanceRetention', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy',
  's3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration',
  'iam:Attach*', 'iam:Create*', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole', 'iam:Delete*', 'iam:Detach*',
  'iam:Put*PermissionsBoundary', 'iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:UpdateRole',
  'ec2:TerminateInstances', 'ec2:DeleteNetworkInterface', 'ec2:DeleteSecurityGroup', 'ec2:DeleteTags',
  'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy',
];

/**
 * The role SSM Automation assumes for the incident-response runbooks (IR-1..IR-6): least privilege, every
 * statement scoped to this cluster's resources, and explicit denies for what could destroy evidence or escalate.
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

    allow('InvokeKubernetesResponder', ['lambda:InvokeFunction'], [props.responderFunction.functionArn]);
    allow('DescribeNodes', ['ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceAttribute',
      'ec2:DescribeSecurityGroups', 'autoscaling:DescribeAutoScalingInstances'], ['*']);
    // ModifyNetworkInterfaceAttribute authorizes the interface and every group it is given: interfaces are
    // limited to the cluster's VPC (ec2:Vpc holds for the primary interface as well as the CNI's), groups to one.
    allow('IsolateClusterInterfaces', ['ec2:ModifyNetworkInterfaceAttribute'], [arn('ec2', 'network-interface/*')],
      { ArnEquals: { 'ec2:Vpc': arn('ec2', `vpc/${props.vpc.vpcId}`) } });
    allow('OnlyTheIsolationGroup', ['ec2:ModifyNetworkInterfaceAttribute'],
      [arn('ec2', `security-group/${props.isolationSecurityGroup.securityGroupId}`)]);
    allow('RecordIsolatedGroups', ['ec2:CreateTags'], [arn('ec2', 'instance/*')], {
      ...clusterTagged,
      'ForAllValues:StringLike': { 'aws:TagKeys': [`${ISOLATION_RECORD_TAG_PREFIX}*`] },
    });
    allow('ProtectClusterInstances', ['ec2:ModifyInstanceAttribute'], [arn('ec2', 'instance/*')], clusterTagged);
    allow('ProtectClusterFromScaleIn', ['autoscaling:SetInstanceProtection'],
      [arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')], clusterTagged);
    // IAM cannot limit PutRolePolicy to one policy name or document: the document's content (fixed in the runbook,
    // which only this stack can change) is what keeps it to the revocation policy.
    if (props.revocableRoleArns.length) allow('RevokeRoleSessions', ['iam:PutRolePolicy', 'iam:GetRolePolicy'], props.revocableRoleArns);
    if (props.launchRoles) {
      allow('RevokeLaunchRoleSessions', ['iam:PutRolePolicy', 'iam:GetRolePolicy'], [props.launchRoles.arnPattern],
        { StringEquals: { [`aws:ResourceTag/${props.launchRoles.tagKey}`]: props.launchRoles.tagValue } });
    }
    allow('RunShellScriptDocument', ['ssm:SendCommand'], [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}::document/AWS-RunShellScript`]);
    allow('RunOnClusterInstances', ['ssm:SendCommand'], [arn('ec2', 'instance/*')], clusterTagged);
    allow('FollowCommands', ['ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:ListCommands',
      'ssm:DescribeInstanceInformation'], ['*']);
    allow('WriteEvidence', ['s3:PutObject'], [props.evidenceBucket.arnForObjects(`${EVIDENCE_PREFIX}*`)]);
    allow('ReadTools', ['s3:GetObject'], [props.evidenceBucket.arnForObjects(`${TOOLS_PREFIX}*`)]);
    allow('EvidenceKeyThroughS3', ['kms:GenerateDataKey', 'kms:Decrypt'], [props.evidenceKey.keyArn],
      { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } });

    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'NeverDestroyOrEscalate', effect: iam.Effect.DENY, actions: AUTOMATION_DENIED_ACTIONS, resources: ['*'],
    }));
    // The role must not be able to rewrite its own permissions, whatever revocableRoleArns matches.
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'NeverChangeItself', effect: iam.Effect.DENY, actions: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      resources: [this.role.roleArn],
    }));

    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]',
      'Describe calls and SSM command-status calls support no resource-level permissions (Service Authorization Reference).');
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
      "Node network interfaces are created by EC2 and the VPC CNI with generated IDs; scoped to the cluster's VPC by ec2:Vpc.");
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]',
      'Node instances are replaced by the node group; every statement on them requires the eks:cluster-name tag of this cluster.');
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
      'The managed node group names its Auto Scaling group; the statement requires the eks:cluster-name tag of this cluster.');
    // cdk-nag names a bucket of this stack by its logical ID, an imported one by its ARN.
    const bucket = props.evidenceBucket.node.defaultChild ? `<${logicalIdOf(props.evidenceBucket)}.Arn>` : findingText(props.evidenceBucket.bucketArn);
    acknowledge(this.role, `AwsSolutions-IAM5[Resource::${bucket}/incidents/*]`,
      'IR-6 writes evidence under incidents/<incident>/<instance>/; the keys are named at capture time, and Object Lock keeps them.');
    acknowledge(this.role, `AwsSolutions-IAM5[Resource::${bucket}/tools/*]`,
      'IR-6 reads the responder tools (AVML) the platform team uploaded under tools/, and checks their SHA-256 before use.');
    for (const pattern of [...props.revocableRoleArns, ...props.launchRoles ? [props.launchRoles.arnPattern] : []].filter((a) => a.includes('*'))) {
      acknowledge(this.role, `AwsSolutions-IAM5[Resource::${findingText(pattern)}]`,
        'IR-3 revokes sessions of roles created by the platform under these paths; the role names are not known in advance.');
    }
  }
}

/** A resource as cdk-nag writes it in a finding ID: pseudo parameters as <AWS::Name>. */
function findingText(arn: string): string {
  return Token.isUnresolved(arn)
    ? arn.replace(/\$\{Token\[AWS\.(\w+)\.\d+\]\}/g, (_, name: string) => `<AWS::${name === 'AccountId' ? 'AccountId' : name}>`)
    : arn;
}
