import { isToken, KUBERNETES_RESOURCE_TYPES, TOKEN_PREFIX } from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';
import { objectsAppliedBy, tokenResource, unresolvedField } from './manifest-objects';
import { containersOf, podSpecsIn } from './pod-specs';

/** A private ECR registry: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/`. */
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * The image reference with the template values an ECR image URI is built from put back as examples: the account,
 * region and URL suffix pseudo parameters, and the URI or name of an `AWS::ECR::Repository` of the template. Any
 * other template value stays a placeholder.
 */
function resolveImage(model: TemplateModel, image: string): string {
  return image.replace(/\$\{Token:[^}]*\}/g, (token) => {
    if (token === `${TOKEN_PREFIX}AWS::AccountId}`) return '111111111111';
    if (token === `${TOKEN_PREFIX}AWS::Region}`) return 'region-1';
    if (token === `${TOKEN_PREFIX}AWS::URLSuffix}`) return 'amazonaws.com';
    const ref = tokenResource(model, token);
    if (ref && model.resource(ref.id)?.Type === 'AWS::ECR::Repository') {
      if (ref.attribute === 'RepositoryUri') return '111111111111.dkr.ecr.region-1.amazonaws.com/repository';
      if (ref.attribute === undefined) return 'repository';
    }
    return token;
  });
}

/** What is wrong with an image reference (empty when nothing). */
export function imageProblems(image: string): string[] {
  if (DIGEST.test(image)) return [];
  const problems: string[] = [];
  if (!PRIVATE_ECR.test(image)) problems.push('is neither from a private ECR registry nor pinned by digest');
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1) : undefined;
  if (tag === undefined || tag === '') problems.push('has no tag (pulls :latest)');
  else if (tag === 'latest') problems.push('uses the mutable tag :latest');
  return problems;
}

/** K8S-14: every container image comes from a private ECR registry or is pinned by digest, and none floats on :latest. */
export const ImagesPrivateOrPinned: ThreatModelRule = {
  controlId: 'K8S-14',
  threats: ['TH-2', 'PV-6', 'EX-2'],
  level: 'error',
  description: 'Every container image of a pod spec is from a private ECR registry (<account>.dkr.ecr.<region>.amazonaws.com/…) or '
    + 'pinned by digest (@sha256:…), and none is untagged or :latest unless pinned by digest',
  explanation: 'An image from a public registry by tag is whatever that registry serves at pull time: a tampered or hijacked image runs '
    + 'as a backdoor container in the cluster (TH-2, PE-1), and pulls bypass the private registry\'s scanning and policies (PV-6, '
    + 'EX-2). :latest or no tag changes under a running workload. Template values that build an ECR URI (account, region, URL '
    + 'suffix, an ECR repository of the template) are understood; any other makes the image unresolved.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { specs, findings: specFindings } = podSpecsIn(objects);
    findings.push(...specFindings);
    for (const pod of specs) {
      const { containers, findings: containerFindings } = containersOf(pod);
      findings.push(...containerFindings);
      for (const { label, container } of containers) {
        const image = container.image;
        if (typeof image !== 'string') {
          findings.push({ message: `${label} of ${pod.where} has no image string, so its registry cannot be checked` });
          continue;
        }
        const resolved = resolveImage(model, image);
        if (isToken(resolved) && !DIGEST.test(resolved)) {
          findings.push(unresolvedField(`the image of ${label} of ${pod.where}`, resolved));
          continue;
        }
        const problems = imageProblems(resolved);
        if (problems.length) findings.push({ message: `image '${image}' of ${label} of ${pod.where} ${problems.join(' and ')}` });
      }
    }
    if (findings.length) return findings;
    return specs.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
