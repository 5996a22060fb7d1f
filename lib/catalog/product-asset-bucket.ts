import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ProductAssetBucketProps {
  /** Physical name: product templates reference assets by bucket name, so it cannot be generated. */
  readonly bucketName: string;
  /** Only principals of this organization may read the assets. */
  readonly organizationId: string;
}

/** Days the asset bucket's access logs are kept. */
const ACCESS_LOG_RETENTION_DAYS = 731;
/** Days a replaced asset object is kept: longer than a retained product version is offered in practice. */
const NONCURRENT_ASSET_DAYS = 365;

/**
 * Where product assets live (the kubectl handler's code and layers): encrypted, TLS-only, versioned,
 * access-logged, and readable only by principals of the organization.
 */
export class ProductAssetBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ProductAssetBucketProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS), noncurrentVersionExpiration: Duration.days(90) },
      ],
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'product-assets/',
      // Current assets stay (published versions load them); replaced ones go once no retained version can name them.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(NONCURRENT_ASSET_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsAssets',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOutsideOrganization',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': props.organizationId },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  }
}
