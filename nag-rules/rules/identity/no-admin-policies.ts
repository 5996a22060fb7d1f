import { awsManagedPolicyName, literalStrings, PlacedDocument, Statement } from '../../core/iam-documents';
import { allowStatements, holdersOfPolicy, isPermissionsBoundary, PRINCIPAL_TYPES } from '../../core/iam-principals';
import { asArray, branchValues } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { cachedReadFor } from '../../core/read-cache';
import { TemplateModel, TemplateResource } from '../../core/template-model';

/**
 * AWS managed policies that amount to administrator: they grant everything, everything but IAM (from where any
 * service role is one step away), or IAM itself (which writes any grant).
 */
export const ADMIN_EQUIVALENT_POLICIES: readonly string[] = [
  'AdministratorAccess',
  'PowerUserAccess',
  'IAMFullAccess',
  'AdministratorAccess-Amplify',
  'AdministratorAccess-AWSElasticBeanstalk',
  'AWSOrganizationsFullAccess',
];
const POLICY_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
];

/** IDN-11: no principal of the template holds an administrator-equivalent policy, AWS managed or its own. */
export const NoAdminPolicies: ThreatModelRule = {
  controlId: 'IDN-11',
  threats: ['TH-2', 'TH-4', 'LM-1', 'AC-5', 'PV-7'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `No role, user or group of the template has an administrator-equivalent AWS managed policy (${ADMIN_EQUIVALENT_POLICIES.join(', ')}), ` +
    'and no policy of the template allows * or iam:* on every resource, or NotAction',
  explanation:
    'An administrator can call every admin API (TH-4), rewrite the guardrails that keep them to break-glass roles (PV-7) and ' +
    'give itself cluster-admin through an access entry. On a role that a pod, a node or a function of the product can use, ' +
    'one compromised container becomes administrator of the account (TH-2, LM-1); on a person it is privilege beyond the ' +
    'job (AC-5). IAMFullAccess and PowerUserAccess are one step from it: IAM writes any grant, and PowerUser keeps every ' +
    'service that runs code under a role.',
  resourceTypes: [...PRINCIPAL_TYPES, ...POLICY_TYPES],
  evaluate({ model, logicalId, resource, properties }) {
    if (POLICY_TYPES.includes(resource.Type)) {
      // A policy attached to a principal of the template is judged with it; a permissions boundary grants nothing.
      if (holdersOfPolicy(model, logicalId).length > 0 || isPermissionsBoundary(model, logicalId))
        return NOT_APPLICABLE;
      const findings = documentFindings([{ where: logicalId, document: properties.PolicyDocument }]);
      return findings.length ? findings : COMPLIANT;
    }
    // A customer-managed policy of the template is read below, with the documents attached to the principal.
    const outsideArns = asArray(properties.ManagedPolicyArns)
      .flatMap(branchValues)
      .filter((arn) => model.resource(model.referencedId(arn) ?? '')?.Type !== 'AWS::IAM::ManagedPolicy');
    const findings: RuleFinding[] = [...managedPolicyFindings(outsideArns, logicalId)];
    const inline: PlacedDocument[] = asArray(properties.Policies)
      .flatMap(branchValues)
      .filter((p) => p !== undefined)
      .map((p) => ({
        where: `an inline policy of ${logicalId}`,
        document: (p as Record<string, unknown>)?.PolicyDocument,
      }));
    findings.push(...documentFindings([...inline, ...attachedDocuments(model, logicalId)]));
    return findings.length ? findings : COMPLIANT;
  },
};

function managedPolicyFindings(arns: unknown, principalId: string): RuleFinding[] {
  return asArray(arns)
    .flatMap(branchValues)
    .filter((arn) => arn !== undefined)
    .flatMap((arn): RuleFinding[] => {
      const policy = awsManagedPolicyName(arn);
      if (policy.kind === 'unknown') return [unresolved(`A managed policy of ${principalId}`, policy.because)];
      if (policy.kind === 'aws' && ADMIN_EQUIVALENT_POLICIES.includes(policy.name)) {
        return [
          { message: `${principalId} has the AWS managed policy ${policy.name}, which amounts to administrator` },
        ];
      }
      return [];
    });
}

/** Documents of the template's policy resources attached to the principal. */
function attachedDocuments(model: TemplateModel, principalId: string): PlacedDocument[] {
  return (policiesByHolder(model).get(principalId) ?? []).map(([id, r]) => ({
    where: id,
    document: r.Properties?.PolicyDocument,
  }));
}

/** The template's policy resources by the principals that hold them, in template order (read once per template). */
function policiesByHolder(model: TemplateModel): Map<string, [string, TemplateResource][]> {
  return cachedReadFor('policies-by-holder', model.resources, () => {
    const byHolder = new Map<string, [string, TemplateResource][]>();
    for (const entry of model.resourcesOfType(...POLICY_TYPES)) {
      for (const holder of holdersOfPolicy(model, entry[0])) {
        const held = byHolder.get(holder);
        if (held) held.push(entry);
        else byHolder.set(holder, [entry]);
      }
    }
    return byHolder;
  });
}

function documentFindings(documents: PlacedDocument[]): RuleFinding[] {
  const { statements, unreadable } = allowStatements(documents);
  const findings: RuleFinding[] = unreadable.map((u) => unresolved('A statement', u));
  for (const { where, statement } of statements) findings.push(...statementFindings(where, statement));
  return findings;
}

function statementFindings(where: string, statement: Statement): RuleFinding[] {
  const everywhere =
    literalStrings(statement.Resource).values.includes('*') ||
    (statement.Resource === undefined && statement.NotResource !== undefined);
  if (statement.Action === undefined && statement.NotAction !== undefined) {
    return [
      { message: `${where} allows NotAction: everything but the actions it names, which amounts to administrator` },
    ];
  }
  const { values, unknown } = literalStrings(statement.Action);
  const wide = values.filter((a) => a === '*' || /^iam:\*$/i.test(a));
  if (wide.length && everywhere)
    return [{ message: `${where} allows ${wide.join(', ')} on every resource, which amounts to administrator` }];
  if (unknown.length && everywhere) return [unresolved(`An action ${where} allows on every resource`, unknown[0])];
  return [];
}
