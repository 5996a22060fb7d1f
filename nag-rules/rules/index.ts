import { ThreatModelRule } from '../core/rule';
import { CLUSTER_RULES } from './cluster';
import { DETECTION_RULES } from './detection';
import { IDENTITY_RULES } from './identity';
import { KUBERNETES_RULES } from './kubernetes';
import { NETWORK_RULES } from './network';
import { NODES_RULES } from './nodes';
import { REGISTRY_RULES } from './registry';
import { RESPONSE_RULES } from './response';

/** Every rule of the pack, grouped by area (one file per rule under `rules/<area>/`). */
export const ALL_RULES: readonly ThreatModelRule[] = [
  ...CLUSTER_RULES,
  ...IDENTITY_RULES,
  ...NODES_RULES,
  ...NETWORK_RULES,
  ...REGISTRY_RULES,
  ...KUBERNETES_RULES,
  ...DETECTION_RULES,
  ...RESPONSE_RULES,
];
