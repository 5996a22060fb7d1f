import { resourcesOfCluster } from '../../core/cluster-properties';
import {
  coverageOf,
  coversAction,
  isAllow,
  literalStrings,
  policiesOfRole,
  statementsOf,
} from '../../core/iam-documents';
import { asArray, branchValues, renderText } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { invokedFunctions, IR_IDS, resolveInput, RunbookDocument, runbooksFor } from '../../core/runbook-documents';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal } from '../../core/values';

/** Actions the incident-response automation must never be allowed: cluster changes, secrets, evidence destruction, privilege hand-off. */
export const IR_FORBIDDEN_ACTIONS: readonly string[] = [
  'eks:DeleteCluster',
  'eks:UpdateClusterConfig',
  'eks:CreateAccessEntry',
  'eks:AssociateAccessPolicy',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'kms:CreateGrant',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:BypassGovernanceRetention',
  's3:PutBucketPolicy',
  'iam:PassRole',
  'iam:AttachRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey',
  'sts:AssumeRole',
  // Actions that take arbitrary content: any automation document of the account can run as the role.
  'iam:PutRolePolicy',
  'ssm:CreateDocument',
  'ssm:UpdateDocument',
  'ssm:StartAutomationExecution',
  'lambda:CreateFunction',
  'lambda:UpdateFunctionCode',
];
/** EKS access policies too broad for the responder's access entry. */
export const BROAD_ACCESS_POLICIES = ['AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy'];

/** REM-7: the runbooks run as a least-privilege role, and their Kubernetes responder has a scoped access entry. */
export const IncidentResponseRoleScoped: ThreatModelRule = {
  controlId: 'REM-7',
  threats: ['TH-2', 'TH-3', 'TH-4', 'IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6', 'PV-3'],
  level: 'warning',
  kind: 'missing-control',
  description:
    'The runbooks of the cluster assume a role of the template that only ssm.amazonaws.com may assume and that is allowed ' +
    `none of ${IR_FORBIDDEN_ACTIONS.join(', ')}; it may run only Command documents of the template (ssm:SendCommand on no other document) ` +
    'and invoke only Lambda functions of the template; one of the functions the runbooks invoke has an access entry on the cluster ' +
    '(how broad it may be is REM-8)',
  explanation:
    'The incident-response role can isolate nodes and revoke credentials everywhere in the cluster: if it could also ' +
    'delete the cluster, read secrets, destroy evidence or hand its rights on, stolen responder credentials would be the worst ' +
    'credentials in the account (TH-3, TH-4). SSM lets every automation execution of the account assume it, so whoever may create an ' +
    'automation document can use its permissions: each must carry only content fixed in the product (its own Command document, its own ' +
    "functions), never a shell (AWS-RunShellScript) or a policy of the caller's choosing. Its Kubernetes side needs to read pods and nodes " +
    'and label or cordon them, not administer the cluster.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const documents = IR_IDS.flatMap((ir) => runbooksFor(model, logicalId, ir).documents);
    if (documents.length === 0)
      return [
        { message: 'the cluster has no incident-response runbooks, so there is no incident-response role to judge' },
      ];
    const findings: RuleFinding[] = [];
    const roles = new Set<string>();
    for (const document of documents) {
      const assumed = model
        .referencedIds(resolveInput(document, document.content.assumeRole))
        .filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
      if (assumed.length === 0)
        findings.push({
          message: `runbook ${document.logicalId} does not run as a role of the template (its assumeRole names none)`,
        });
      assumed.forEach((id) => {
        roles.add(id);
      });
    }
    for (const roleId of [...roles].sort()) findings.push(...roleFindings(model, roleId));
    const functions = functionsInvokedBy(model, documents);
    const entries = functions.map((functionId) => ({
      functionId,
      entries: accessEntriesOf(model, logicalId, functionId),
    }));
    if (!entries.some((e) => e.entries.length)) {
      findings.push({
        message: `none of the functions the runbooks invoke (${functions.join(', ') || 'none'}) has an access entry on the cluster, so the runbooks cannot reach the Kubernetes API`,
      });
    }
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
    findings.push({
      message: `incident-response role ${roleId} carries managed policies outside the template (${managedPolicyArns.map((a) => renderText(a) ?? 'a computed ARN').join(', ')}), which cannot be judged`,
    });
  }
  for (const placed of documents) {
    const { statements, unreadable } = statementsOf(placed.document);
    unreadable.forEach((u) => {
      findings.push(unresolved(`Part of ${placed.where}`, u));
    });
    const answers = statements.filter(isAllow).map((s) => coverageOf(s, IR_FORBIDDEN_ACTIONS));
    const granted = IR_FORBIDDEN_ACTIONS.filter((_, i) => answers.some((covered) => covered[i] === 'yes'));
    if (granted.length)
      findings.push({ message: `${placed.where} allows the incident-response role ${granted.join(', ')}` });
    for (const statement of statements.filter(isAllow))
      findings.push(...fixedContentFindings(model, placed.where, statement));
  }
  return findings;
}

