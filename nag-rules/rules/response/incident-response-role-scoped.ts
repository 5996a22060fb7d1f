import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { renderText } from '../../core/intrinsics';
import { resourcesOfCluster } from '../cluster/cluster-properties';
import { alternatives, asArray, coversAction, isAllow, literalStrings, policiesOfRole, statementsOf } from '../identity/iam-documents';
import { invokedFunctions, IR_IDS, resolveInput, runbooksFor } from './runbook-documents';

/** Actions the incident-response automation must never be allowed: cluster changes, secrets, evidence destruction, privilege hand-off. */
export const IR_FORBIDDEN_ACTIONS: readonly string[] = [
  'eks:DeleteCluster', 'eks:UpdateClusterConfig', 'eks:CreateAccessEntry', 'eks:AssociateAccessPolicy',
  'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'kms:CreateGrant',
  's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention', 's3:PutBucketPolicy',
  'iam:PassRole', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey', 'sts:AssumeRole',
];
/** EKS access policies too broad for the responder's access entry. */
const BROAD_ACCESS_POLICIES = ['AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy'];

/** REM-7: the runbooks run as a least-privilege role, and their Kubernetes responder has a scoped access entry. */
export const IncidentResponseRoleScoped: ThreatModelRule = {
  controlId: 'REM-7',
  threats: ['TH-2', 'TH-3', 'TH-4', 'IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6', 'PV-3'],
  level: 'warning',
  description: 'The runbooks of the cluster assume a role of the template that only ssm.amazonaws.com may assume and that is allowed '
    + `none of ${IR_FORBIDDEN_ACTIONS.join(', ')}; the Lambda functions they invoke have an access entry on the cluster without `
    + `${BROAD_ACCESS_POLICIES.join(', ')} or system:masters`,
  explanation: 'The incident-response role can isolate nodes and revoke credentials everywhere in the cluster: if it could also '
    + 'delete the cluster, read secrets, destroy evidence or hand its rights on, stolen responder credentials would be the worst '
    + 'credentials in the account (TH-3, TH-4). Its Kubernetes side needs to read pods and nodes and label or cordon them, not administer the cluster.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const documents = IR_IDS.flatMap((ir) => runbooksFor(model, logicalId, ir).documents);
    if (documents.length === 0) return [{ message: 'the cluster has no incident-response runbooks, so there is no incident-response role to judge' }];
    const findings: RuleFinding[] = [];
    const roles = new Set<string>();
    for (const document of documents) {
      const assumed = model.referencedIds(resolveInput(document, document.content.assumeRole)).filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
      if (assumed.length === 0) findings.push({ message: `runbook ${document.logicalId} does not run as a role of the template (its assumeRole names none)` });
      assumed.forEach((id) => roles.add(id));
    }
    for (const roleId of [...roles].sort()) findings.push(...roleFindings(model, roleId));
    const functions = new Set(documents.flatMap((d) => invokedFunctions(model, d)).map((f) => f.id));
    for (const functionId of [...functions].sort()) findings.push(...accessEntryFindings(model, logicalId, functionId));
    return findings.length ? findings : COMPLIANT;
  },
};

function roleFindings(model: TemplateModel, roleId: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const trust = statementsOf(model.resource(roleId)?.Properties?.AssumeRolePolicyDocument);
  for (const statement of trust.statements.filter(isAllow)) {
    const principal = statement.Principal;
    const services = isObject(principal) ? literalStrings(principal.Service) : { values: [], unknown: [] };
    const others = isObject(principal) ? Object.keys(principal).filter((k) => k !== 'Service') : ['*'];
    if (others.length || services.values.some((s) => s !== 'ssm.amazonaws.com')) {
      findings.push({ message: `incident-response role ${roleId} may be assumed by more than ssm.amazonaws.com` });
    } else if (services.unknown.length) {
      findings.push(unresolved(`The trusted service of ${roleId}`, services.unknown[0]));
    }
  }
  const { documents, managedPolicyArns } = policiesOfRole(model, roleId);
  if (managedPolicyArns.length) {
    findings.push({ message: `incident-response role ${roleId} carries managed policies outside the template (${managedPolicyArns.map((a) => renderText(a) ?? 'a computed ARN').join(', ')}), which cannot be judged` });
  }
  for (const placed of documents) {
    const { statements, unreadable } = statementsOf(placed.document);
    unreadable.forEach((u) => findings.push(unresolved(`Part of ${placed.where}`, u)));
    const granted = IR_FORBIDDEN_ACTIONS.filter((action) => statements.some((s) => isAllow(s) && coversAction(s, action) === 'yes'));
    if (granted.length) findings.push({ message: `${placed.where} allows the incident-response role ${granted.join(', ')}` });
  }
  return findings;
}

function accessEntryFindings(model: TemplateModel, clusterId: string, functionId: string): RuleFinding[] {
  const roleIds = model.referencedIds(model.resource(functionId)?.Properties?.Role).filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
  const entries = resourcesOfCluster(model, clusterId, 'AWS::EKS::AccessEntry')
    .filter(([, entry]) => roleIds.some((role) => model.referencedIds(entry.Properties?.PrincipalArn).includes(role)));
  if (entries.length === 0) return [{ message: `the responder ${functionId} has no access entry on the cluster, so the runbooks cannot reach the Kubernetes API` }];
  const findings: RuleFinding[] = [];
  for (const [entryId, entry] of entries) {
    const groups = literalStrings(entry.Properties?.KubernetesGroups).values;
    if (groups.includes('system:masters')) findings.push({ message: `access entry ${entryId} puts the responder in system:masters` });
    for (const policy of asArray(entry.Properties?.AccessPolicies)) {
      for (const alternative of alternatives(policy)) {
        const arn = isObject(alternative) ? renderText(alternative.PolicyArn) : undefined;
        const broad = BROAD_ACCESS_POLICIES.find((name) => arn?.endsWith(`/${name}`));
        if (broad) findings.push({ message: `access entry ${entryId} gives the responder ${broad}` });
      }
    }
  }
  return findings;
}
