import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/*
 * The security tools the product runs as root on the nodes (kube-bench from the tools repository, AVML from the
 * evidence bucket's tools/ prefix) come only from the platform's publisher roles: whoever else in the organization
 * could push the pinned tag first, or upload tools/avml, would run their own code as root on every node.
 */

export interface ToolPublishers {
  /** The roles that publish the tools (no wildcards). */
  readonly publisherArns: readonly string[];
  /** The roles that deploy the product (the launch role): the only ones that change the repository's or bucket's policy. */
  readonly deploymentRoleArns: readonly string[];
}

/** What puts or replaces an image (immutable tags only hold while nobody may delete the image or make tags mutable). */
export const IMAGE_PUBLISH_ACTIONS = [
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:BatchDeleteImage',
] as const;
/** What would lift the restriction: a new repository policy, mutable tags, another lifecycle. */
export const REPOSITORY_POLICY_ACTIONS = [
  'ecr:SetRepositoryPolicy',
  'ecr:DeleteRepositoryPolicy',
  'ecr:PutImageTagMutability',
  'ecr:PutLifecyclePolicy',
  'ecr:DeleteLifecyclePolicy',
] as const;

/** Denies `actions` (on `resources`, when given) to every principal but the roles `allowed`. */
function denyAllBut(
  sid: string,
  actions: readonly string[],
  allowed: readonly string[],
  resources?: string[],
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...actions],
    resources,
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...allowed] } },
  });
}

/** Only the publishers push to the repository; only the deployment changes its policy and tag mutability. */
export function restrictToolPushes(repository: ecr.IRepository, o: ToolPublishers): void {
  repository.addToResourcePolicy(denyAllBut('OnlyToolPublishersPush', IMAGE_PUBLISH_ACTIONS, o.publisherArns));
  repository.addToResourcePolicy(
    denyAllBut('OnlyTheDeploymentChangesThePolicy', REPOSITORY_POLICY_ACTIONS, o.deploymentRoleArns),
  );
}

/** Only the publishers write under the prefix; only the deployment changes the bucket policy. */
export function restrictToolUploads(bucket: s3.IBucket, prefix: string, o: ToolPublishers): void {
  bucket.addToResourcePolicy(
    denyAllBut('OnlyToolPublishersWriteTools', ['s3:PutObject'], o.publisherArns, [bucket.arnForObjects(`${prefix}*`)]),
  );
  bucket.addToResourcePolicy(
    denyAllBut(
      'OnlyTheDeploymentChangesThePolicy',
      ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      o.deploymentRoleArns,
      [bucket.bucketArn],
    ),
  );
}
