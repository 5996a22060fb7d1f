import { hasToken, TOKEN_PREFIX } from '../../core/intrinsics';
import {
  HELM_CHART_TYPES,
  helmReleases,
  KUBERNETES_RESOURCE_TYPES,
  objectsAppliedBy,
  tokenResource,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { containersOf, podSpecsIn } from '../../core/pod-specs';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, RuleResult, ThreatModelRule } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';

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
  kind: 'misconfiguration',
  description:
    'Every container image of a pod spec is from a private ECR registry (<account>.dkr.ecr.<region>.amazonaws.com/…) or ' +
    'pinned by digest (@sha256:…), and none is untagged or :latest unless pinned by digest; a Helm chart comes from a private ECR ' +
    'repository and its values point its images at a private ECR registry',
  explanation:
    'An image from a public registry by tag is whatever that registry serves at pull time: a tampered or hijacked image runs ' +
    "as a backdoor container in the cluster (TH-2, PE-1), and pulls bypass the private registry's scanning and policies (PV-6, " +
    'EX-2). :latest or no tag changes under a running workload. Template values that build an ECR URI (account, region, URL ' +
    'suffix, an ECR repository of the template) are understood; any other makes the image unresolved.',
  resourceTypes: [...KUBERNETES_RESOURCE_TYPES, ...HELM_CHART_TYPES],
  evaluate({ model, logicalId, resource }) {
    if (HELM_CHART_TYPES.includes(resource.Type)) return helmReleaseProblems(model, logicalId);
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
        if (hasToken(resolved) && !DIGEST.test(resolved)) {
          findings.push(unresolvedField(`the image of ${label} of ${pod.where}`, resolved));
          continue;
        }
        const problems = imageProblems(resolved);
        if (problems.length)
          findings.push({ message: `image '${image}' of ${label} of ${pod.where} ${problems.join(' and ')}` });
      }
    }
    if (findings.length) return findings;
    return specs.length ? COMPLIANT : NOT_APPLICABLE;
  },
};

/** A private ECR registry host (no path), as Helm values name it. */
const PRIVATE_ECR_HOST = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(\/|$)/;

/**
 * A Helm release's pod specs are not in the template: its images are private only when the chart comes from a
 * private ECR (oci://) repository and its values point the images at a private ECR registry (a `registry` key,
 * e.g. tigera-operator's installation.registry, or image `repository` keys).
 */
function helmReleaseProblems(model: TemplateModel, logicalId: string): RuleResult {
  const release = helmReleases(model).find((r) => r.logicalId === logicalId);
  if (!release) return NOT_APPLICABLE;
  const where = `Helm chart '${release.chart ?? '?'}'`;
  if (release.unreadable)
    return [{ message: `the values of ${where} cannot be read (${release.unreadable})`, unresolved: true }];
  const findings: RuleFinding[] = [];
  const repository = release.repository ?? '';
  if (hasToken(repository)) findings.push(unresolvedField(`the repository of ${where}`, repository));
  else if (!repository.startsWith('oci://') || !PRIVATE_ECR_HOST.test(repository.slice('oci://'.length))) {
    findings.push({
      message: `${where} comes from '${repository || 'no repository'}', not a private ECR (oci://) repository`,
    });
  }
  const registries: string[] = [];
  const walk = (value: unknown, key: string, depth: number): void => {
    if (depth > 20) return;
    if (typeof value === 'string' && /^(registry|repository|imageRegistry)$/i.test(key)) registries.push(value);
    else if (Array.isArray(value))
      value.forEach((v) => {
        walk(v, key, depth + 1);
      });
    else if (value && typeof value === 'object')
      Object.entries(value).forEach(([k, v]) => {
        walk(v, k, depth + 1);
      });
  };
  walk(release.values, '', 0);
  if (registries.some(hasToken))
    findings.push(unresolvedField(`the image registry of ${where}`, registries.find(hasToken)!));
  else if (registries.length === 0 || !registries.every((r) => PRIVATE_ECR_HOST.test(r))) {
    findings.push({
      message: `the values of ${where} do not point its images at a private ECR registry (${registries.length ? registries.join(', ') : "the chart's default registries"})`,
    });
  }
  return findings.length ? findings : COMPLIANT;
}
