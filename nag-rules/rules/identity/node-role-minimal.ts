import { addonIs, addonsForClusterName, cniRole } from '../../core/cluster-properties';
import {
  awsManagedPolicyName,
  isAllow,
  literalStrings,
  policiesOfRole,
  Statement,
  statementsOf,
} from '../../core/iam-documents';
import { branchValues, wildcardMatch } from '../../core/intrinsics';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';
import { why } from '../../core/values';

/** AWS managed policies a node role may carry. */
export const NODE_ROLE_MANAGED_POLICIES: readonly string[] = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
];
/** Allowed on the node role only while no vpc-cni add-on has a role of its own. */
export const CNI_POLICY = 'AmazonEKS_CNI_Policy';
/** Actions a node role must never hold: uploads out of the cluster, image pushes, handing roles on. */
export const NODE_ROLE_FORBIDDEN_ACTIONS: readonly string[] = [
  's3:Put*',
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'iam:PassRole',
];
/** Concrete actions that stand for the forbidden patterns when a granted pattern is a wildcard. */
const FORBIDDEN_SAMPLES = [
  's3:PutObject',
  's3:PutObjectAcl',
  's3:PutBucketPolicy',
  's3:PutBucketAcl',
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'iam:PassRole',
];

/** IDN-3: the node role is minimal (judged on each managed node group). */
export const NodeRoleMinimal: ThreatModelRule = {
  controlId: 'IDN-3',
  threats: ['TH-2', 'LM-1', 'EX-1', 'EX-2'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `The node group's role has only approved AWS managed policies (${NODE_ROLE_MANAGED_POLICIES.join(', ')}; ${CNI_POLICY} only ` +
    'when no vpc-cni add-on has its own role) and no statement granting *, service:*, s3:Put*, ECR pushes or iam:PassRole',
  explanation:
    'Every pod that reaches the instance metadata service acts with the node role (LM-1). Wildcards or write grants ' +
    'there let one compromised container upload data to any bucket (EX-1), push images into the registry (EX-2) or pass ' +
    "roles; the CNI's EC2 network permissions belong on its own IRSA or Pod Identity role.",
  resourceTypes: ['AWS::EKS::Nodegroup'],
  evaluate({ model, properties }) {
    const findings: RuleFinding[] = [];
    const cniHasOwnRole = addonsForClusterName(model, properties.ClusterName).some(
      ([id, addon]) => addonIs(model, addon, 'vpc-cni') === 'yes' && cniRole(model, id).own === 'yes',
    );
    for (const nodeRole of branchValues(properties.NodeRole)) {
      if (nodeRole === undefined) {
        findings.push({ message: 'the node group has no NodeRole' });
        continue;
      }
      const roleId = model.referencedId(nodeRole);
      if (!roleId || model.resource(roleId)?.Type !== 'AWS::IAM::Role') {
        findings.push(
          unresolved("The node role's policies", roleId ? `${model.resource(roleId)?.Type} ${roleId}` : why(nodeRole)),
        );
        continue;
      }
      findings.push(...roleFindings(model, roleId, cniHasOwnRole));
    }
    const unique = [...new Map(findings.map((f) => [f.message, f])).values()];
    return unique.length ? unique : COMPLIANT;
  },
};

function roleFindings(model: TemplateModel, roleId: string, cniHasOwnRole: boolean): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const { documents, managedPolicyArns } = policiesOfRole(model, roleId);
  for (const arn of managedPolicyArns) {
    const policy = awsManagedPolicyName(arn);
    if (policy.kind === 'unknown') findings.push(unresolved(`A managed policy of node role ${roleId}`, policy.because));
    else if (policy.kind === 'other')
      findings.push(
        unresolved(
          `Managed policy ${policy.text} of node role ${roleId}`,
          'a policy outside this template (its statements are not in the template)',
        ),
      );
    else if (policy.name === CNI_POLICY) {
      if (cniHasOwnRole)
        findings.push({
          message: `node role ${roleId} has ${CNI_POLICY} although the vpc-cni add-on has its own role`,
        });
    } else if (!NODE_ROLE_MANAGED_POLICIES.includes(policy.name)) {
      findings.push({
        message: `node role ${roleId} has AWS managed policy ${policy.name}, which is not approved for nodes`,
      });
    }
  }
  for (const { where, document } of documents) {
    const { statements, unreadable } = statementsOf(document);
    if (unreadable.length) findings.push(unresolved(`A statement of ${where} (node role ${roleId})`, unreadable[0]));
    for (const statement of statements.filter(isAllow)) findings.push(...statementFindings(statement, where, roleId));
  }
  return findings;
}

function statementFindings(statement: Statement, where: string, roleId: string): RuleFinding[] {
  const label = `${where}${typeof statement.Sid === 'string' ? ` (${statement.Sid})` : ''}`;
  if (statement.Action === undefined && statement.NotAction !== undefined) {
    return [{ message: `${label} allows NotAction on node role ${roleId}: everything else is granted` }];
  }
  const { values, unknown } = literalStrings(statement.Action);
  const findings: RuleFinding[] = unknown.map((u) => unresolved(`An action of ${label} (node role ${roleId})`, u));
  const wide = values.filter((a) => a === '*' || /^[^:]+:\*$/.test(a));
  if (wide.length) findings.push({ message: `${label} grants ${wide.join(', ')} to node role ${roleId}` });
  const forbidden = values.filter(
    (a) =>
      !wide.includes(a) &&
      (FORBIDDEN_SAMPLES.some((sample) => wildcardMatch(a, sample)) ||
        NODE_ROLE_FORBIDDEN_ACTIONS.some((f) => wildcardMatch(f, a))),
  );
  if (forbidden.length)
    findings.push({
      message: `${label} grants ${forbidden.join(', ')} to node role ${roleId}: no uploads, image pushes or role passing from nodes`,
    });
  return findings;
}
