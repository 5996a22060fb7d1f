import { Aspects, Aws, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KeyGrantGuard, retainedRotatingKey } from '../cluster/product-keys';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { ConstructValidationError } from '../errors/construct-validation-error';

/** Where AWS Config writes inside its bucket (the service's fixed layout below the optional prefix). */
const CONFIG_OBJECT_PATH = `AWSLogs/${Aws.ACCOUNT_ID}/Config/*`;

export interface AccountBaselineStackProps extends StackProps {
  /**
   * Enable GuardDuty with EKS audit-log monitoring and Runtime Monitoring. Turn off where the organization's
   * GuardDuty delegated administrator already manages the detector (an account has one detector per region).
   * @default true
   */
  readonly guardDuty?: boolean;
  /**
   * Record resource configurations with AWS Config and deliver them to an encrypted bucket. The product's Config
   * rules evaluate nothing without a recorder. Turn off where the organization (e.g. Control Tower) already records.
   * @default true
   */
  readonly config?: boolean;
  /**
   * Record global resource types (IAM) too. Record them in one region only, or every region records them again.
   * @default true
   */
  readonly recordGlobalResourceTypes?: boolean;
  /**
   * Scan every repository of the registry with Amazon Inspector (ECR enhanced scanning). Without it, the basic
   * scan-on-push that the product's repositories set remains the fallback.
   * @default true
   */
  readonly enhancedImageScanning?: boolean;
  /** When enhanced scanning scans. @default 'CONTINUOUS_SCAN' */
  readonly imageScanFrequency?: 'CONTINUOUS_SCAN' | 'SCAN_ON_PUSH';
  /** Days until Config history objects expire from the bucket. @default 2555 (seven years) */
  readonly configRetentionDays?: number;
}

/**
 * What the hardened EKS product needs enabled per account and region but cannot enable itself, as an optional stack
 * deployed once per account and region (next to, not inside, the Service Catalog product): GuardDuty (EKS audit logs
 * and Runtime Monitoring), an AWS Config recorder with its delivery channel, and ECR enhanced scanning. Each part can
 * be switched off where an organization-wide service already owns it.
 */
export class AccountBaselineStack extends Stack {
  readonly detector?: guardduty.CfnDetector;
  readonly recorder?: config.CfnConfigurationRecorder;
  readonly deliveryChannel?: config.CfnDeliveryChannel;
  readonly configBucket?: s3.Bucket;
  readonly scanningConfiguration?: ecr.CfnRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: AccountBaselineStackProps = {}) {
    super(scope, id, props);
    if (props.guardDuty === false && props.config === false && props.enhancedImageScanning === false) {
      throw new ConstructValidationError(
        this,
        'guardDuty, config and enhancedImageScanning',
        'must not all be false: every part of the account baseline is switched off; deploy no baseline stack instead',
      );
    }

    if (props.guardDuty ?? true) {
      this.detector = new guardduty.CfnDetector(this, 'GuardDutyDetector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        features: [
          { name: 'EKS_AUDIT_LOGS', status: 'ENABLED' },
          // S3 protection: data events on the account's buckets show exfiltration to or from them (EX-1).
          { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
          {
            name: 'RUNTIME_MONITORING',
            status: 'ENABLED',
            // The product installs the aws-guardduty-agent add-on itself, pinned and with its own VPC endpoint.
            additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' }],
          },
        ],
      });
    }

    if (props.config ?? true) {
      const recording = this.addConfigRecorder(props);
      this.recorder = recording.recorder;
      this.deliveryChannel = recording.channel;
      this.configBucket = recording.bucket;
    }

    // Amazon Inspector has no CloudFormation resource for its activation: ENHANCED scanning only takes effect in
    // accounts where Inspector is activated (Inspector2 Enable API, or the organization's delegated administrator).
    if (props.enhancedImageScanning ?? true) {
      this.scanningConfiguration = new ecr.CfnRegistryScanningConfiguration(this, 'RegistryScanning', {
        scanType: 'ENHANCED',
        rules: [
          {
            scanFrequency: props.imageScanFrequency ?? 'CONTINUOUS_SCAN',
            repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }],
          },
        ],
      });
    }

    Aspects.of(this).add(new KeyGrantGuard());
  }

  private addConfigRecorder(props: AccountBaselineStackProps): {
    recorder: config.CfnConfigurationRecorder;
    channel: config.CfnDeliveryChannel;
    bucket: s3.Bucket;
  } {
    const configService = new iam.ServicePrincipal('config.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };

    const key = retainedRotatingKey(this, 'ConfigKey', 'AWS Config history and snapshots');
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigOfThisAccount',
        principals: [configService],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    // S3 server access logs cannot be delivered to an SSE-KMS bucket: the log bucket uses SSE-S3.
    const accessLogs = new s3.Bucket(this, 'ConfigAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // Access logs of the Config bucket: kept as long as the configuration history they describe.
      lifecycleRules: [
        {
          expiration: Duration.days(props.configRetentionDays ?? 2555),
          noncurrentVersionExpiration: Duration.days(90),
        },
      ],
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const bucket = new s3.Bucket(this, 'ConfigBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'config-bucket/',
      lifecycleRules: [
        {
          expiration: Duration.days(props.configRetentionDays ?? 2555),
          noncurrentVersionExpiration: Duration.days(90),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The documented bucket policy for the Config service principal (used when Config runs under its service-linked role).
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigChecksBucket',
        principals: [configService],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: fromThisAccount,
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigDelivers',
        principals: [configService],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(CONFIG_OBJECT_PATH)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    );

    const role = new iam.Role(this, 'ConfigRole', {
      assumedBy: configService,
      description: 'AWS Config recorder: reads resource configurations, delivers them to the Config bucket',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(CONFIG_OBJECT_PATH)] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    );
    acknowledge(
      role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
      'AWS_ConfigRole is the read-only policy AWS maintains for the Config recorder as new resource types are added.',
    );
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/AWSLogs/<AWS::AccountId>/Config/*]`,
      'Config writes objects with generated names below its fixed AWSLogs/<account>/Config/ prefix of this bucket only.',
    );

    const recorder = new config.CfnConfigurationRecorder(this, 'ConfigRecorder', {
      roleArn: role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResourceTypes ?? true },
    });
    const channel = new config.CfnDeliveryChannel(this, 'ConfigDeliveryChannel', {
      s3BucketName: bucket.bucketName,
      s3KmsKeyArn: key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // Config refuses a delivery channel before the recorder exists or while the bucket policy does not admit it.
    channel.node.addDependency(recorder, bucket.policy!, role);
    return { recorder, channel, bucket };
  }
}