/** The logical IDs of the Lambda functions of the template that runbooks invoke, sorted. */
export function functionsInvokedBy(model: TemplateModel, documents: readonly RunbookDocument[]): string[] {
  return [...new Set(documents.flatMap((d) => invokedFunctions(model, d)).map((f) => f.id))].sort();
}

export function accessEntriesOf(
  model: TemplateModel,
  clusterId: string,
  functionId: string,
): [string, Record<string, any>][] {
  const roleIds = model
    .referencedIds(model.resource(functionId)?.Properties?.Role)
    .filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
  return resourcesOfCluster(model, clusterId, 'AWS::EKS::AccessEntry').filter(([, entry]) =>
    roleIds.some((role) => model.referencedIds(entry.Properties?.PrincipalArn).includes(role)),
  );
}

export function accessEntryFindings(entries: [string, Record<string, any>][]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [entryId, entry] of entries) {
    const groups = literalStrings(entry.Properties?.KubernetesGroups).values;
    if (groups.includes('system:masters'))
      findings.push({ message: `access entry ${entryId} puts the responder in system:masters` });
    for (const policy of asArray(entry.Properties?.AccessPolicies)) {
      for (const alternative of branchValues(policy)) {
        const arn = isObject(alternative) ? renderText(alternative.PolicyArn) : undefined;
        const broad = BROAD_ACCESS_POLICIES.find((name) => arn?.endsWith(`/${name}`));
        if (broad) findings.push({ message: `access entry ${entryId} gives the responder ${broad}` });
      }
    }
  }
  return findings;
}

/**
 * Why an Allow of the role reaches beyond fixed content: SendCommand on a document that is not a Command document of
 * the template (AWS-RunShellScript runs any shell as root), or InvokeFunction on a function that is not the template's.
 */
function fixedContentFindings(model: TemplateModel, where: string, statement: Record<string, any>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const resources = asArray(statement.Resource);
  if (coversAction(statement, 'ssm:SendCommand') === 'yes') {
    for (const resource of resources) {
      const text = renderText(resource) ?? '';
      if (/:(managed-)?instance\//.test(text)) continue;
      const documents = model.referencedIds(resource).filter((id) => model.resource(id)?.Type === 'AWS::SSM::Document');
      const commands = documents.filter((id) => {
        const type = literal(model.resource(id)?.Properties?.DocumentType);
        return type.known && type.value === 'Command';
      });
      if (commands.length === 0)
        findings.push({
          message: `${where} lets the incident-response role run ${text || 'a computed resource'} with ssm:SendCommand, which is not a Command document of the template`,
        });
    }
  }
  if (coversAction(statement, 'lambda:InvokeFunction') === 'yes') {
    for (const resource of resources) {
      if (model.referencedIds(resource).some((id) => model.resource(id)?.Type === 'AWS::Lambda::Function')) continue;
      findings.push({
        message: `${where} lets the incident-response role invoke ${renderText(resource) ?? 'a computed resource'}, which is not a Lambda function of the template`,
      });
    }
  }
  return findings;
}
