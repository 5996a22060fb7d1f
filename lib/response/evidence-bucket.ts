import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { denyGrantsOutsideAwsServices, retainedRotatingKey } from '../cluster/product-keys';
import { acknowledge } from '../compliance/acknowledge';
import { ConstructValidationError } from '../errors/construct-validation-error';

/** Key prefix under which incident runbooks write evidence (IR-6): `incidents/<incident id>/...`. */
export const EVIDENCE_PREFIX = 'incidents/';
/** Key prefix where the platform team uploads responder tools ahead of time (e.g. the AVML memory-capture binary). */
export const TOOLS_PREFIX = 'tools/';

export interface EvidenceBucketProps {
  /** Days every object version stays locked in COMPLIANCE mode: nobody, root included, can delete or shorten it. */
  readonly retentionDays: number;
  /** AWS Organization (`o-…`) whose principals are the only ones the bucket answers. */
  readonly organizationId: string;
}

/**
 * Where incident evidence lands (IR-6): a bucket with Object Lock in COMPLIANCE mode, versioning, its own rotating
 * customer-managed key (SSE-KMS with an S3 Bucket Key), TLS only, no public access, access only from the
 * organization, and server access logs in a separate bucket. Both buckets and the key outlive the stack.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  /** Receives the evidence bucket's server access logs. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new ConstructValidationError(
        this,
        'retentionDays',
        `must be a positive whole number of days, got ${props.retentionDays}`,
      );
    }
    this.key = retainedRotatingKey(this, 'Key', 'Hardened EKS incident evidence');
    denyGrantsOutsideAwsServices(this.key);

    // S3 documents SSE-S3 for access-log target buckets, and a target must not have an Object Lock default retention.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      // Access records are kept as long as the evidence they describe, a deleted or overwritten one too.
      lifecycleRules: [
        {
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogs,
      'AwsSolutions-S1',
      "This bucket is the target of the evidence bucket's server access logs; logging a log bucket into itself is what S3 advises against.",
    );

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      // Never expires evidence (Object Lock decides how long it stays); only abandoned partial uploads are cleaned up.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Every write and read of evidence also reaches EventBridge, natively (the L2's eventBridgeEnabled adds a Lambda).
    for (const bucket of [this.bucket, this.accessLogs]) {
      (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
        eventBridgeConfiguration: { eventBridgeEnabled: true },
      };
    }

    // Object Lock already refuses deletes of locked versions; this also refuses delete markers and tag removal. The
    // access records (no Object Lock: S3 refuses it on a log target) get the same deny; the lifecycle expires them.
    for (const bucket of [this.bucket, this.accessLogs]) {
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyObjectDeletion',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:DeleteObject*'],
          resources: [bucket.arnForObjects('*')],
        }),
      );
    }
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOutsideOrganization',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );
  }
}
