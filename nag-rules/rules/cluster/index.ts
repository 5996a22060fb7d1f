import { ThreatModelRule } from '../../core/rule';
import { AddonVersionPinned } from './addon-version-pinned';
import { ClusterAccessMode } from './cluster-access-mode';
import { ClusterDeletionProtection } from './cluster-deletion-protection';
import { ClusterEndpointPrivate } from './cluster-endpoint-private';
import { ControlPlaneLogGroup } from './control-plane-log-group';
import { ControlPlaneLogging } from './control-plane-logging';
import { KubernetesVersionSupported } from './kubernetes-version-supported';
import { LaunchParametersConstrained } from './launch-parameters-constrained';
import { NoIdentityProviderConfig } from './no-identity-provider-config';
import { SecretsEncryptionRotatingKey } from './secrets-encryption-rotating-key';
import { NoUnknownClusterTypes } from './no-unknown-cluster-types';
import { NoClearTextSecrets } from './no-clear-text-secrets';

/** Rules of the cluster area. */
export const CLUSTER_RULES: readonly ThreatModelRule[] = [
  ClusterEndpointPrivate,
  SecretsEncryptionRotatingKey,
  ControlPlaneLogging,
  ControlPlaneLogGroup,
  KubernetesVersionSupported,
  ClusterAccessMode,
  ClusterDeletionProtection,
  AddonVersionPinned,
  NoIdentityProviderConfig,
  LaunchParametersConstrained,
  NoUnknownClusterTypes,
  NoClearTextSecrets,
];
