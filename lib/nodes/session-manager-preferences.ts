import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface SessionManagerPreferencesProps {
  readonly key: kms.IKey;
  readonly retention: logs.RetentionDays;
  /** Idle minutes before a session ends. @default 20 */
  readonly idleSessionTimeoutMinutes?: number;
}

/**
 * Session Manager in place of SSH (EP-2, CC-PRE): a session document that encrypts sessions with a
 * customer-managed key and streams every transcript to a KMS-encrypted log group. Operators start sessions with
 * `--document-name` set to this document.
 */
export class SessionManagerPreferences extends Construct {
  readonly logGroup: logs.LogGroup;
  readonly document: ssm.CfnDocument;

  constructor(scope: Construct, id: string, props: SessionManagerPreferencesProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'SessionLogs', {
      encryptionKey: props.key,
      retention: props.retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Session',
      documentFormat: 'JSON',
      content: {
        schemaVersion: '1.0',
        description: 'Hardened EKS node sessions: KMS-encrypted, logged to CloudWatch',
        sessionType: 'Standard_Stream',
        inputs: {
          kmsKeyId: props.key.keyId,
          cloudWatchLogGroupName: this.logGroup.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          s3EncryptionEnabled: true,
          runAsEnabled: false,
          idleSessionTimeout: String(props.idleSessionTimeoutMinutes ?? 20),
          maxSessionDuration: '120',
          shellProfile: { linux: 'exec bash -l' },
        },
      },
    });
  }
}
