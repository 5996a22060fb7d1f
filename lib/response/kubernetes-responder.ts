import * as path from 'path';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Aws, CfnCondition, Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { endpointEgress, httpsEgress } from '../network/conditional-resources';
import { QUARANTINE_LABEL } from '../kubernetes/workload-baseline';

/** The Kubernetes group the responder's access entry maps to; only the responder ClusterRole is bound to it. */
export const INCIDENT_RESPONDERS_GROUP = 'hardened-eks:incident-responders';
/** Name of the responder ClusterRole and its binding. */
export const INCIDENT_RESPONDER_CLUSTER_ROLE = 'hardened-eks-incident-responder';
/** Where the kubectl layer puts kubectl. */
export const KUBECTL_PATH = '/opt/kubectl/kubectl';

/** What the responder may do in Kubernetes: read workloads and identities (never secrets), label pods, cordon nodes. */
export const INCIDENT_RESPONDER_RULES = [
  { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces', 'serviceaccounts'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list'] },
  // Quarantine checks that a deny-all policy selects the label in the pod's namespace before it reports success.
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['patch'] },
];

export interface KubernetesResponderProps {
  readonly cluster: eks.Cluster;
  readonly vpc: ec2.IVpc;
  /** The cluster's private subnets, where the function's network interfaces go. */
  readonly subnets: ec2.SubnetSelection;
  /** The control plane's security group: it gets an ingress rule on 443 from the responder. */
  readonly controlPlaneSecurityGroup: ec2.ISecurityGroup;
  /** Security group of the VPC interface endpoints (EKS, STS, logs), when there is one. */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** The condition under which `endpointSecurityGroup` exists; the egress rule to it carries it. */
  readonly endpointCondition?: CfnCondition;
  /**
   * Holds when the cluster runs in a consumer's VPC, whose endpoints (or NAT) the product does not know: the responder
   * then gets HTTPS to any address, as CDK's kubectl handler has, to reach EKS and STS.
   * @default - no such rule
   */
  readonly existingVpcCondition?: CfnCondition;
  /** Key that encrypts the function's log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The in-VPC Lambda the incident runbooks call to act on the private cluster (IR-1 identify, IR-2 quarantine a
 * pod, IR-4 cordon a node). kubectl comes from the kubectl layer and the API token is made in-process, so nothing
 * is downloaded at incident time. Its access entry has no EKS access policy: Kubernetes RBAC gives its group only
 * the verbs the actions need (no secrets, no exec, no delete, no wildcards).
 */
export class KubernetesResponder extends Construct {
  readonly function: lambda.IFunction;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: KubernetesResponderProps) {
    super(scope, id);
    const { cluster } = props;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Incident responder Lambda: HTTPS to the API endpoint and VPC endpoints',
    });
    this.securityGroup.addEgressRule(props.controlPlaneSecurityGroup, ec2.Port.tcp(443), 'Kubernetes API');
    props.controlPlaneSecurityGroup.addIngressRule(
      this.securityGroup,
      ec2.Port.tcp(443),
      'Kubernetes API from the incident responder',
    );
    endpointEgress(
      this,
      this.securityGroup,
      props.endpointSecurityGroup,
      'HTTPS to the VPC interface endpoints (EKS, STS, logs)',
      props.endpointCondition,
    );
    if (props.existingVpcCondition) {
      httpsEgress(
        this,
        'AwsApiEgress',
        this.securityGroup,
        { cidrIp: '0.0.0.0/0' },
        "HTTPS to EKS and STS through the consumer VPC's endpoints or NAT",
        props.existingVpcCondition,
      );
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Hardened EKS incident responder Lambda',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheCluster',
        actions: ['eks:DescribeCluster', 'eks:ListPodIdentityAssociations'],
        resources: [cluster.clusterArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPodIdentityAssociations',
        actions: ['eks:DescribePodIdentityAssociation'],
        resources: [
          `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:podidentityassociation/${cluster.clusterName}/*`,
        ],
      }),
    );
    // What AWSLambdaVPCAccessExecutionRole grants for network interfaces; logs go only to the function's own group.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'LambdaNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const fn = new lambda.Function(this, 'Function', {
      description: 'Incident response on the private EKS cluster: identify, quarantine a pod, cordon a node',
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'kubernetes-responder'), { exclude: ['__pycache__', '*.pyc'] }),
      layers: [new KubectlV36Layer(this, 'KubectlLayer')],
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      allowPublicSubnet: false,
      timeout: Duration.minutes(2),
      memorySize: Size.gibibytes(1).toMebibytes(),
      logGroup: this.logGroup,
      environment: {
        CLUSTER_NAME: cluster.clusterName,
        KUBECTL: KUBECTL_PATH,
        QUARANTINE_LABEL,
        AWS_STS_REGIONAL_ENDPOINTS: 'regional',
      },
    });
    this.function = fn;

    const accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: cluster.clusterName,
      principalArn: this.role.roleArn,
      type: 'STANDARD',
      kubernetesGroups: [INCIDENT_RESPONDERS_GROUP],
    });
    const rbac = cluster.addManifest(
      'IncidentResponderRbac',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: INCIDENT_RESPONDER_CLUSTER_ROLE },
        rules: INCIDENT_RESPONDER_RULES,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: INCIDENT_RESPONDER_CLUSTER_ROLE },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: INCIDENT_RESPONDER_CLUSTER_ROLE },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: INCIDENT_RESPONDERS_GROUP }],
      },
    );
    // The function is usable only once it is both authenticated and authorized.
    fn.node.addDependency(accessEntry, rbac);

    acknowledge(
      fn,
      'AwsSolutions-L1',
      "Python 3.13 is what aws-cdk-lib's own kubectl handler runs with this kubectl layer; the responder moves runtime only in a tested release.",
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      "Lambda manages the function's VPC network interfaces; these EC2 actions are what AWSLambdaVPCAccessExecutionRole grants on *, and Describe* has no resource-level permissions.",
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:podidentityassociation/<${logicalIdOf(cluster)}>/*]`,
      "Pod Identity association IDs are generated; the wildcard is limited to this cluster's associations, read only.",
    );
  }
}
