import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { ConstructValidationError } from '../errors/construct-validation-error';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IncidentResponseAutomationRole } from './incident-response-automation-role';
import { LaunchRoles, RoleSessionRevoker } from './role-session-revoker';
import { RunbookId, RUNBOOKS } from './runbooks';
import { captureCommandDocument } from './runbooks/capture-volatile-artifacts';
import { TOOLS_PREFIX } from './evidence-bucket';

export const RUNBOOK_TAG = 'hardened-eks:runbook';
export const RUNBOOK_STEP_TAG = 'hardened-eks:runbook-step';

export interface IncidentResponseRunbooksProps {
  /** Name of the cluster: its nodes (instances, Auto Scaling groups) carry `eks:cluster-name` = this. */
  readonly clusterName: string;
  /** The cluster's VPC: only network interfaces in it may be moved into the isolation group. */
  readonly vpc: ec2.IVpc;
  /** The in-VPC KubernetesResponder function the runbooks invoke for Kubernetes API calls. */
  readonly responderFunction: lambda.IFunction;
  /** The NodeIsolationSecurityGroup: the only group the role may put on a network interface. */
  readonly isolationSecurityGroup: ec2.ISecurityGroup;
  /** The evidence bucket (artifacts under `incidents/`, tools under `tools/`). */
  readonly evidenceBucket: s3.IBucket;
  /** The key that encrypts the evidence bucket. */
  readonly evidenceKey: kms.IKey;
  /** ARN patterns of the roles IR-3 may revoke sessions of (the platform's workload-role path). */
  readonly revocableRoleArns: string[];
  /** The launch's own roles, revocable by their launch tag. @default - none */
  readonly launchRoles?: LaunchRoles;
  /** Key of the revoker function's log group. @default - encrypted by CloudWatch Logs */
  readonly logKey?: kms.IKey;
  readonly logRetention?: logs.RetentionDays;
  /** Key of the AVML binary in the evidence bucket. Default `tools/avml`. */
  readonly avmlObjectKey?: string;
  /** SHA-256 (hex) of that AVML binary (incidentResponse.avmlSha256). Without it IR-6 refuses to run. */
  readonly avmlSha256?: string;
  /** Days IR-6's volume snapshots stay locked: the evidence bucket's retention (incidentResponse.evidenceRetentionDays). */
  readonly evidenceRetentionDays: number;
}

/**
 * The incident-response plan IR-1..IR-6 as SSM Automation documents, the role they run as, and the managed policy
 * for the people who run them. CloudFormation names the documents (stack name + suffix), so two launched products
 * never collide, whatever their cluster names; responders find them by the `hardened-eks:runbook` tag or `documentNames`.
 */
