import { AdminApiGuardrail } from '../../../lib/identity/admin-api-guardrail';
import { ClusterAccess } from '../../../lib/identity/cluster-access';
import { roleBoundaryArn } from '../../../lib/identity/product-role-boundary';
import { roleArnOfThisAccount } from '../../../lib/identity/role-of-this-account';
import { HARDENED_EKS_ROLE_BOUNDARY } from '../product-iam-path';
import { roleOfThisAccount } from '../parameters';
import { guardrailNetwork } from '../settings';
import { ClusterPart } from './cluster-part';
import { HardenedEksProductContext } from './product-context';

/** Who may use the cluster (access entries) and who may change it (the admin-API guardrail). */
export class IdentityPart {
  readonly access: ClusterAccess;
  readonly adminApiGuardrail: AdminApiGuardrail;

  constructor(context: HardenedEksProductContext) {
    const { stack, settings, parameters } = context;
    const namespaces = settings.workloadNamespaces;
    this.access = new ClusterAccess(stack, 'Access', {
      cluster: context.part(ClusterPart).cluster,
      clusterAdminArns: [
        roleArnOfThisAccount(settings.breakGlassRoleName),
        roleOfThisAccount(parameters.clusterAdminRoleName),
      ],
      editors: [
        {
          principalArn: roleOfThisAccount(parameters.namespaceEditorRoleName),
          condition: parameters.hasNamespaceEditor,
          namespaces,
        },
      ],
      viewers: [
        {
          principalArn: roleOfThisAccount(parameters.namespaceViewerRoleName),
          condition: parameters.hasNamespaceViewer,
          namespaces,
        },
      ],
    });
    // The consumer's admin role administers Kubernetes, not the cluster's configuration: only break-glass roles do (ADM-*).
    this.adminApiGuardrail = new AdminApiGuardrail(stack, 'AdminApiGuardrail', {
      adminRoleArns: [roleArnOfThisAccount(settings.breakGlassRoleName)],
      deploymentRoleArns: [context.launchRoleArn],
      protectedPolicyArns: [roleBoundaryArn(HARDENED_EKS_ROLE_BOUNDARY)],
      ...guardrailNetwork(settings),
    });
  }
}
