import { clusterSettings, field } from '../../core/cluster-properties';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { isTrue, literal } from '../../core/values';

/** CLU-7: the cluster cannot be deleted until deletion protection is turned off. */
export const ClusterDeletionProtection: ThreatModelRule = {
  controlId: 'CLU-7',
  threats: ['TH-4', 'ADM-8', 'IM-1', 'IM-4'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'The cluster has DeletionProtection true',
  explanation:
    'A single eks:DeleteCluster call (ADM-8), or a stack deletion, destroys the cluster and its workloads (IM-1, IM-4); ' +
    'deletion protection makes that a deliberate two-step change.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ resource, properties }) {
    const protection = literal(field(clusterSettings(resource, properties), 'DeletionProtection'));
    if (!protection.known) return [unresolved('DeletionProtection', protection.because)];
    if (!isTrue(protection.value))
      return [
        {
          message: `DeletionProtection is ${protection.value === undefined ? 'not set (off by default)' : String(protection.value)}`,
        },
      ];
    return COMPLIANT;
  },
};
