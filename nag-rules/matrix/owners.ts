/**
 * Who runs a part of a product, in the shared-responsibility split the threat model starts from: AWS operates the
 * control plane and Fargate; managed node groups are shared (AWS provisions them, the platform team chooses and
 * patches the AMI release); the platform team owns what the product builds; the consumer team owns what it runs
 * in the cluster (workloads, its own policies, namespaces' contents, images).
 */
export type Owner = 'aws' | 'shared' | 'platform-team' | 'consumer-team';

export const OWNERS: readonly Owner[] = ['aws', 'shared', 'platform-team', 'consumer-team'];

export const OWNER_TITLES: Readonly<Record<Owner, string>> = {
  aws: 'AWS',
  shared: 'Shared (AWS and the platform team)',
  'platform-team': 'Platform team',
  'consumer-team': 'Consumer team',
};
