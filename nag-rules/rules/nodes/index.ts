import { ThreatModelRule } from '../../core/rule';
import { ContainerOptimizedOs } from './container-optimized-os';
import { EncryptedNodeVolumes } from './encrypted-node-volumes';
import { Imdsv2HopLimit } from './imdsv2-hop-limit';
import { NodegroupLaunchTemplate } from './nodegroup-launch-template';
import { NoSshAccess } from './no-ssh-access';
import { PrivateNodeSubnets } from './private-node-subnets';
import { SessionManagerAccess } from './session-manager-access';
import { NodeUserData } from './node-user-data';
import { KarpenterNodeClasses } from './karpenter-node-classes';
import { FargateProfiles } from './fargate-profiles';

/** Rules of the nodes area. */
export const NODES_RULES: readonly ThreatModelRule[] = [
  NodegroupLaunchTemplate,
  Imdsv2HopLimit,
  NoSshAccess,
  EncryptedNodeVolumes,
  ContainerOptimizedOs,
  PrivateNodeSubnets,
  SessionManagerAccess,
  NodeUserData,
  KarpenterNodeClasses,
  FargateProfiles,
];
