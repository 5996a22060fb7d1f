import { Aws, CfnCondition, Fn, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { applyConditionToAll } from './conditional-resources';

/** Interface endpoints that nodes, the kubectl handler and Session Manager need when there is no internet egress. */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'sts',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'logs',
  'ec2',
  'eks',
  'eks-auth',
  'kms',
  'lambda',
] as const;

export interface ProductNetworkProps {
  /** True when the product creates its own VPC; false when the consumer passes `existingVpcId` and subnets. */
  readonly createVpc: CfnCondition;
  /** VPC ID given by the consumer when the VPC is not created. */
  readonly existingVpcId: string;
  /** Private subnet IDs given by the consumer (a list token); the first `availabilityZones` are used. */
  readonly existingPrivateSubnetIds: string[];
  readonly vpcCidr: string;
  readonly availabilityZones: number;
  /** Prefix length of each private subnet of a created VPC. */
  readonly privateSubnetPrefix: number;
  /** NAT gateways give private subnets internet egress; without them only VPC endpoints are reachable. */
  readonly natGateways: boolean;
  /** AWS Organization whose buckets the S3 gateway endpoint admits. */
  readonly organizationId: string;
  /** Key that encrypts the flow-log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The cluster's network (PV-1, TH-1, EX-1, EX-2): either a VPC the product creates — private subnets for nodes,
 * VPC endpoints, an S3 gateway endpoint limited to the organization's buckets, flow logs — or a consumer's VPC.
 * `vpc` resolves to whichever one the launch chose, so the rest of the product does not care.
 */
export class ProductNetwork extends Construct {
  /** The VPC the cluster runs in (created or existing, chosen at launch). */
  readonly vpc: ec2.IVpc;
  /** The VPC the product creates when `createVpc` holds. */
  readonly createdVpc: ec2.Vpc;
  /** Guards the interface endpoints: HTTPS from inside the VPC only. */
  readonly endpointSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ProductNetworkProps) {
    super(scope, id);
    const created = new Construct(this, 'Created');
    applyConditionToAll(created, props.createVpc);

    this.createdVpc = new ec2.Vpc(created, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr),
      // The product is account- and region-agnostic, so the zones are picked at deploy time.
      availabilityZones: Array.from({ length: props.availabilityZones }, (_, i) => Fn.select(i, Fn.getAzs())),
      natGateways: props.natGateways ? props.availabilityZones : 0,
      subnetConfiguration: [
        ...(props.natGateways
          ? [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false }]
          : []),
        {
          name: 'Private',
          subnetType: props.natGateways ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: props.privateSubnetPrefix,
        },
      ],
      // The default group is never used; closing it keeps a forgotten resource from landing in an open group (B8).
      restrictDefaultSecurityGroup: true,
      gatewayEndpoints: {},
    });
    // CDK puts the handler that closes the default group at the stack's root: it exists only with the created VPC too.
    const restrictHandler = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictHandler) applyConditionToAll(restrictHandler, props.createVpc);
    const flowLogGroup = new logs.LogGroup(created, 'FlowLogs', {
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.createdVpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    const createdPrivateSubnets = props.natGateways ? this.createdVpc.privateSubnets : this.createdVpc.isolatedSubnets;
    this.endpointSecurityGroup = new ec2.SecurityGroup(created, 'EndpointSecurityGroup', {
      vpc: this.createdVpc,
      allowAllOutbound: false,
      description: 'VPC interface endpoints: HTTPS from inside the VPC',
    });
    this.endpointSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(this.createdVpc.vpcCidrBlock),
      ec2.Port.tcp(443),
      'HTTPS from the VPC',
    );
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      this.createdVpc.addInterfaceEndpoint(`Endpoint-${service}`, {
        service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.${Aws.REGION}.${service}`, 443),
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
        subnets: { subnets: createdPrivateSubnets },
      });
    }
    // GuardDuty's runtime agent reports through this endpoint (GuardDuty's documented policy: this account's principals only).
    const guardDutyData = this.createdVpc.addInterfaceEndpoint('Endpoint-guardduty-data', {
      service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.${Aws.REGION}.guardduty-data`, 443),
      privateDnsEnabled: true,
      securityGroups: [this.endpointSecurityGroup],
      open: false,
      subnets: { subnets: createdPrivateSubnets },
    });
    guardDutyData.addToPolicy(
      new iam.PolicyStatement({ actions: ['*'], resources: ['*'], principals: [new iam.AnyPrincipal()] }),
    );
    guardDutyData.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['*'],
        resources: ['*'],
        principals: [new iam.AnyPrincipal()],
        conditions: { StringNotEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const s3 = this.createdVpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const statement of s3GatewayPolicyStatements(props.organizationId)) s3.addToPolicy(statement);

    const pick = (createdValue: string, existingValue: string) =>
      Token.asString(Fn.conditionIf(props.createVpc.logicalId, createdValue, existingValue));
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Chosen', {
      vpcId: pick(this.createdVpc.vpcId, props.existingVpcId),
      availabilityZones: createdPrivateSubnets.map((_, i) => Fn.select(i, Fn.getAzs())),
      privateSubnetIds: createdPrivateSubnets.map((subnet, i) =>
        pick(subnet.subnetId, Fn.select(i, props.existingPrivateSubnetIds)),
      ),
    });

    for (const subnet of createdPrivateSubnets) Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
    acknowledge(
      this,
      'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
      'The chosen VPC is resolved at launch; nothing in the product reads the route tables of its subnets.',
    );
    acknowledge(
      this.endpointSecurityGroup,
      'AwsSolutions-EC23',
      'The endpoint security group admits HTTPS only from the VPC CIDR, which cdk-nag cannot resolve at synth time.',
    );
  }
}

/**
 * The S3 gateway endpoint admits only the organization's buckets (EX-1), plus the AWS-owned buckets that ECR image
 * layers and CloudFormation custom-resource responses are served from.
 */
export function s3GatewayPolicyStatements(organizationId: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'OrganizationBuckets',
      principals: [new iam.StarPrincipal()],
      actions: ['s3:*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
    }),
    new iam.PolicyStatement({
      sid: 'AwsServiceBuckets',
      principals: [new iam.StarPrincipal()],
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [
        `arn:${Aws.PARTITION}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`,
        // Response buckets are named after the region without dashes, e.g. ...-response-euwest1.
        `arn:${Aws.PARTITION}:s3:::cloudformation-custom-resource-response-${Fn.join('', Fn.split('-', Aws.REGION))}/*`,
      ],
    }),
  ];
}
