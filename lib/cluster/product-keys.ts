import { Aws, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';

/**
 * A customer-managed key as every key of the platform is made: rotated every year, and kept when its stack is deleted
 * (what it encrypted, logs and evidence, outlives the stack).
 */
export function retainedRotatingKey(scope: Construct, id: string, description: string): kms.Key {
  return new kms.Key(scope, id, { enableKeyRotation: true, description, removalPolicy: RemovalPolicy.RETAIN });
}

/**
 * The product's customer-managed keys, each with rotation and a policy that admits only the service that uses it:
 * CloudWatch Logs for log groups, EC2 Auto Scaling for node volumes, Session Manager for sessions.
 */
export class ProductKeys extends Construct {
  readonly logs: kms.Key;
  readonly volumes: kms.Key;
  readonly sessions: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (cid: string, description: string) => retainedRotatingKey(this, cid, description);
    this.logs = key('Logs', 'Hardened EKS log groups (control plane, flow logs, sessions)');
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    this.volumes = key('Volumes', 'Hardened EKS node root volumes');
    // Managed node groups launch through EC2 Auto Scaling, whose service-linked role must use the key.
    const autoScaling = new iam.ArnPrincipal(
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    );
    this.volumes.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AutoScalingUsesKey',
        principals: [autoScaling],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
      }),
    );
    this.volumes.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AutoScalingGrantsForVolumes',
        principals: [autoScaling],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );

    this.sessions = key('Sessions', 'Hardened EKS Session Manager sessions');
  }
}

/** Grants on a key only for AWS services acting on AWS resources (CT.KMS.PR.3): nobody hands out key use by grant. */
export function denyGrantsOutsideAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsOutsideAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}

/** Applies `denyGrantsOutsideAwsServices` to every key below a scope. */
export class KeyGrantGuard implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof kms.Key) denyGrantsOutsideAwsServices(node);
  }
}
