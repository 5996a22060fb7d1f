import { AddonVersions } from '../../lib/cluster/hardened-cluster';

/**
 * The EKS managed add-on versions this product pins, per Kubernetes version. Before a release, check them with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` and bump the product version.
 */
export const ADDON_VERSIONS: AddonVersions = {
  '1.35': {
    'vpc-cni': 'v1.20.4-eksbuild.1',
    coredns: 'v1.12.4-eksbuild.1',
    'kube-proxy': 'v1.35.0-eksbuild.2',
    'eks-pod-identity-agent': 'v1.3.9-eksbuild.3',
    'aws-guardduty-agent': 'v1.12.1-eksbuild.2',
  },
  '1.36': {
    'vpc-cni': 'v1.20.4-eksbuild.1',
    coredns: 'v1.12.4-eksbuild.1',
    'kube-proxy': 'v1.36.0-eksbuild.1',
    'eks-pod-identity-agent': 'v1.3.9-eksbuild.3',
    'aws-guardduty-agent': 'v1.12.1-eksbuild.2',
  },
};
