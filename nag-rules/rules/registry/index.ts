import { ThreatModelRule } from '../../core/rule';
import { ImmutableTags } from './immutable-tags';
import { KmsEncryption } from './kms-encryption';
import { LifecyclePolicy } from './lifecycle-policy';
import { RepositoryPolicyScoped } from './repository-policy-scoped';
import { ScanOnPush } from './scan-on-push';
import { ToolsRepositoryPushRestricted } from './tools-repository-push-restricted';

/** Rules of the registry area. */
export const REGISTRY_RULES: readonly ThreatModelRule[] = [
  ScanOnPush,
  ImmutableTags,
  KmsEncryption,
  LifecyclePolicy,
  RepositoryPolicyScoped,
  ToolsRepositoryPushRestricted,
];