export class IncidentResponseRunbooks extends Construct {
  readonly automationRole: IncidentResponseAutomationRole;
  /** IR-3's writer of the revocation policy, invoked only by the automation role. */
  readonly revoker: RoleSessionRevoker;
  /** IR-6's Command document: the only command the automation role runs on a node. */
  readonly captureCommand: ssm.CfnDocument;
  readonly documents: Record<RunbookId, ssm.CfnDocument>;
  /** Attach to the incident responders' roles: start these documents only, pass the automation role to SSM only. */
  readonly incidentResponderPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: IncidentResponseRunbooksProps) {
    super(scope, id);
    if (props.avmlSha256 !== undefined && !/^[a-f0-9]{64}$/.test(props.avmlSha256)) {
      throw new ConstructValidationError(this, 'avmlSha256', 'must be 64 lowercase hex characters');
    }
    const avmlObjectKey = props.avmlObjectKey ?? `${TOOLS_PREFIX}avml`;
    // IR-6 runs this document, and no other, on a node: the capture script and the AVML checksum are fixed here.
    this.captureCommand = new ssm.CfnDocument(this, 'CaptureCommand', {
      documentType: 'Command',
      documentFormat: 'JSON',
      content: captureCommandDocument({
        evidenceBucketName: props.evidenceBucket.bucketName,
        avmlObjectKey,
        avmlSha256: props.avmlSha256 ?? '',
        region: Aws.REGION,
      }),
    });
    // Created first so that the automation role's ARN can be kept out of the revoker's reach.
    this.automationRole = new IncidentResponseAutomationRole(this, 'AutomationRole', {
      clusterName: props.clusterName,
      vpc: props.vpc,
      functions: [props.responderFunction],
      commandDocumentArns: [
        `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:document/${this.captureCommand.ref}`,
      ],
      isolationSecurityGroup: props.isolationSecurityGroup,
      evidenceBucket: props.evidenceBucket,
      evidenceKey: props.evidenceKey,
    });
    this.revoker = new RoleSessionRevoker(this, 'RoleSessionRevoker', {
      revocableRoleArns: props.revocableRoleArns,
      launchRoles: props.launchRoles,
      protectedRoleArns: [this.automationRole.role.roleArn],
      logKey: props.logKey,
      logRetention: props.logRetention,
    });
    this.automationRole.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeRoleSessionRevoker',
        actions: ['lambda:InvokeFunction'],
        resources: [this.revoker.function.functionArn],
      }),
    );
    const inputs = {
      automationRoleArn: this.automationRole.role.roleArn,
      clusterName: props.clusterName,
      responderFunctionArn: props.responderFunction.functionArn,
      revokerFunctionArn: this.revoker.function.functionArn,
      isolationSecurityGroupId: props.isolationSecurityGroup.securityGroupId,
      evidenceBucketName: props.evidenceBucket.bucketName,
      avmlObjectKey,
      avmlSha256: props.avmlSha256 ?? '',
      captureCommandDocumentName: this.captureCommand.ref,
      evidenceRetentionDays: props.evidenceRetentionDays,
    };
    const documents: Partial<Record<RunbookId, ssm.CfnDocument>> = {};
    for (const runbook of RUNBOOKS) {
      documents[runbook.id] = new ssm.CfnDocument(this, pascalCase(runbook.id), {
        documentType: 'Automation',
        documentFormat: 'JSON',
        content: runbook.content(inputs),
        tags: [
          { key: RUNBOOK_TAG, value: runbook.irId },
          { key: RUNBOOK_STEP_TAG, value: runbook.id },
        ],
      });
    }
    this.documents = documents as Record<RunbookId, ssm.CfnDocument>;

    const documentArns = Object.values(this.documents).flatMap((document) => [
      `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:document/${document.ref}`,
      `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:automation-definition/${document.ref}:*`,
    ]);
    this.incidentResponderPolicy = new iam.ManagedPolicy(this, 'IncidentResponderPolicy', {
      description: 'Run the incident-response runbooks (IR-1..IR-6) of this cluster',
      statements: [
        new iam.PolicyStatement({
          sid: 'StartIncidentRunbooks',
          actions: ['ssm:StartAutomationExecution'],
          resources: documentArns,
        }),
        new iam.PolicyStatement({
          sid: 'FollowExecutions',
          actions: [
            'ssm:GetAutomationExecution',
            'ssm:DescribeAutomationExecutions',
            'ssm:DescribeAutomationStepExecutions',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PassAutomationRoleToSsm',
          actions: ['iam:PassRole'],
          resources: [this.automationRole.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        }),
      ],
    });
    acknowledge(
      this.incidentResponderPolicy,
      'AwsSolutions-IAM5[Resource::*]',
      'Reading automation executions supports no resource-level permissions (Service Authorization Reference).',
    );
    for (const document of Object.values(this.documents)) {
      acknowledge(
        this.incidentResponderPolicy,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-definition/<${Stack.of(this).resolve(document.logicalId)}>:*]`,
        'Any version of this one runbook: the suffix is the document version, which changes with every update.',
      );
    }
  }

  /** Names CloudFormation gave the documents (tokens), by runbook. */
  get documentNames(): Record<RunbookId, string> {
    return Object.fromEntries(Object.entries(this.documents).map(([id, document]) => [id, document.ref])) as Record<
      RunbookId,
      string
    >;
  }
}

const pascalCase = (id: string): string =>
  id
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
