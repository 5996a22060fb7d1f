import { ThreatModelRule } from '../../core/rule';
import { AdminApiGrantsConditioned } from './admin-api-grants-conditioned';
import { AdminApiGuardrailShipped } from './admin-api-guardrail-shipped';
import { ClusterAdminNamedRoles } from './cluster-admin-named-roles';
import { IrsaTrustScoped } from './irsa-trust-scoped';
import { NodeRoleMinimal } from './node-role-minimal';
import { PrivilegedFunctionsGuarded } from './privileged-functions-guarded';
import { VpcCniOwnRole } from './vpc-cni-own-role';
import { WorkloadIdentityAvailable } from './workload-identity-available';

/** Rules of the identity area. */
export const IDENTITY_RULES: readonly ThreatModelRule[] = [
  ClusterAdminNamedRoles,
  IrsaTrustScoped,
  NodeRoleMinimal,
  VpcCniOwnRole,
  AdminApiGrantsConditioned,
  AdminApiGuardrailShipped,
  WorkloadIdentityAvailable,
  PrivilegedFunctionsGuarded,
];
