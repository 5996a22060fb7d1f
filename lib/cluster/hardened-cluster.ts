import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { CfnJson, CfnMapping, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { retainedRotatingKey } from './product-keys';

/** The EKS managed add-ons the product pins, by Kubernetes minor version. */
export type AddonVersions = Record<
  string,
  {
    'vpc-cni': string;
    coredns: string;
    'kube-proxy': string;
    'eks-pod-identity-agent': string;
    'aws-guardduty-agent': string;
  }
>;

export interface HardenedClusterProps {
  /** Cluster name (may be a parameter token). */
  readonly clusterName: string;
  /** Kubernetes minor version like 1.36 (may be a parameter token constrained to `addonVersions`' keys). */
  readonly version: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** The control plane's own security group. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The kubectl handler Lambda's security group. */
  readonly kubectlHandlerSecurityGroup: ec2.ISecurityGroup;
  /** Key for the control-plane log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly addonVersions: AddonVersions;
}

/** All five control-plane log types (CC-DET). */
/**
 * The Kubernetes username of the kubectl handler (the deployment): admission policies exempt it from what they refuse
 * namespace editors. EKS refuses usernames under system:, eks:, aws:, amazon: and iam:, so nobody else gets it by default.
 */
export const KUBECTL_HANDLER_USERNAME = 'hardened-eks:kubectl-handler';

export const CONTROL_PLANE_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

/**
 * The EKS control plane (aws-eks-v2, managed node groups, no Auto Mode): private endpoint only (TH-1, EP-1),
 * authentication mode API with no admin for the creator (TH-3), secrets envelope-encrypted with a rotating
 * customer-managed key (LM-3), all control-plane logs into a pre-created encrypted log group with retention,
 * pinned managed add-ons, IRSA through a native OIDC provider, and deletion protection.
 */
export class HardenedCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly secretsKey: kms.Key;
  readonly logGroup: logs.LogGroup;
  /** The VPC CNI's own IRSA role: its EC2 permissions never sit on the node role (LM-1). */
  readonly vpcCniRole: iam.Role;
  readonly addons: Record<'vpcCni' | 'kubeProxy' | 'coreDns' | 'podIdentityAgent' | 'guardDutyAgent', eks.Addon>;
  /** The kubectl handler's access entry (cluster-admin), with the username KUBECTL_HANDLER_USERNAME. */
  readonly kubectlAccessEntry: eks.CfnAccessEntry;
  /** The kubectl handler (cluster-admin) and the provider framework function that invokes it for CloudFormation. */
  readonly kubectlFunctions: { readonly handler: lambda.Function; readonly framework: lambda.Function };

  constructor(scope: Construct, id: string, props: HardenedClusterProps) {
    super(scope, id);
    this.secretsKey = retainedRotatingKey(this, 'SecretsKey', 'EKS secrets envelope encryption');
    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(props.version),
      vpc: props.vpc,
      vpcSubnets: [props.subnets],
      securityGroup: props.securityGroup,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: CONTROL_PLANE_LOG_TYPES,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      bootstrapClusterCreatorAdminPermissions: false,
      kubectlProviderOptions: {
        kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer'),
        securityGroups: [props.kubectlHandlerSecurityGroup],
        memory: Size.gibibytes(1),
      },
    });
    this.acknowledgeAwsRequirements();
    this.kubectlAccessEntry = this.cluster.node.findChild('ClusterAdminRoleAccess').node
      .defaultChild as eks.CfnAccessEntry;
    this.kubectlAccessEntry.username = KUBECTL_HANDLER_USERNAME;
    const provider = this.cluster.kubectlProvider!;
    this.kubectlFunctions = {
      handler: provider.node.findChild('Handler') as lambda.Function,
      framework: provider.node.findChild('Provider').node.findChild('framework-onEvent') as lambda.Function,
    };
    const cfnCluster = this.cluster.node.defaultChild as eks.CfnCluster;
    cfnCluster.deletionProtection = true;
    cfnCluster.node.addDependency(this.logGroup);

    const versions = new CfnMapping(this, 'AddonVersions', {
      mapping: Object.fromEntries(
        Object.entries(props.addonVersions).map(([k8s, addons]) => [
          k8s,
          {
            vpcCni: addons['vpc-cni'],
            coreDns: addons.coredns,
            kubeProxy: addons['kube-proxy'],
            podIdentityAgent: addons['eks-pod-identity-agent'],
            guardDutyAgent: addons['aws-guardduty-agent'],
          },
        ]),
      ),
    });
    // Fn::FindInMap accepts only Ref and FindInMap as keys, so the version parameter is the mapping key itself.
    const pinned = (addon: string) => versions.findInMap(props.version, addon);

    const issuer = this.cluster.openIdConnectProvider.openIdConnectProviderIssuer;
    this.vpcCniRole = new iam.Role(this, 'VpcCniRole', {
      description: 'VPC CNI (aws-node) through IRSA',
      // The OIDC issuer is a token, so the condition keys are resolved at deploy time.
      assumedBy: new iam.OpenIdConnectPrincipal(this.cluster.openIdConnectProvider, {
        StringEquals: new CfnJson(this, 'VpcCniTrustConditions', {
          value: {
            [`${issuer}:sub`]: 'system:serviceaccount:kube-system:aws-node',
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        }),
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKS_CNI_Policy')],
    });
    acknowledge(
      this.vpcCniRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy]',
      "AWS maintains the VPC CNI policy alongside the add-on; it sits on the CNI's IRSA role, not on the node role.",
    );

    const addon = (cid: string, addonName: string, versionKeyName: string, extra: Partial<eks.AddonProps> = {}) =>
      new eks.Addon(this, cid, {
        cluster: this.cluster,
        addonName,
        addonVersion: pinned(versionKeyName),
        preserveOnDelete: false,
        ...extra,
      });
    this.addons = {
      vpcCni: addon('VpcCni', 'vpc-cni', 'vpcCni', {
        // Calico enforces policy (PV-5); the CNI's own engine stays off and pod IPs are annotated for Calico.
        configurationValues: { enableNetworkPolicy: 'false', env: { ANNOTATE_POD_IP: 'true' } },
      }),
      kubeProxy: addon('KubeProxy', 'kube-proxy', 'kubeProxy'),
      coreDns: addon('CoreDns', 'coredns', 'coreDns'),
      podIdentityAgent: addon('PodIdentityAgent', 'eks-pod-identity-agent', 'podIdentityAgent'),
      // GuardDuty runtime monitoring (CC-DET): the product installs the agent itself, so the account's detector keeps
      // automated agent management off; the agent reports through the guardduty-data VPC endpoint.
      guardDutyAgent: addon('GuardDutyAgent', 'aws-guardduty-agent', 'guardDutyAgent'),
    };
    (this.addons.vpcCni.node.defaultChild as eks.CfnAddon).serviceAccountRoleArn = this.vpcCniRole.roleArn;
  }

  private acknowledgeAwsRequirements(): void {
    acknowledge(
      this.cluster.role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      'EKS requires this AWS managed policy on the cluster role.',
    );
    acknowledge(
      this.cluster,
      'Annotation::@aws-cdk/aws-eks:clusterMustManuallyTagSubnet',
      "Private subnets of a created VPC are tagged kubernetes.io/role/internal-elb by ProductNetwork; an existing VPC is the consumer's.",
    );
    const provider = this.cluster.kubectlProvider;
    if (!provider) return;
    const handler = provider.node.findChild('Handler');
    acknowledge(
      provider,
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(handler)}.Arn>:*]`,
      "CDK's provider framework invokes any version of the kubectl handler function and nothing else.",
    );
    acknowledge(
      provider,
      `AwsSolutions-IAM4[Policy::${JSON.stringify(Stack.of(this).resolve(ecrPublicPolicyArn(provider)))}]`,
      'Conditional AWS managed ECR Public read policy that CDK attaches to the kubectl handler only in regions with ECR Public.',
    );
    acknowledge(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's kubectl handler and provider framework Lambdas: basic execution (CloudWatch Logs) only.",
    );
    acknowledge(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      'The kubectl handler runs in the VPC to reach the private endpoint; this policy manages its network interfaces.',
    );
    acknowledge(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly]',
      'The kubectl handler pulls Helm charts from ECR (oci:// mirrors) for clusters without internet egress.',
    );
    acknowledge(
      provider,
      'AwsSolutions-L1',
      'The kubectl handler and provider framework runtimes are chosen by aws-cdk-lib and move with its version.',
    );
  }
}

/** The managed-policy entry CDK adds to the kubectl handler's role for ECR Public (a conditional Fn::If). */
function ecrPublicPolicyArn(provider: IConstruct): unknown {
  const role = provider.node.findChild('Handler').node.findChild('ServiceRole').node.defaultChild as iam.CfnRole;
  const arns = Stack.of(provider).resolve(role.managedPolicyArns) as unknown[];
  return arns.find((arn) => JSON.stringify(arn).includes('AmazonElasticContainerRegistryPublicReadOnly'));
}
