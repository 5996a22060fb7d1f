import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { HardenedCluster } from '../../../lib/cluster/hardened-cluster';
import { ADDON_VERSIONS } from '../addon-versions';
import { NetworkPart } from './network-part';
import { HardenedEksProductContext } from './product-context';

/** The private EKS control plane with its managed add-ons and the kubectl handler. */
export class ClusterPart {
  readonly hardenedCluster: HardenedCluster;

  constructor(context: HardenedEksProductContext) {
    const { settings, parameters, keys } = context;
    const network = context.part(NetworkPart);
    this.hardenedCluster = new HardenedCluster(context.stack, 'HardenedCluster', {
      clusterName: parameters.clusterName.valueAsString,
      version: parameters.kubernetesVersion.valueAsString,
      vpc: network.vpc,
      subnets: network.privateSubnets,
      securityGroup: network.securityGroups.controlPlane,
      kubectlHandlerSecurityGroup: network.securityGroups.kubectlHandler,
      logKey: keys.logs,
      logRetention: context.logRetention,
      addonVersions: Object.fromEntries(settings.kubernetesVersions.map((v) => [v, ADDON_VERSIONS[v]])),
    });
  }

  get cluster(): eks.Cluster {
    return this.hardenedCluster.cluster;
  }
}
