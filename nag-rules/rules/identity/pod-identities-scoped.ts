import { awsManagedPolicyName, isAllow, policiesOfRole, statementsOf } from '../../core/iam-documents';
import { trustedPrincipals } from '../../core/iam-principals';
import { asArray, branchValues, renderText } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { possibleValues, why } from '../../core/values';

const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
const FARGATE_SERVICE = 'eks-fargate-pods.amazonaws.com';
const FARGATE_POLICY = 'AmazonEKSFargatePodExecutionRolePolicy';

/**
 * IDN-14: the roles pods receive without a node: Pod Identity associations (their own or an add-on's) name a service
 * account other than `default`, and their role is trusted by the Pod Identity service alone; Fargate profiles run pods
 * with a role trusted by Fargate alone that holds nothing but the pod execution policy, and select no namespace wildcard.
 */
export const PodIdentitiesScoped: ThreatModelRule = {
  controlId: 'IDN-14',
  threats: ['TH-2', 'LM-1', 'LM-2', 'PV-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `Every AWS::EKS::PodIdentityAssociation (and every add-on's PodIdentityAssociations entry) names a service account other than default, ` +
    `in a namespace fixed at synth time, and a role of the template trusted only by ${POD_IDENTITY_SERVICE}; every AWS::EKS::FargateProfile runs pods ` +
    `with a role of the template trusted only by ${FARGATE_SERVICE} that has no policy but ${FARGATE_POLICY}, and selects no namespace wildcard`,
  explanation:
    "A namespace's default service account is every pod that names none: a role associated with it goes to whatever runs there " +
    '(LM-2), not to one workload (PV-3). A role that other principals may also assume (nodes, functions) mixes what the pod gets with ' +
    "what they get (LM-1). Fargate's pod execution role pulls images and writes logs for every pod of the profile: anything more on it " +
    "is given to those pods' node side, and a namespace wildcard sends pods of namespaces created later to Fargate, outside the node " +
    'controls (TH-2).',
  resourceTypes: ['AWS::EKS::PodIdentityAssociation', 'AWS::EKS::Addon', 'AWS::EKS::FargateProfile'],
  evaluate({ model, resource, properties }) {
    let findings: RuleFinding[];
    if (resource.Type === 'AWS::EKS::FargateProfile') findings = fargateFindings(model, properties);
    else if (resource.Type === 'AWS::EKS::Addon') {
      const associations = asArray(properties.PodIdentityAssociations).flatMap(branchValues).filter(isObject);
      if (associations.length === 0) return NOT_APPLICABLE;
      findings = associations.flatMap((a) => associationFindings(model, { ...a, Namespace: "the add-on's namespace" }));
    } else findings = associationFindings(model, properties);
    const unique = [...new Map(findings.map((f) => [f.message, f])).values()];
    return unique.length ? unique : COMPLIANT;
  },
};

function associationFindings(model: TemplateModel, association: Record<string, any>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const accounts = possibleValues(model, association.ServiceAccount);
  if (!accounts.known)
    findings.push(unresolved('The service account of the Pod Identity association', accounts.because));
  else if (accounts.value.includes('default'))
    findings.push({
      message:
        'the Pod Identity association gives its role to the default service account: every pod of the namespace that names no service account gets it',
    });
  else if (accounts.value.length === 0)
    findings.push({ message: 'the Pod Identity association names no service account' });
  const namespaces =
    typeof association.Namespace === 'string'
      ? { known: true as const, value: [association.Namespace] }
      : possibleValues(model, association.Namespace);
  if (!namespaces.known) findings.push(unresolved('The namespace of the Pod Identity association', namespaces.because));
  findings.push(...trustFindings(model, association.RoleArn, POD_IDENTITY_SERVICE, 'the Pod Identity association'));
  return findings;
}

function fargateFindings(model: TemplateModel, properties: Record<string, any>): RuleFinding[] {
  const findings = trustFindings(model, properties.PodExecutionRoleArn, FARGATE_SERVICE, 'the Fargate profile');
  const roleId = model.referencedId(properties.PodExecutionRoleArn);
  if (roleId && model.resource(roleId)?.Type === 'AWS::IAM::Role') {
    const { documents, managedPolicyArns } = policiesOfRole(model, roleId);
    const extra = managedPolicyArns
      .map(awsManagedPolicyName)
      .filter((p) => !(p.kind === 'aws' && p.name === FARGATE_POLICY));
    if (extra.length || documents.length) {
      const names = [
        ...extra.map((p) => (p.kind === 'aws' ? p.name : p.kind === 'other' ? p.text : p.because)),
        ...documents.map((d) => d.where),
      ];
      findings.push({ message: `pod execution role ${roleId} holds more than ${FARGATE_POLICY}: ${names.join(', ')}` });
    }
  }
  for (const selector of asArray(properties.Selectors).flatMap(branchValues).filter(isObject)) {
    const namespace = renderText(selector.Namespace);
    if (namespace !== undefined && /[*?]/.test(namespace))
      findings.push({
        message: `the Fargate profile selects every namespace matching ${namespace}, namespaces created later included`,
      });
  }
  return findings;
}

/** The role a pod receives is a role of the template trusted by `service` alone. */
function trustFindings(model: TemplateModel, roleArn: unknown, service: string, what: string): RuleFinding[] {
  if (roleArn === undefined) return [{ message: `${what} names no role` }];
  const roleId = model.referencedId(roleArn);
  if (!roleId || model.resource(roleId)?.Type !== 'AWS::IAM::Role') {
    return [
      unresolved(
        `What the role of ${what} may do and who else may assume it`,
        roleId ? `${model.resource(roleId)?.Type} ${roleId}` : why(roleArn),
      ),
    ];
  }
  const { statements, unreadable } = statementsOf(model.resource(roleId)?.Properties?.AssumeRolePolicyDocument);
  if (unreadable.length) return [unresolved(`The trust policy of ${roleId}`, unreadable[0])];
  const others = new Set<string>();
  let trusted = false;
  for (const statement of statements.filter(isAllow)) {
    const { anyone, kinds } = trustedPrincipals(statement);
    if (anyone) others.add('*');
    for (const [kind, values] of Object.entries(kinds)) {
      for (const value of values) {
        const text = typeof value === 'string' ? value : (renderText(value) ?? why(value));
        if (kind === 'Service' && text === service) trusted = true;
        else others.add(`${kind} ${text}`);
      }
    }
  }
  const findings: RuleFinding[] = [];
  if (!trusted) findings.push({ message: `role ${roleId} of ${what} does not trust ${service}` });
  if (others.size)
    findings.push({
      message: `role ${roleId} of ${what} is also assumable by ${[...others].join(', ')}: pods should get a role of their own`,
    });
  return findings;
}
