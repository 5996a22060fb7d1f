import { Aws, CfnCondition, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { endpointEgress } from '../network/conditional-resources';

export interface NodeIsolationSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the VPC interface endpoints (SSM, ssmmessages, ec2messages, logs, kms, …), when there is one. */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** The condition under which `endpointSecurityGroup` exists (the product creates the VPC); the rule carries it. */
  readonly endpointCondition?: CfnCondition;
}

/**
 * The group IR-2 moves a suspect node's network interfaces into, replacing all of its groups. It admits nothing
 * and lets out only HTTPS to the VPC interface endpoints (so the SSM agent and Session Manager keep working for
 * forensics) and to the region's S3 prefix list (evidence upload through the S3 gateway endpoint).
 *
 * Residuals a responder must know:
 * - Security groups do not cut connections they already track: a connection the node's old groups allowed keeps
 *   flowing until it times out. To cut everything at once, also put a deny network ACL on the node's subnet, or
 *   stop the instance after the volatile evidence is captured.
 * - Security groups do not filter traffic to the Amazon-provided DNS resolver (VPC+2), instance metadata (IMDS),
 *   DHCP or the Amazon Time Sync Service, so the node can still resolve names and read its instance role's
 *   credentials: revoke those too (IR-3). That is also why there is no DNS rule here.
 * - In a consumer's existing VPC there is no endpoint security group, so only the S3 rule exists and an isolated
 *   node no longer reaches SSM: capture (IR-6) before isolating there, or add egress to the VPC's endpoints.
 */
export class NodeIsolationSecurityGroup extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  /** ID of the region's AWS-managed S3 prefix list (`com.amazonaws.<region>.s3`), looked up at deploy time. */
  readonly s3PrefixListId: string;

  constructor(scope: Construct, id: string, props: NodeIsolationSecurityGroupProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Incident isolation for a suspect node: no ingress; HTTPS only to VPC endpoints and S3',
    });

    // CloudFormation cannot look a managed prefix list up by name, so EC2 is asked at deploy time.
    const lookup = new cr.AwsCustomResource(this, 'S3PrefixListLookup', {
      onUpdate: {
        service: 'EC2',
        action: 'describeManagedPrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${Aws.REGION}.s3`] }] },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('PrefixLists.0.PrefixListId'),
        outputPaths: ['PrefixLists.0.PrefixListId'],
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    this.s3PrefixListId = lookup.getResponseField('PrefixLists.0.PrefixListId');
    this.securityGroup.addEgressRule(
      ec2.Peer.prefixList(this.s3PrefixListId),
      ec2.Port.tcp(443),
      'HTTPS to S3 (evidence upload through the gateway endpoint)',
    );

    endpointEgress(
      this,
      this.securityGroup,
      props.endpointSecurityGroup,
      'HTTPS to the VPC interface endpoints (SSM agent, Session Manager, logs, KMS)',
      props.endpointCondition,
    );

    acknowledge(
      lookup,
      'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeManagedPrefixLists supports no resource-level permissions; the lookup only reads the S3 prefix list.',
    );
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      acknowledge(
        provider,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's AwsCustomResource provider: basic execution (its own CloudWatch Logs) only.",
      );
      acknowledge(
        provider,
        'AwsSolutions-L1',
        "The AwsCustomResource provider's Node.js runtime is chosen by aws-cdk-lib and moves with its version.",
      );
    }
  }
}

/** The construct ID aws-cdk-lib gives the stack-wide singleton Lambda behind every AwsCustomResource. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
