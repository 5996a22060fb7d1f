import { ThreatModelRule } from '../../core/rule';
import { AwsAuthNoAdminMappings } from './aws-auth-no-admin-mappings';
import { CoreDnsNotEdited } from './core-dns-not-edited';
import { ImagesPrivateOrPinned } from './images-private-or-pinned';
import { NamespacesDefaultDeny } from './namespaces-default-deny';
import { NamespacesPodSecurityRestricted } from './namespaces-pod-security-restricted';
import { NamespacesQuarantinePolicy } from './namespaces-quarantine-policy';
import { NetworkPolicyEngine } from './network-policy-engine';
import { NoAdmissionWebhooks } from './no-admission-webhooks';
import { NoClusterAdminBinding } from './no-cluster-admin-binding';
import { NoCronJobs } from './no-cron-jobs';
import { NoWritableHostPath } from './no-writable-host-path';
import { PodPatchersMetadataOnly } from './pod-patchers-metadata-only';
import { PodsNotPrivileged } from './pods-not-privileged';
import { QuarantineProtected } from './quarantine-protected';
import { RbacLeastPrivilege } from './rbac-least-privilege';
import { ServiceAccountTokenNotMounted } from './service-account-token-not-mounted';
import { DnsConfigurationDefault } from './dns-configuration-default';

/** Rules of the kubernetes area. */
export const KUBERNETES_RULES: readonly ThreatModelRule[] = [
  AwsAuthNoAdminMappings,
  NoClusterAdminBinding,
  RbacLeastPrivilege,
  PodsNotPrivileged,
  NoWritableHostPath,
  ServiceAccountTokenNotMounted,
  NamespacesPodSecurityRestricted,
  NamespacesDefaultDeny,
  NoAdmissionWebhooks,
  NoCronJobs,
  CoreDnsNotEdited,
  NetworkPolicyEngine,
  NamespacesQuarantinePolicy,
  ImagesPrivateOrPinned,
  PodPatchersMetadataOnly,
  QuarantineProtected,
  DnsConfigurationDefault,
];
