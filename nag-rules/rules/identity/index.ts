import { ThreatModelRule } from '../../core/rule';
import { AccessEntriesScoped } from './access-entries-scoped';
import { AdminApiGrantsConditioned } from './admin-api-grants-conditioned';
import { AdminApiGuardrailShipped } from './admin-api-guardrail-shipped';
import { ClusterAdminNamedRoles } from './cluster-admin-named-roles';
import { IrsaTrustScoped } from './irsa-trust-scoped';
import { KeyPoliciesScoped } from './key-policies-scoped';
import { NoAdminPolicies } from './no-admin-policies';
import { NoPrivilegeEscalation } from './no-privilege-escalation';
import { NodeRoleMinimal } from './node-role-minimal';
import { PodIdentitiesScoped } from './pod-identities-scoped';
import { PrivilegedFunctionsGuarded } from './privileged-functions-guarded';
import { ProductRolesBounded } from './product-roles-bounded';
import { RoleTrustScoped } from './role-trust-scoped';
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
  ProductRolesBounded,
  RoleTrustScoped,
  NoAdminPolicies,
  NoPrivilegeEscalation,
  AccessEntriesScoped,
  PodIdentitiesScoped,
  KeyPoliciesScoped,
];
