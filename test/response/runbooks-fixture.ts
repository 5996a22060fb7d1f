import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IncidentResponseRunbooks } from '../../lib/response/incident-response-runbooks';
import { RunbookInputs } from '../../lib/response/runbooks';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const CLUSTER_NAME = 'prod';
export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const ISOLATION_GROUP_ID = 'sg-0isolation0000000';
export const OTHER_GROUP_ID = 'sg-0workload00000000';
export const RESPONDER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:KubernetesResponder`;
export const REVOKER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:RoleSessionRevoker`;
export const CAPTURE_COMMAND = 'IncidentResponseCaptureCommandDocument';
export const BUCKET_NAME = 'prod-evidence';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-0000-0000-000000000000`;
export const AVML_SHA256 = 'a'.repeat(64);
export const REVOCABLE_ROLE_ARNS = [
  `arn:aws:iam::${ACCOUNT}:role/hardened-eks/*`,
  `arn:aws:iam::${ACCOUNT}:role/workloads/*`,
];

/** Plain values for the document functions (what CloudFormation resolves the tokens to). */
/** The evidence retention the fixture's IR-6 locks its snapshots for. */
export const EVIDENCE_RETENTION_DAYS = 365;

export const RESOLVED_INPUTS: RunbookInputs = {
  automationRoleArn: `arn:aws:iam::${ACCOUNT}:role/hardened-eks/IncidentResponseAutomation`,
  clusterName: CLUSTER_NAME,
  responderFunctionArn: RESPONDER_ARN,
  revokerFunctionArn: REVOKER_ARN,
  captureCommandDocumentName: CAPTURE_COMMAND,
  isolationSecurityGroupId: ISOLATION_GROUP_ID,
  evidenceBucketName: BUCKET_NAME,
  avmlObjectKey: 'tools/avml',
  avmlSha256: AVML_SHA256,
  evidenceRetentionDays: EVIDENCE_RETENTION_DAYS,
};

/**
 * A stack with the runbooks over imported stand-ins for the responder, bucket, key, VPC and isolation group (their
 * constructs are built elsewhere), synthesized once.
 */
export function synthesizeRunbooks(): { template: Template; stack: Stack; runbooks: IncidentResponseRunbooks } {
  const app = new App();
  const stack = new Stack(app, 'Runbooks', { env: { account: ACCOUNT, region: REGION } });
  const runbooks = new IncidentResponseRunbooks(stack, 'IncidentResponse', {
    clusterName: CLUSTER_NAME,
    vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: VPC_ID, availabilityZones: [`${REGION}a`] }),
    responderFunction: lambda.Function.fromFunctionArn(stack, 'Responder', RESPONDER_ARN),
    isolationSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Isolation', ISOLATION_GROUP_ID),
    evidenceBucket: s3.Bucket.fromBucketName(stack, 'Evidence', BUCKET_NAME),
    evidenceKey: kms.Key.fromKeyArn(stack, 'EvidenceKey', KEY_ARN),
    avmlSha256: AVML_SHA256,
    evidenceRetentionDays: EVIDENCE_RETENTION_DAYS,
    revocableRoleArns: REVOCABLE_ROLE_ARNS,
  });
  return { template: Template.fromStack(stack), stack, runbooks };
}
