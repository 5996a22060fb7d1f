import { isObject, TemplateModel } from './template-model';
import { asArray, branchValues, renderText } from './intrinsics';
import { coversAction, isAllow, literalStrings, policiesOfRole, statementsOf } from './iam-documents';

/*
 * The template's privileged Lambda functions: those whose execution role acts in a cluster of the template (an access
 * entry: cluster-admin for CDK's kubectl handler, RBAC groups for an incident responder) or writes IAM policies (an
 * incident role-session revoker), and, transitively, the functions whose roles may invoke one of them (CDK's provider
 * framework invokes the kubectl handler with whatever CloudFormation sends it).
 */

/** IAM actions that write what a principal may do: a function allowed one of them hands out rights. */
export const IAM_WRITE_ACTIONS = [
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:AttachUserPolicy',
  'iam:CreatePolicyVersion',
  'iam:UpdateAssumeRolePolicy',
] as const;

/** EKS access policies that make a principal an administrator of the whole cluster. */
const ADMIN_ACCESS_POLICIES = ['AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy'];

export interface PrivilegedFunction {
  readonly id: string;
  /** The function's execution role, when it is a role of the template. */
  readonly roleId?: string;
  /** Why it is privileged, for messages. */
  readonly why: string;
  /** Template roles allowed to invoke it (its own callers). */
  readonly invokerRoleIds: readonly string[];
}

const cache = new WeakMap<TemplateModel, Map<string, PrivilegedFunction>>();

function isClusterAdminEntry(entry: Record<string, any>): boolean {
  const groups = literalStrings(entry.KubernetesGroups).values;
  if (groups.includes('system:masters')) return true;
  return asArray(entry.AccessPolicies)
    .flatMap(branchValues)
    .some(
      (policy) =>
        isObject(policy) && ADMIN_ACCESS_POLICIES.some((name) => renderText(policy.PolicyArn)?.endsWith(`/${name}`)),
    );
}

function roleOf(model: TemplateModel, functionId: string): string | undefined {
  return model
    .referencedIds(model.resource(functionId)?.Properties?.Role)
    .find((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
}

/** Template roles whose policies allow lambda:InvokeFunction on a resource that references the function. */
export function invokerRoles(model: TemplateModel, functionId: string): string[] {
  return [...model.resourcesOfType('AWS::IAM::Role')]
    .map(([id]) => id)
    .filter((roleId) =>
      policiesOfRole(model, roleId)
        .documents.flatMap((d) => statementsOf(d.document).statements)
        .some(
          (s) =>
            isAllow(s) &&
            coversAction(s, 'lambda:InvokeFunction') === 'yes' &&
            model.referencedIds(s.Resource).includes(functionId),
        ),
    );
}

/** The privileged functions of the template, by logical ID. */
export function privilegedFunctions(model: TemplateModel): Map<string, PrivilegedFunction> {
  const known = cache.get(model);
  if (known) return known;
  const functions = [...model.resourcesOfType('AWS::Lambda::Function')].map(([id]) => ({
    id,
    roleId: roleOf(model, id),
  }));
  const clusterRoles = new Map<string, string>();
  for (const [entryId, entry] of model.resourcesOfType('AWS::EKS::AccessEntry')) {
    const props = entry.Properties ?? {};
    for (const roleId of model.referencedIds(props.PrincipalArn)) {
      clusterRoles.set(
        roleId,
        `${isClusterAdminEntry(props) ? 'is cluster-admin' : 'acts in the cluster'} (access entry ${entryId})`,
      );
    }
  }
  const result = new Map<string, PrivilegedFunction>();
  for (const { id, roleId } of functions) {
    if (!roleId) continue;
    const writes = IAM_WRITE_ACTIONS.filter((action) =>
      policiesOfRole(model, roleId)
        .documents.flatMap((d) => statementsOf(d.document).statements)
        .some((s) => isAllow(s) && coversAction(s, action) === 'yes'),
    );
    const why = clusterRoles.has(roleId)
      ? `its role ${roleId} ${clusterRoles.get(roleId)}`
      : writes.length
        ? `its role ${roleId} may ${writes.join(', ')}`
        : undefined;
    if (why) result.set(id, { id, roleId, why, invokerRoleIds: invokerRoles(model, id) });
  }
  // Whoever may invoke a privileged function holds what it holds.
  for (let added = true; added; ) {
    added = false;
    for (const { id, roleId } of functions) {
      if (result.has(id) || !roleId) continue;
      const target = [...result.values()].find((f) => f.invokerRoleIds.includes(roleId));
      if (target) {
        result.set(id, {
          id,
          roleId,
          why: `its role ${roleId} may invoke ${target.id} (${target.why})`,
          invokerRoleIds: invokerRoles(model, id),
        });
        added = true;
      }
    }
  }
  cache.set(model, result);
  return result;
}
