import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { retainedRotatingKey } from '../cluster/product-keys';
import { ConstructValidationError } from '../errors/construct-validation-error';

export interface PrivateRegistryProps {
  /** Repository names. */
  readonly repositories: string[];
  /** Only principals of this organization may use the repositories. */
  readonly organizationId: string;
  /** Untagged images are expired after this many days. @default 14 */
  readonly untaggedImageDays?: number;
  /** Tagged images kept per repository. @default 200 */
  readonly maxImages?: number;
}

/**
 * The team's private registry (PV-6, EX-2, AC-2, PE-1): scan on push, immutable tags, KMS encryption with a
 * rotating customer-managed key, a lifecycle policy, and a repository policy that refuses anyone outside the
 * organization.
 */
export class PrivateRegistry extends Construct {
  readonly key: kms.Key;
  readonly repositories: ecr.Repository[];
  private readonly repositoriesByName = new Map<string, ecr.Repository>();

  constructor(scope: Construct, id: string, props: PrivateRegistryProps) {
    super(scope, id);
    this.key = retainedRotatingKey(this, 'Key', 'ECR image encryption');
    this.repositories = props.repositories.map((name) => {
      const repository = new ecr.Repository(this, `Repository-${name}`, {
        repositoryName: name,
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.KMS,
        encryptionKey: this.key,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images',
            tagStatus: ecr.TagStatus.UNTAGGED,
            maxImageAge: Duration.days(props.untaggedImageDays ?? 14),
          },
          {
            rulePriority: 2,
            description: 'Keep a bounded number of images',
            tagStatus: ecr.TagStatus.ANY,
            maxImageCount: props.maxImages ?? 200,
          },
        ],
      });
      repository.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyOutsideOrganization',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['ecr:*'],
          conditions: {
            StringNotEqualsIfExists: { 'aws:PrincipalOrgID': props.organizationId },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
      this.repositoriesByName.set(name, repository);
      return repository;
    });
  }

  /** The repository of this name. */
  repository(name: string): ecr.Repository {
    const repository = this.repositoriesByName.get(name);
    if (!repository) throw new ConstructValidationError(this, 'repositories', `must include '${name}'`);
    return repository;
  }
}
