import { branchValues } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { cachedReadFor } from '../../core/read-cache';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';

/**
 * IDN-9: in a template that makes a cluster, every IAM role carries a permissions boundary, and the same one.
 * Whoever may create roles for the cluster (the launch role) is then held to that ceiling, however a template asks.
 */
export const ProductRolesBounded: ThreatModelRule = {
  controlId: 'IDN-9',
  threats: ['TH-4', 'PV-7', 'LM-1', 'AC-5'],
  level: 'error',
  kind: 'missing-control',
  description:
    'In a template with an EKS cluster, every AWS::IAM::Role has a PermissionsBoundary, the same for all of them',
  explanation:
    "The launch role creates the cluster's roles; a role created without the product's boundary could be given any " +
    'trust and any inline policy by a template run as the launch role, up to account admin (TH-4, AC-5). With one boundary ' +
    'on every role, and a launch role that creates no role without it, no role of the product can exceed the ceiling: no ' +
    'admin APIs, no identity writes, no foreign roles, no blinding of detection.',
  resourceTypes: ['AWS::IAM::Role'],
  evaluate({ model, properties }) {
    if (model.resourcesOfType(...CLUSTER_TYPES).length === 0) return NOT_APPLICABLE;
    const branches = branchValues(properties.PermissionsBoundary);
    if (branches.every((b) => b === undefined)) {
      return [
        {
          message:
            'the role has no PermissionsBoundary: whoever creates it may give it any policy, up to account admin',
        },
      ];
    }
    if (branches.some((b) => b === undefined)) {
      return [unresolved("The role's PermissionsBoundary", 'a condition that drops it in one branch')];
    }
    const own = JSON.stringify(properties.PermissionsBoundary);
    const other = [...boundariesOfRoles(model)].find(([boundary]) => boundary !== own);
    if (other) {
      return [
        {
          message: `the role's PermissionsBoundary differs from that of ${other[1]}: every role of the cluster must share the product's one boundary`,
        },
      ];
    }
    return COMPLIANT;
  },
};

/** Each distinct PermissionsBoundary of the template's roles (as JSON), with the first role that has it: read once per template. */
function boundariesOfRoles(model: TemplateModel): Map<string, string> {
  return cachedReadFor('role-boundaries', model, () => {
    const found = new Map<string, string>();
    for (const [id, role] of model.resourcesOfType('AWS::IAM::Role')) {
      const boundary = role.Properties?.PermissionsBoundary;
      if (boundary === undefined) continue;
      const key = JSON.stringify(boundary);
      if (!found.has(key)) found.set(key, id);
    }
    return found;
  });
}
