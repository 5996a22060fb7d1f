import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { roleBoundaryArn } from '../../lib/identity/product-role-boundary';
import { HARDENED_EKS_ROLE_BOUNDARY, PRODUCT_IAM_PATH } from './product-iam-path';

/** Cluster access policies the product associates (cluster admin, namespace editor and viewer). */
const ACCESS_POLICIES = ['AmazonEKSClusterAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSViewPolicy'];

/** AWS managed policies the product attaches to its roles; the launch role may attach nothing else from AWS. */
const AWS_MANAGED_POLICIES = [
  'AmazonEKSClusterPolicy',
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
];

/**
 * What CloudFormation needs to create, update and delete the hardened EKS product — and nothing else. Every
 * statement but the stack operations only holds when CloudFormation makes the call, so a person holding the
 * role's credentials could not use them directly.
 */
export function hardenedEksLaunchRoleStatements(assetBucketName: string): iam.PolicyStatement[] {
  const account = Aws.ACCOUNT_ID;
  const partition = Aws.PARTITION;
  const viaCloudFormation = { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } };
  const via = (sid: string, actions: string[], resources: string[], extra: Record<string, unknown> = {}) =>
    new iam.PolicyStatement({
      sid,
      actions,
      resources,
      conditions: { ...viaCloudFormation, ...extra },
    });
  const iamPath = (type: 'role' | 'policy') => `arn:${partition}:iam::${account}:${type}${PRODUCT_IAM_PATH}*`;
  const bounded = { 'iam:PermissionsBoundary': roleBoundaryArn(HARDENED_EKS_ROLE_BOUNDARY) };
  return [
    new iam.PolicyStatement({
      sid: 'ProvisionedProductStacks',
      actions: [
        'cloudformation:CreateStack',
        'cloudformation:UpdateStack',
        'cloudformation:DeleteStack',
        'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents',
        'cloudformation:DescribeStackResource',
        'cloudformation:DescribeStackResources',
        'cloudformation:GetTemplate',
        'cloudformation:SetStackPolicy',
        'cloudformation:CreateChangeSet',
        'cloudformation:DescribeChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:DeleteChangeSet',
        'cloudformation:ListChangeSets',
        'cloudformation:TagResource',
      ],
      resources: [`arn:${partition}:cloudformation:*:${account}:stack/SC-*`],
    }),
    new iam.PolicyStatement({
      sid: 'TemplateInspection',
      actions: ['cloudformation:GetTemplateSummary', 'cloudformation:ValidateTemplate'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ProductTemplates',
      actions: ['s3:GetObject'],
      resources: ['*'],
      conditions: { StringEquals: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' } },
    }),
    via('ProductAssets', ['s3:GetObject'], [`arn:${partition}:s3:::${assetBucketName}/*`]),
    via(
      'Network',
      [
        'ec2:CreateVpc',
        'ec2:DeleteVpc',
        'ec2:ModifyVpcAttribute',
        'ec2:CreateSubnet',
        'ec2:DeleteSubnet',
        'ec2:ModifySubnetAttribute',
        'ec2:CreateRouteTable',
        'ec2:DeleteRouteTable',
        'ec2:AssociateRouteTable',
        'ec2:DisassociateRouteTable',
        'ec2:CreateRoute',
        'ec2:DeleteRoute',
        'ec2:CreateInternetGateway',
        'ec2:DeleteInternetGateway',
        'ec2:AttachInternetGateway',
        'ec2:DetachInternetGateway',
        'ec2:AllocateAddress',
        'ec2:ReleaseAddress',
        'ec2:DisassociateAddress',
        'ec2:CreateNatGateway',
        'ec2:DeleteNatGateway',
        'ec2:CreateVpcEndpoint',
        'ec2:DeleteVpcEndpoints',
        'ec2:ModifyVpcEndpoint',
        'ec2:CreateFlowLogs',
        'ec2:DeleteFlowLogs',
        'ec2:CreateSecurityGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
        'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
        'ec2:CreateLaunchTemplate',
        'ec2:CreateLaunchTemplateVersion',
        'ec2:DeleteLaunchTemplate',
        'ec2:ModifyLaunchTemplate',
        'ec2:CreateTags',
        'ec2:DeleteTags',
        'ec2:RunInstances',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:Describe*',
        'ec2:GetLaunchTemplateData',
      ],
      ['*'],
    ),
    via(
      'Eks',
      [
        'eks:DeleteCluster',
        'eks:DescribeCluster',
        'eks:UpdateClusterVersion',
        'eks:DescribeUpdate',
        'eks:CreateNodegroup',
        'eks:DeleteNodegroup',
        'eks:DescribeNodegroup',
        'eks:UpdateNodegroupConfig',
        'eks:UpdateNodegroupVersion',
        'eks:CreateAddon',
        'eks:DeleteAddon',
        'eks:DescribeAddon',
        'eks:UpdateAddon',
        'eks:DescribeAddonVersions',
        'eks:DescribeAddonConfiguration',
        'eks:DeleteAccessEntry',
        'eks:DescribeAccessEntry',
        'eks:UpdateAccessEntry',
        'eks:DisassociateAccessPolicy',
        'eks:ListAssociatedAccessPolicies',
        'eks:TagResource',
        'eks:UntagResource',
      ],
      [`arn:${partition}:eks:*:${account}:*`, `arn:${partition}:eks::aws:cluster-access-policy/*`],
    ),
    // The product's invariants hold at the API, whatever the template asks: a private, API-mode cluster that makes
    // no admin of its creator, kept private by updates (TH-1, TH-4).
    via('EksCreatePrivateCluster', ['eks:CreateCluster'], ['*'], {
      StringEquals: { 'eks:authenticationMode': 'API' },
      Bool: {
        'eks:endpointPublicAccess': 'false',
        'eks:endpointPrivateAccess': 'true',
        'eks:bootstrapClusterCreatorAdminPermissions': 'false',
      },
    }),
    via('EksKeepClusterPrivate', ['eks:UpdateClusterConfig'], [`arn:${partition}:eks:*:${account}:cluster/*`], {
      StringEqualsIfExists: { 'eks:authenticationMode': 'API' },
      BoolIfExists: { 'eks:endpointPublicAccess': 'false' },
    }),
    // Cluster access only for roles of this account, as standard or node entries (EP-*, LM-*).
    via('EksAccessEntriesOfThisAccount', ['eks:CreateAccessEntry'], [`arn:${partition}:eks:*:${account}:cluster/*`], {
      ArnLike: { 'eks:principalArn': `arn:${partition}:iam::${account}:role/*` },
      StringEqualsIfExists: { 'eks:accessEntryType': ['STANDARD', 'EC2_LINUX'] },
    }),
    via(
      'EksProductAccessPolicies',
      ['eks:AssociateAccessPolicy'],
      [`arn:${partition}:eks:*:${account}:access-entry/*`],
      {
        StringEquals: {
          'eks:policyArn': ACCESS_POLICIES.map((p) => `arn:${partition}:eks::aws:cluster-access-policy/${p}`),
        },
      },
    ),
    // These actions have no resource type in the Service Authorization Reference, so they can only be granted on '*'.
    via('EksWithoutResourceType', ['eks:DescribeAddonVersions', 'eks:DescribeAddonConfiguration'], ['*']),
    via(
      'LogsWithoutResourceType',
      ['logs:DescribeLogGroups', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
      ['*'],
    ),
    // Roles the launch role creates or widens carry the product's boundary: it cannot mint a role more powerful than
    // the boundary allows, nor widen a role it did not bound (PE-*). Reading and removing need no boundary, so that
    // launches of earlier versions can still be updated and terminated.
    via(
      'BoundedProductRoles',
      ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePermissionsBoundary'],
      [iamPath('role')],
      { StringEquals: bounded },
    ),
    via(
      'ProductRoles',
      [
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:DeleteRolePolicy',
        'iam:GetRolePolicy',
        'iam:DetachRolePolicy',
        'iam:UpdateRoleDescription',
        'iam:CreatePolicy',
        'iam:DeletePolicy',
        'iam:GetPolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:ListPolicyVersions',
      ],
      [iamPath('role'), iamPath('policy')],
    ),
    via('AttachApprovedPolicies', ['iam:AttachRolePolicy'], [iamPath('role')], {
      StringEquals: bounded,
      ArnLike: {
        'iam:PolicyARN': [
          ...AWS_MANAGED_POLICIES.map((p) => `arn:${partition}:iam::aws:policy/${p}`),
          iamPath('policy'),
        ],
      },
    }),
    via('PassProductRoles', ['iam:PassRole'], [iamPath('role')], {
      StringEquals: {
        'iam:PassedToService': [
          'eks.amazonaws.com',
          'ec2.amazonaws.com',
          'lambda.amazonaws.com',
          'vpc-flow-logs.amazonaws.com',
        ],
      },
    }),
    via(
      'ConfigRules',
      [
        'config:PutConfigRule',
        'config:DeleteConfigRule',
        'config:DescribeConfigRules',
        'config:TagResource',
        'config:UntagResource',
        'config:ListTagsForResource',
      ],
      [`arn:${partition}:config:*:${account}:config-rule/*`],
    ),
    // PutConfigRule also checks the (not yet known) rule ARN, and DescribeConfigRules lists: no narrower resource exists.
    via('ConfigRulesWithoutResourceType', ['config:PutConfigRule', 'config:DescribeConfigRules'], ['*']),
    via(
      'SecurityAlerts',
      [
        'events:PutRule',
        'events:DeleteRule',
        'events:DescribeRule',
        'events:EnableRule',
        'events:DisableRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:TagResource',
        'events:UntagResource',
        'events:ListTargetsByRule',
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:GetSubscriptionAttributes',
        'sns:ListSubscriptionsByTopic',
        'sns:TagResource',
        'sns:UntagResource',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'logs:PutMetricFilter',
        'logs:DeleteMetricFilter',
        'logs:DescribeMetricFilters',
      ],
      [
        `arn:${partition}:events:*:${account}:rule/SC-*`,
        `arn:${partition}:sns:*:${account}:SC-*`,
        `arn:${partition}:cloudwatch:*:${account}:alarm:SC-*`,
        `arn:${partition}:logs:*:${account}:*`,
      ],
    ),
    // SNS lists subscriptions and CloudWatch describes alarms across the account.
    via(
      'SecurityAlertsWithoutResourceType',
      ['sns:ListSubscriptions', 'cloudwatch:DescribeAlarms', 'logs:DescribeMetricFilters'],
      ['*'],
    ),
    via(
      'EvidenceBuckets',
      [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:PutBucketPolicy',
        's3:GetBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:PutEncryptionConfiguration',
        's3:GetEncryptionConfiguration',
        's3:PutBucketVersioning',
        's3:GetBucketVersioning',
        's3:PutBucketObjectLockConfiguration',
        's3:GetBucketObjectLockConfiguration',
        's3:PutBucketPublicAccessBlock',
        's3:GetBucketPublicAccessBlock',
        's3:PutBucketLogging',
        's3:GetBucketLogging',
        's3:PutBucketOwnershipControls',
        's3:GetBucketOwnershipControls',
        's3:PutBucketTagging',
        's3:GetBucketTagging',
        's3:PutLifecycleConfiguration',
        's3:GetLifecycleConfiguration',
        's3:PutBucketNotification',
        's3:GetBucketNotification',
        's3:PutBucketAcl',
        's3:GetBucketAcl',
        's3:GetBucketLocation',
      ],
      [`arn:${partition}:s3:::sc-${account}-pp-*`],
    ),
    // The in-VPC responder and CDK's prefix-list lookup read the account's EC2 and EKS metadata.
    via('ResponderLookups', ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'], ['*']),
    via('ServiceLinkedRoles', ['iam:CreateServiceLinkedRole'], ['*'], {
      StringEquals: {
        'iam:AWSServiceName': ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com'],
      },
    }),
    via(
      'OidcProvider',
      [
        'iam:CreateOpenIDConnectProvider',
        'iam:DeleteOpenIDConnectProvider',
        'iam:GetOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
      ],
      [`arn:${partition}:iam::${account}:oidc-provider/oidc.eks.*`],
    ),
    via('Keys', ['kms:CreateKey'], ['*']),
    via(
      'KeyManagement',
      [
        'kms:DescribeKey',
        'kms:PutKeyPolicy',
        'kms:GetKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:GetKeyRotationStatus',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:CreateGrant',
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
      ],
      [`arn:${partition}:kms:*:${account}:key/*`],
    ),
    via(
      'Logs',
      [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:AssociateKmsKey',
        'logs:TagResource',
        'logs:TagLogGroup',
        'logs:ListTagsForResource',
      ],
      [`arn:${partition}:logs:*:${account}:*`],
    ),
    via(
      'KubectlHandler',
      [
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:InvokeFunction',
        'lambda:TagResource',
        'lambda:PublishLayerVersion',
        'lambda:DeleteLayerVersion',
        'lambda:GetLayerVersion',
        'lambda:AddPermission',
        'lambda:RemovePermission',
      ],
      [`arn:${partition}:lambda:*:${account}:function:SC-*`, `arn:${partition}:lambda:*:${account}:layer:*`],
    ),
    via(
      'SessionDocumentAndBarrier',
      [
        'ssm:CreateDocument',
        'ssm:DeleteDocument',
        'ssm:UpdateDocument',
        'ssm:DescribeDocument',
        'ssm:GetDocument',
        'ssm:UpdateDocumentDefaultVersion',
        'ssm:PutParameter',
        'ssm:DeleteParameter',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:AddTagsToResource',
        'ssm:RemoveTagsFromResource',
        // CloudFormation names the product's documents after the Service Catalog stack (SC-…): no other document, such
        // as the account's SSM-SessionManagerRunShell preferences, is the launch role's to change.
      ],
      [`arn:${partition}:ssm:*:${account}:document/SC-*`, `arn:${partition}:ssm:*:${account}:parameter/*`],
    ),
    via(
      'Registry',
      [
        'ecr:CreateRepository',
        'ecr:DeleteRepository',
        'ecr:DescribeRepositories',
        'ecr:PutLifecyclePolicy',
        'ecr:SetRepositoryPolicy',
        'ecr:DeleteRepositoryPolicy',
        'ecr:GetRepositoryPolicy',
        'ecr:PutImageScanningConfiguration',
        'ecr:PutImageTagMutability',
        'ecr:TagResource',
      ],
      [`arn:${partition}:ecr:*:${account}:repository/*`],
    ),
  ];
}
