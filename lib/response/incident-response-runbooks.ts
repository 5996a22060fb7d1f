import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { IncidentResponseAutomationRole, IncidentResponseAutomationRoleProps } from './incident-response-automation-role';
import { RunbookId, RUNBOOKS } from './runbooks';
import { TOOLS_PREFIX } from './evidence-bucket';

export const RUNBOOK_TAG = 'hardened-eks:runbook';
export const RUNBOOK_STEP_TAG = 'hardened-eks:runbook-step';

export interface IncidentResponseRunbooksProps extends IncidentResponseAutomationRoleProps {
  /** Key of the AVML binary in the evidence bucket. Default `tools/avml`. */
  readonly avmlObjectKey?: string;
  /**
   * SHA-256 (hex) of that AVML binary: default of IR-6's AvmlSha256 parameter. Without it, memory capture fails
   * until a responder gives the checksum (or runs with CaptureMemory=false).
   */
  readonly avmlSha256?: string;
}

/**
 * The incident-response plan IR-1..IR-6 as SSM Automation documents, the role they run as, and the managed policy
 * for the people who run them. CloudFormation names the documents (stack name + suffix), so two launched products
 * never collide, whatever their cluster names; responders find them by the `hardened-eks:runbook` tag or `documentNames`.
 */
export class IncidentResponseRunbooks extends Construct {
  readonly automationRole: IncidentResponseAutomationRole;
  readonly documents: Record<RunbookId, ssm.CfnDocument>;
  /** Attach to the incident responders' roles: start these documents only, pass the automation role to SSM only. */
  readonly incidentResponderPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: IncidentResponseRunbooksProps) {
    super(scope, id);
    if (props.avmlSha256 !== undefined && !/^[a-f0-9]{64}$/.test(props.avmlSha256)) {
      throw new Error('avmlSha256 must be 64 lowercase hex characters');
    }
    this.automationRole = new IncidentResponseAutomationRole(this, 'AutomationRole', {
      clusterName: props.clusterName,
      vpc: props.vpc,
      responderFunction: props.responderFunction,
      isolationSecurityGroup: props.isolationSecurityGroup,
      evidenceBucket: props.evidenceBucket,
      evidenceKey: props.evidenceKey,
      revocableRoleArns: props.revocableRoleArns,
      launchRoles: props.launchRoles,
    });
    const inputs = {
      automationRoleArn: this.automationRole.role.roleArn,
      clusterName: props.clusterName,
      responderFunctionArn: props.responderFunction.functionArn,
      isolationSecurityGroupId: props.isolationSecurityGroup.securityGroupId,
      evidenceBucketName: props.evidenceBucket.bucketName,
      avmlObjectKey: props.avmlObjectKey ?? `${TOOLS_PREFIX}avml`,
      avmlSha256: props.avmlSha256 ?? '',
    };
    const documents: Partial<Record<RunbookId, ssm.CfnDocument>> = {};
    for (const runbook of RUNBOOKS) {
      documents[runbook.id] = new ssm.CfnDocument(this, pascalCase(runbook.id), {
        documentType: 'Automation',
        documentFormat: 'JSON',
        content: runbook.content(inputs),
        tags: [{ key: RUNBOOK_TAG, value: runbook.irId }, { key: RUNBOOK_STEP_TAG, value: runbook.id }],
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
        new iam.PolicyStatement({ sid: 'StartIncidentRunbooks', actions: ['ssm:StartAutomationExecution'], resources: documentArns }),
        new iam.PolicyStatement({
          sid: 'FollowExecutions',
          actions: ['ssm:GetAutomationExecution', 'ssm:DescribeAutomationExecutions', 'ssm:DescribeAutomationStepExecutions'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PassAutomationRoleToSsm', actions: ['iam:PassRole'], resources: [this.automationRole.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        }),
      ],
    });
    acknowledge(this.incidentResponderPolicy, 'AwsSolutions-IAM5[Resource::*]',
      'Reading automation executions supports no resource-level permissions (Service Authorization Reference).');
    for (const document of Object.values(this.documents)) {
      acknowledge(this.incidentResponderPolicy,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-definition/<${Stack.of(this).resolve(document.logicalId)}>:*]`,
        'Any version of this one runbook: the suffix is the document version, which changes with every update.');
    }
  }

  /** Names CloudFormation gave the documents (tokens), by runbook. */
  get documentNames(): Record<RunbookId, string> {
    return Object.fromEntries(Object.entries(this.documents).map(([id, document]) => [id, document.ref])) as Record<RunbookId, string>;
  }
}

const pascalCase = (id: string): string => id.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
