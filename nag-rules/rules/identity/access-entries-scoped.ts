import { literalStrings } from '../../core/iam-documents';
import { principalAccount } from '../../core/iam-principals';
import { asArray, branchValues, renderText } from '../../core/intrinsics';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { possibleValues, why } from '../../core/values';

const NODE_TYPES = ['EC2_LINUX', 'EC2_WINDOWS', 'HYBRID_LINUX', 'EC2'];
const FARGATE_TYPE = 'FARGATE_LINUX';
/** Access policies that write in the namespaces they reach: in kube-system that is the cluster. */
const WRITE_POLICIES = ['AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSClusterAdminPolicy'];
/** Access policies that read Secrets: at cluster scope or in kube-system they read the cluster's own credentials. */
const SECRET_READ_POLICIES = ['AmazonEKSAdminViewPolicy', 'AmazonEKSSecretReaderPolicy'];

/**
 * IDN-13: every access entry, whatever its type, gives a cluster identity only to whom it should: node entries to the
 * template's node roles, Fargate entries to its pod execution roles, standard entries no built-in (system:) group or user
 * name and no write access policy on kube-system or at cluster scope below cluster-admin (which IDN-1 judges).
 */
export const AccessEntriesScoped: ThreatModelRule = {
  controlId: 'IDN-13',
  threats: ['TH-2', 'TH-3', 'PV-1', 'LM-3', 'AC-4', 'AC-5'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    "Access entries of type EC2_LINUX, EC2_WINDOWS or HYBRID_LINUX name a node role of the template (a node group's NodeRole or " +
    "an instance profile's role), FARGATE_LINUX ones a Fargate profile's pod execution role; no entry has a system: Kubernetes group or " +
    'user name, a principal whose account a launch parameter chooses, a wildcard principal, AmazonEKSEditPolicy/AmazonEKSAdminPolicy on ' +
    'kube-system, a namespace wildcard or the whole cluster, or AmazonEKSAdminViewPolicy/AmazonEKSSecretReaderPolicy (Secret readers) on kube-system, a ' +
    'namespace wildcard or the whole cluster',
  explanation:
    'An access entry is a way into the cluster that no manifest shows. A node entry puts its principal in system:nodes: any ' +
    'role given one can act as a kubelet, read the secrets of pods it claims and join rogue nodes (TH-2, TH-3). A system: group ' +
    '(system:masters) or user name (system:node:…, system:kube-controller-manager) impersonates a built-in identity past the ' +
    'access policies (PV-1). Write access to kube-system (or to every namespace) edits the add-ons and their service accounts, ' +
    "one step from cluster-admin (AC-5), and reading its Secrets gives the add-ons' credentials (LM-3); a principal of another " +
    "account is an outsider's way in (AC-4).",
  resourceTypes: ['AWS::EKS::AccessEntry'],
  evaluate({ model, properties }) {
    const types =
      properties.Type === undefined
        ? { known: true as const, value: ['STANDARD'] }
        : possibleValues(model, properties.Type);
    if (!types.known) return [unresolved("The access entry's Type", types.because)];
    const findings: RuleFinding[] = [...principalFindings(model, properties.PrincipalArn)];
    for (const type of types.value) {
      if (NODE_TYPES.includes(type))
        findings.push(
          ...roleFindings(
            model,
            properties.PrincipalArn,
            nodeRoles(model),
            `type ${type} (a node identity in system:nodes)`,
            'node roles',
          ),
        );
      else if (type === FARGATE_TYPE)
        findings.push(
          ...roleFindings(
            model,
            properties.PrincipalArn,
            podExecutionRoles(model),
            `type ${type}`,
            'Fargate pod execution roles',
          ),
        );
      else findings.push(...standardFindings(model, properties));
    }
    const unique = [...new Map(findings.map((f) => [f.message, f])).values()];
    return unique.length ? unique : COMPLIANT;
  },
};

function principalFindings(model: TemplateModel, principal: unknown): RuleFinding[] {
  return branchValues(principal).flatMap((value): RuleFinding[] => {
    if (value === undefined) return [{ message: 'the access entry has no PrincipalArn' }];
    const account = principalAccount(model, value);
    if (account.kind === 'parameter')
      return [
        {
          message: `parameter '${account.name}' chooses the account of the access entry's principal: a launch could let another account into the cluster`,
        },
      ];
    if (renderText(value)?.includes('*'))
      return [{ message: `the access entry's principal ${renderText(value)} is a wildcard` }];
    return [];
  });
}

/** Roles of the template that are nodes: node groups' NodeRole and instance profiles' roles. */
export function nodeRoles(model: TemplateModel): string[] {
  return [
    ...model.resourcesOfType('AWS::EKS::Nodegroup').flatMap(([, r]) => model.referencedIds(r.Properties?.NodeRole)),
    ...model.resourcesOfType('AWS::IAM::InstanceProfile').flatMap(([, r]) => model.referencedIds(r.Properties?.Roles)),
  ].filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
}

/** Roles of the template that Fargate profiles run pods with. */
export function podExecutionRoles(model: TemplateModel): string[] {
  return model
    .resourcesOfType('AWS::EKS::FargateProfile')
    .flatMap(([, r]) => model.referencedIds(r.Properties?.PodExecutionRoleArn))
    .filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
}

function roleFindings(
  model: TemplateModel,
  principal: unknown,
  allowed: string[],
  what: string,
  kind: string,
): RuleFinding[] {
  return branchValues(principal)
    .filter((v) => v !== undefined)
    .flatMap((value): RuleFinding[] => {
      const id = model.referencedId(value);
      if (id && allowed.includes(id)) return [];
      if (id)
        return [{ message: `an access entry of ${what} goes to ${id}, which is not one of the template's ${kind}` }];
      const text = renderText(value);
      if (text !== undefined && !text.includes('${Token:'))
        return [{ message: `an access entry of ${what} goes to ${text}, which is not one of the template's ${kind}` }];
      return [
        unresolved(`Whether the principal of an access entry of ${what} is one of the template's ${kind}`, why(value)),
      ];
    });
}

function standardFindings(model: TemplateModel, properties: Record<string, any>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const groups = literalStrings(properties.KubernetesGroups);
  const system = groups.values.filter((g) => g.startsWith('system:'));
  if (system.length)
    findings.push({
      message: `the access entry maps its principal to the built-in group${system.length > 1 ? 's' : ''} ${system.join(', ')}`,
    });
  if (groups.unknown.length) findings.push(unresolved('The Kubernetes groups of the access entry', groups.unknown[0]));
  const username = renderText(properties.Username);
  if (username?.startsWith('system:'))
    findings.push({ message: `the access entry's user name ${username} impersonates a built-in identity` });
  for (const policy of asArray(properties.AccessPolicies).flatMap(branchValues)) {
    if (!isObject(policy)) continue;
    const name = renderText(policy.PolicyArn)?.split('/').pop();
    if (
      !name ||
      name.includes('${Token:') ||
      ![...WRITE_POLICIES, ...SECRET_READ_POLICIES].includes(name) ||
      name === 'AmazonEKSClusterAdminPolicy'
    )
      continue;
    const scope = isObject(policy.AccessScope)
      ? possibleValues(model, policy.AccessScope.Type)
      : { known: false as const, because: why(policy.AccessScope) };
    if (!scope.known) {
      findings.push(unresolved(`The access scope of ${name}`, scope.because));
      continue;
    }
    if (name === 'AmazonEKSEditPolicy' && scope.value.includes('cluster'))
      findings.push({ message: `${name} is granted at cluster scope: it writes in kube-system too` });
    if (SECRET_READ_POLICIES.includes(name) && scope.value.includes('cluster'))
      findings.push({ message: `${name} is granted at cluster scope: it reads every Secret, kube-system's included` });
    if (scope.value.includes('namespace')) {
      const namespaces = literalStrings(policy.AccessScope.Namespaces);
      const reaching = namespaces.values.filter((n) => n === 'kube-system' || /[*?]/.test(n));
      if (reaching.length)
        findings.push({
          message: `${name} is granted in ${reaching.join(', ')}: ${SECRET_READ_POLICIES.includes(name) ? 'it reads the Secrets of' : 'write access there edits'} the cluster's own add-ons`,
        });
      if (namespaces.unknown.length) findings.push(unresolved(`The namespaces of ${name}`, namespaces.unknown[0]));
    }
  }
  return findings;
}
