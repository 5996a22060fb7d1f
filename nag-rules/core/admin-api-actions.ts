/**
 * The guarded EKS APIs by ID: the threat model's admin APIs (ADM-1..ADM-12) and the EKS APIs that grant access to a
 * cluster or weaken one of its controls (ADM-13..ADM-36: access entries and policies, pod identities, add-ons,
 * capabilities, encryption, certificate authorities, registration, tags, cancelled updates, Kubernetes-API writes).
 */
export const ADMIN_API_ACTIONS_BY_ID: Readonly<Record<string, string>> = {
  'ADM-1': 'eks:CreateNodegroup',
  'ADM-2': 'eks:DeleteNodegroup',
  'ADM-3': 'eks:UpdateNodegroupConfig',
  'ADM-4': 'eks:UpdateNodegroupVersion',
  'ADM-5': 'eks:CreateFargateProfile',
  'ADM-6': 'eks:DeleteFargateProfile',
  'ADM-7': 'eks:CreateCluster',
  'ADM-8': 'eks:DeleteCluster',
  'ADM-9': 'eks:UpdateClusterConfig',
  'ADM-10': 'eks:UpdateClusterVersion',
  'ADM-11': 'eks:AssociateIdentityProviderConfig',
  'ADM-12': 'eks:DisassociateIdentityProviderConfig',
  'ADM-13': 'eks:CreateAccessEntry',
  'ADM-14': 'eks:UpdateAccessEntry',
  'ADM-15': 'eks:DeleteAccessEntry',
  'ADM-16': 'eks:AssociateAccessPolicy',
  'ADM-17': 'eks:DisassociateAccessPolicy',
  'ADM-18': 'eks:CreatePodIdentityAssociation',
  'ADM-19': 'eks:UpdatePodIdentityAssociation',
  'ADM-20': 'eks:DeletePodIdentityAssociation',
  'ADM-21': 'eks:CreateAddon',
  'ADM-22': 'eks:UpdateAddon',
  'ADM-23': 'eks:DeleteAddon',
  'ADM-24': 'eks:CreateCapability',
  'ADM-25': 'eks:UpdateCapability',
  'ADM-26': 'eks:DeleteCapability',
  'ADM-27': 'eks:AssociateEncryptionConfig',
  'ADM-28': 'eks:CreateCertificateAuthority',
  'ADM-29': 'eks:ActivateCertificateAuthority',
  'ADM-30': 'eks:DeleteCertificateAuthority',
  'ADM-31': 'eks:RegisterCluster',
  'ADM-32': 'eks:DeregisterCluster',
  'ADM-33': 'eks:TagResource',
  'ADM-34': 'eks:UntagResource',
  'ADM-35': 'eks:CancelUpdate',
  'ADM-36': 'eks:MutateViaKubernetesApi',
};

/** The guarded admin-API actions, in ADM order. */
export const ADM_ACTIONS: readonly string[] = Object.values(ADMIN_API_ACTIONS_BY_ID);

/** Their IDs, ADM-1 first. */
export const ADM_IDS: readonly string[] = Object.keys(ADMIN_API_ACTIONS_BY_ID);

/**
 * Access-entry calls that are as strong as the admin APIs: whoever may make them can give any principal cluster-admin
 * (TH-3). Not ADM-* in the threat model, but the checks catalog (G4) asks that their grants be scoped too.
 */
export const ACCESS_ENTRY_ACTIONS: readonly string[] = [
  'eks:CreateAccessEntry',
  'eks:UpdateAccessEntry',
  'eks:AssociateAccessPolicy',
];

/** An action with its ADM ID, for messages. */
export function labelAction(action: string): string {
  const id = Object.entries(ADMIN_API_ACTIONS_BY_ID).find(([, a]) => a === action)?.[0];
  return id ? `${action} (${id})` : action;
}
