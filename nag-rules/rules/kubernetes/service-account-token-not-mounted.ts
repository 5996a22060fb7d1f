import { hasToken } from '../../core/intrinsics';
import {
  appliedObjects,
  clusterOf,
  describeObject,
  flagState,
  KUBERNETES_RESOURCE_TYPES,
  metadataOf,
  objectsAppliedBy,
  ofKinds,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { podSpecsIn } from '../../core/pod-specs';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';

const ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

interface AccountFacts {
  /** The ServiceAccount objects the template applies to the same cluster, by `namespace/name`. */
  readonly accounts: Map<string, Record<string, any>>;
  /** `namespace/name` of service accounts that an EKS Pod Identity association of the template gives a role. */
  readonly podIdentity: Set<string>;
}

function accountFacts(model: TemplateModel, logicalId: string, clusterId: string | undefined): AccountFacts {
  const accounts = new Map<string, Record<string, any>>();
  for (const applied of appliedObjects(model).objects) {
    const sameCluster = clusterId ? applied.clusterId === clusterId : applied.logicalId === logicalId;
    const { name, namespace } = metadataOf(applied.object);
    if (sameCluster && applied.object.kind === 'ServiceAccount' && typeof name === 'string' && !hasToken(name)) {
      accounts.set(`${typeof namespace === 'string' ? namespace : 'default'}/${name}`, applied.object);
    }
  }
  const podIdentity = new Set<string>();
  for (const [, association] of model.resourcesOfType('AWS::EKS::PodIdentityAssociation')) {
    const p = association.Properties ?? {};
    if (
      clusterId &&
      model.referencedIds(p.ClusterName).includes(clusterId) &&
      typeof p.Namespace === 'string' &&
      typeof p.ServiceAccount === 'string'
    ) {
      podIdentity.add(`${p.Namespace}/${p.ServiceAccount}`);
    }
  }
  return { accounts, podIdentity };
}

function hasIamRole(facts: AccountFacts, key: string): boolean {
  const annotations = metadataOf(facts.accounts.get(key) ?? {}).annotations;
  const role = isObject(annotations) ? annotations[ROLE_ANNOTATION] : undefined;
  return (typeof role === 'string' && role.length > 0) || facts.podIdentity.has(key);
}

/** K8S-6: default service accounts do not automount tokens, and pods mount one only for a non-default account with an IAM role. */
export const ServiceAccountTokenNotMounted: ThreatModelRule = {
  controlId: 'K8S-6',
  threats: ['TH-2', 'PV-2', 'LM-2'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every applied ServiceAccount named default has automountServiceAccountToken: false, and every pod spec mounts no ' +
    'service-account token unless it runs as a non-default service account that the template gives an IAM role',
  explanation:
    'A mounted token is a Kubernetes credential for whoever holds the container (TH-2, LM-2). Tokens are off by default: on ' +
    "each namespace's default account, and on pods — a pod's own automountServiceAccountToken wins, otherwise that of its service " +
    'account when the template applies it. A pod that needs its token is one that runs as its own service account with an IAM role ' +
    '(the eks.amazonaws.com/role-arn annotation for IRSA, or an EKS Pod Identity association in the template): such an account is ' +
    "made for that workload, so the token is expected. Whether that account's RBAC is narrow is K8S-2/K8S-3's job.",
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId, properties }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    // Objects of a placeholder kind are reported once, by podSpecsIn.
    const { matches: accounts } = ofKinds(objects, ['ServiceAccount']);
    const { specs, findings: specFindings } = podSpecsIn(objects);
    findings.push(...specFindings);
    let judged = 0;
    for (const account of accounts) {
      const name = metadataOf(account).name;
      const state = flagState(account.automountServiceAccountToken);
      if (hasToken(name)) {
        if (state !== 'false')
          findings.push(unresolvedField(`the name of ${describeObject(account)} (it may be default)`, name));
        continue;
      }
      if (name !== 'default') continue;
      judged++;
      if (state === 'token')
        findings.push(
          unresolvedField(
            `automountServiceAccountToken of ${describeObject(account)}`,
            account.automountServiceAccountToken,
          ),
        );
      else if (state !== 'false')
        findings.push({ message: `${describeObject(account)} does not set automountServiceAccountToken: false` });
    }
    const facts = specs.length ? accountFacts(model, logicalId, clusterOf(model, properties)) : undefined;
    for (const pod of specs) {
      judged++;
      findings.push(...checkPod(pod.spec, pod.where, pod.namespace, facts!));
    }
    if (findings.length) return findings;
    return judged ? COMPLIANT : NOT_APPLICABLE;
  },
};

function checkPod(spec: Record<string, any>, where: string, namespace: unknown, facts: AccountFacts): RuleFinding[] {
  const own = flagState(spec.automountServiceAccountToken);
  if (own === 'false') return [];
  if (own === 'token')
    return [unresolvedField(`automountServiceAccountToken of ${where}`, spec.automountServiceAccountToken)];
  const account = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  if (hasToken(account) || hasToken(namespace))
    return [unresolvedField(`the service account of ${where}`, [account, namespace])];
  const key = `${String(namespace)}/${String(account)}`;
  if (account !== 'default' && hasIamRole(facts, key)) return [];
  if (own === 'unset') {
    const inherited = flagState(facts.accounts.get(key)?.automountServiceAccountToken);
    if (inherited === 'false') return [];
    if (inherited === 'token')
      return [
        unresolvedField(
          `automountServiceAccountToken of ServiceAccount ${key} (used by ${where})`,
          facts.accounts.get(key)!.automountServiceAccountToken,
        ),
      ];
  }
  return [
    {
      message:
        `${where} mounts a service-account token (automountServiceAccountToken is ${own === 'true' ? 'true' : 'not false, on the pod or its service account'}) ` +
        `for ${account === 'default' ? 'the default service account' : `service account '${String(account)}', which the template gives no IAM role`}`,
    },
  ];
}
