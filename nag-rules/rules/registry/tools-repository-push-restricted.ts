import {
  admitsAnyone,
  statementCovers,
  statementsInEveryCase,
  statementsOf,
  undecided,
} from '../../core/iam-documents';
import { appliedObjects, tokenResource, tokensIn } from '../../core/kubernetes-objects';
import { containersOf, podSpecsIn } from '../../core/pod-specs';
import { exemptionProblems } from '../../core/principal-exemptions';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';

/** What publishes or replaces an image, and what would lift a push restriction (a new policy, mutable tags). */
export const RESTRICTED_PUSH_ACTIONS = [
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:BatchDeleteImage',
  'ecr:PutImageTagMutability',
  'ecr:SetRepositoryPolicy',
] as const;

/** Pod specs of the template's manifests that run an image of the repository (its URI or name is in the image). */
function podsRunning(model: TemplateModel, repositoryId: string): string[] {
  const { specs } = podSpecsIn(appliedObjects(model).objects.map((o) => o.object));
  return specs
    .filter((pod) =>
      containersOf(pod).containers.some(
        ({ container }) =>
          typeof container.image === 'string' &&
          tokensIn(container.image).some((t) => tokenResource(model, t)?.id === repositoryId),
      ),
    )
    .map((pod) => pod.where);
}

/**
 * REG-6: a repository whose images the template's own workloads run (e.g. kube-bench, as root on the nodes) accepts
 * pushes only from named principals: its policy denies pushing, deleting images and making tags mutable to everyone else.
 */
export const ToolsRepositoryPushRestricted: ThreatModelRule = {
  controlId: 'REG-6',
  threats: ['TH-2', 'PE-1', 'AC-2', 'AC-4'],
  level: 'error',
  kind: 'missing-control',
  description:
    'An ECR repository whose images a Kubernetes workload of the template runs has a repository policy with Deny statements ' +
    `for any principal covering ${RESTRICTED_PUSH_ACTIONS.join(', ')}, each exempting only named principals (aws:PrincipalArn without ` +
    'wildcards, no role of the template, no other condition)',
  explanation:
    'The product runs kube-bench from its tools repository as root on every node, by a pinned, immutable tag. Immutable tags ' +
    'protect a tag that exists, not one that does not yet (or one whose image was deleted): whoever may push to the repository first ' +
    'decides what runs as root (TH-2, PE-1). An organization-wide repository policy lets every principal of every account push.',
  resourceTypes: ['AWS::ECR::Repository'],
  evaluate({ model, logicalId, properties }) {
    const pods = podsRunning(model, logicalId);
    if (pods.length === 0) return NOT_APPLICABLE;
    const reading = statementsOf(properties.RepositoryPolicyText);
    const unknown = undecided(reading);
    const statements = statementsInEveryCase(reading);
    const denies = statements.filter((s) => s.Effect === 'Deny' && admitsAnyone(s) === 'yes');
    const findings: RuleFinding[] = [];
    for (const action of RESTRICTED_PUSH_ACTIONS) {
      const candidates = denies
        .filter((s) => statementCovers(s, action))
        .map((s) => exemptionProblems(model, s, [], 'a publisher of images'));
      if (candidates.some((problems) => problems.length === 0)) continue;
      if (candidates.length)
        findings.push({
          message: `${pods.join(', ')} run${pods.length > 1 ? '' : 's'} images of ${logicalId}, and its deny of ${action} does not hold (${candidates.map((p) => p.join('; ')).join(' | ')})`,
        });
      else if (unknown) findings.push(unresolved(`Whether ${logicalId} denies ${action}`, unknown));
      else
        findings.push({
          message: `${pods.join(', ')} run${pods.length > 1 ? '' : 's'} images of ${logicalId}, and its policy does not deny ${action} to principals other than the publishers`,
        });
    }
    return findings.length ? findings : COMPLIANT;
  },
};
