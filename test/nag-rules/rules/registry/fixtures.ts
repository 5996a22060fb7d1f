import { DEFAULT_DETECTION } from '../../../../products/hardened-eks/settings';
import { checkerOf, idsOfType, productTemplate, templateOf } from '../../rule-harness';

/** A hardened repository `R`: scan on push, immutable tags, KMS, a lifecycle policy, an organization-only policy. */
export function repositoryTemplate(
  change: (properties: Record<string, any>) => void = () => {},
  others: Record<string, unknown> = {},
): Record<string, any> {
  const properties: Record<string, any> = {
    ImageScanningConfiguration: { ScanOnPush: true },
    ImageTagMutability: 'IMMUTABLE',
    EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': ['Key', 'Arn'] } },
    LifecyclePolicy: {
      LifecyclePolicyText: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
            action: { type: 'expire' },
          },
        ],
      }),
    },
    RepositoryPolicyText: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['ecr:BatchGetImage'],
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
        },
      ],
    },
  };
  change(properties);
  return templateOf({
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    R: { Type: 'AWS::ECR::Repository', Properties: properties },
    ...others,
  });
}

/** Runs one rule on the repository `R` of a `repositoryTemplate`. */
export const checkRepository = checkerOf(repositoryTemplate, 'R');

/** The real product's template with its team repository's properties changed, and that repository's logical ID. */
export function productWithRepository(change: (properties: Record<string, any>) => void): {
  template: Record<string, any>;
  repository: string;
} {
  const template = productTemplate();
  const repository = productRepository(template);
  change(template.Resources[repository].Properties);
  return { template, repository };
}

/** The logical ID of the product's repository. */
export function productRepository(template: Record<string, any>): string {
  // The team's repository, not the security-tools one the product adds for kube-bench.
  const ids = idsOfType(
    template,
    'AWS::ECR::Repository',
    (r) => r.Properties?.RepositoryName !== DEFAULT_DETECTION.toolsRepository,
  );
  if (ids.length !== 1) throw new Error(`expected one team repository, found ${ids.length}`);
  return ids[0];
}
