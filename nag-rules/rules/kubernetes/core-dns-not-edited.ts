import { hasToken, renderText } from '../../core/intrinsics';
import {
  describeObject,
  KUBERNETES_PATCH_TYPES,
  KUBERNETES_RESOURCE_TYPES,
  metadataOf,
  objectsAppliedBy,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule } from '../../core/rule';

/** Names of CoreDNS's objects in kube-system on EKS: its ConfigMap, Deployment, service account and RBAC are `coredns`, its Service `kube-dns`. */
const COREDNS_NAMES = ['coredns', 'kube-dns'];

/** K8S-11: no manifest applies or patches CoreDNS's objects in kube-system. */
export const CoreDnsNotEdited: ThreatModelRule = {
  controlId: 'K8S-11',
  threats: ['TH-2', 'LM-4'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No manifest applies, and no patch changes, an object in kube-system named coredns (its ConfigMap, Deployment, ' +
    'ServiceAccount) or kube-dns (its Service)',
  explanation:
    'Whoever writes the Corefile or the CoreDNS Deployment answers every name lookup in the cluster: traffic for internal ' +
    "services and cloud APIs can be sent elsewhere (LM-4). CoreDNS is an EKS managed add-on: it is configured through the add-on's " +
    'configuration values only, never edited by manifests.',
  resourceTypes: [...KUBERNETES_RESOURCE_TYPES, ...KUBERNETES_PATCH_TYPES],
  evaluate({ model, logicalId, resource, properties }) {
    if (KUBERNETES_PATCH_TYPES.includes(resource.Type)) {
      const target = renderText(properties.ResourceName) ?? '';
      const namespace = renderText(properties.ResourceNamespace) ?? 'default';
      if (hasToken(target) || hasToken(namespace))
        return [unresolvedField("the object this patch changes (it may be CoreDNS's)", [target, namespace])];
      const name = target.split('/').pop() ?? '';
      if (namespace === 'kube-system' && COREDNS_NAMES.includes(name))
        return [{ message: `the patch changes ${target} in kube-system (CoreDNS)` }];
      return COMPLIANT;
    }
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    for (const object of objects) {
      const { name, namespace } = metadataOf(object);
      if (hasToken(name) || hasToken(namespace)) {
        if ((namespace === 'kube-system' || hasToken(namespace)) && (hasToken(name) || COREDNS_NAMES.includes(name))) {
          findings.push(
            unresolvedField(`the name and namespace of ${describeObject(object)} (it may be CoreDNS's)`, [
              name,
              namespace,
            ]),
          );
        }
        continue;
      }
      if (namespace === 'kube-system' && COREDNS_NAMES.includes(name)) {
        findings.push({
          message: `${describeObject(object)} is applied (CoreDNS's own object, managed by the coredns add-on)`,
        });
      }
    }
    return findings.length ? findings : COMPLIANT;
  },
};
