import { clusterSettings, field } from '../../core/cluster-properties';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { possibleValues } from '../../core/values';

/**
 * Kubernetes minor versions the pack accepts (EKS standard or extended support, and what the product's kubectl
 * layer can drive). Review it with every release of the pack.
 */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = ['1.33', '1.34', '1.35', '1.36', '1.37'];

/** CLU-5: the Kubernetes version is a literal, or a parameter limited to, versions of the supported list. */
export const KubernetesVersionSupported: ThreatModelRule = {
  controlId: 'CLU-5',
  threats: ['TH-1', 'TH-2', 'AC-3'],
  level: 'warning',
  kind: 'misconfiguration',
  description: `The cluster's Version is a literal or a parameter whose allowed values are all supported (${SUPPORTED_KUBERNETES_VERSIONS.join(', ')})`,
  explanation:
    'An unsupported Kubernetes version gets no security fixes for the API server and kubelet (AC-3); a version the ' +
    'template does not state is whatever EKS defaults to, so the product cannot promise it was tested.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, resource, properties }) {
    const version = field(clusterSettings(resource, properties), 'Version');
    if (version === undefined)
      return [{ message: 'no Version: EKS picks its default Kubernetes version, which the product does not control' }];
    const values =
      typeof version === 'number'
        ? { known: true as const, value: [version.toFixed(2)] }
        : possibleValues(model, version);
    if (!values.known) return [unresolved('Kubernetes version', values.because)];
    if (values.value.length === 0) return [{ message: 'Version is empty' }];
    const unsupported = values.value.filter((v) => !SUPPORTED_KUBERNETES_VERSIONS.includes(v));
    if (unsupported.length) {
      return [
        {
          message: `Kubernetes version ${unsupported.join(', ')} is not in the supported list (${SUPPORTED_KUBERNETES_VERSIONS.join(', ')})`,
        },
      ];
    }
    return COMPLIANT;
  },
};
