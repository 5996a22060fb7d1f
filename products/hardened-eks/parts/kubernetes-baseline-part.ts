import { KUBECTL_HANDLER_USERNAME } from '../../../lib/cluster/hardened-cluster';
import { AdmissionPolicies, serviceAccountUsername } from '../../../lib/kubernetes/admission-policies';
import { AWS_NODE_SERVICE_ACCOUNT, AwsNodePodAnnotation } from '../../../lib/kubernetes/aws-node-pod-annotation';
import { CalicoPolicyEngine } from '../../../lib/kubernetes/calico-policy-engine';
import {
  DENY_ALL_POLICY,
  QUARANTINE_LABEL,
  QUARANTINE_POLICY,
  WorkloadBaseline,
} from '../../../lib/kubernetes/workload-baseline';
import { INCIDENT_RESPONDERS_GROUP } from '../../../lib/response/kubernetes-responder';
import { ClusterPart } from './cluster-part';
import { NodesPart } from './nodes-part';
import { HardenedEksProductContext } from './product-context';

/** What the cluster enforces inside: Calico default-deny, Pod Security restricted namespaces, admission policies. */
export class KubernetesBaselinePart {
  readonly calico: CalicoPolicyEngine;
  readonly workloadBaseline: WorkloadBaseline;
  readonly admissionPolicies: AdmissionPolicies;

  constructor(context: HardenedEksProductContext) {
    const { stack, settings } = context;
    const { cluster, kubectlAccessEntry } = context.part(ClusterPart).hardenedCluster;
    const podAnnotation = new AwsNodePodAnnotation(stack, 'AwsNodePodAnnotation', { cluster });
    this.calico = new CalicoPolicyEngine(stack, 'Calico', { cluster, ...settings.calico });
    this.calico.node.addDependency(context.part(NodesPart).nodeGroup.nodegroup, podAnnotation);
    this.workloadBaseline = new WorkloadBaseline(stack, 'WorkloadBaseline', {
      cluster,
      namespaces: settings.workloadNamespaces,
      after: [this.calico],
    });
    // The in-cluster paths to cluster-admin and out of quarantine (K8S-15, K8S-16): pod patchers change metadata only;
    // namespace editors cannot lift a quarantine.
    this.admissionPolicies = new AdmissionPolicies(stack, 'AdmissionPolicies', {
      cluster,
      podPatchers: {
        usernames: [serviceAccountUsername(AWS_NODE_SERVICE_ACCOUNT.namespace, AWS_NODE_SERVICE_ACCOUNT.name)],
        groups: [INCIDENT_RESPONDERS_GROUP],
      },
      label: QUARANTINE_LABEL,
      namespaces: settings.workloadNamespaces,
      protectedPolicies: [DENY_ALL_POLICY, QUARANTINE_POLICY],
      responders: { groups: [INCIDENT_RESPONDERS_GROUP] },
      deployers: { usernames: [KUBECTL_HANDLER_USERNAME] },
      after: [kubectlAccessEntry],
    });
  }
}
