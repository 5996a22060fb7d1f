/** The threat model's admin APIs (ADM-1..ADM-12), by ID. */
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
};

/** The twelve admin-API actions, in ADM order. */
export const ADM_ACTIONS: readonly string[] = Object.values(ADMIN_API_ACTIONS_BY_ID);

/**
 * Access-entry calls that are as strong as the admin APIs: whoever may make them can give any principal cluster-admin
 * (TH-3). Not ADM-* in the threat model, but the checks catalog (G4) asks that their grants be scoped too.
 */
export const ACCESS_ENTRY_ACTIONS: readonly string[] = ['eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:AssociateAccessPolicy'];

/** An action with its ADM ID, for messages. */
export function labelAction(action: string): string {
  const id = Object.entries(ADMIN_API_ACTIONS_BY_ID).find(([, a]) => a === action)?.[0];
  return id ? `${action} (${id})` : action;
}
