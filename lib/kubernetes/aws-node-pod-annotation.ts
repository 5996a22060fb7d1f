import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** The VPC CNI's service account. */
export const AWS_NODE_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'aws-node' } as const;

/** RBAC the VPC CNI needs for ANNOTATE_POD_IP (Calico reads the pod IP annotation): patch on pods, nothing more. */
export function awsNodePodAnnotationRbac(): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'aws-node-annotate-pod-ip' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'aws-node-annotate-pod-ip' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aws-node-annotate-pod-ip' },
      subjects: [
        { kind: 'ServiceAccount', name: AWS_NODE_SERVICE_ACCOUNT.name, namespace: AWS_NODE_SERVICE_ACCOUNT.namespace },
      ],
    },
  ];
}

/** Applies `awsNodePodAnnotationRbac` in its own ClusterRole, so add-on updates of aws-node's role never drop it. */
export class AwsNodePodAnnotation extends Construct {
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: { cluster: eks.ICluster }) {
    super(scope, id);
    this.manifest = new eks.KubernetesManifest(this, 'Rbac', {
      cluster: props.cluster,
      manifest: awsNodePodAnnotationRbac(),
    });
  }
}
