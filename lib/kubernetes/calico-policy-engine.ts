import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

export interface CalicoPolicyEngineProps {
  readonly cluster: eks.ICluster;
  /** Chart repository: the Tigera chart repository, or an oci:// mirror for clusters without internet egress. */
  readonly chartRepository: string;
  /** Pinned tigera-operator chart version (v3.31.x: the last line that ships its CRDs inside the chart). */
  readonly chartVersion: string;
  /** Registry Calico's images are pulled from, for clusters without internet egress. @default the images' own registry */
  readonly imageRegistry?: string;
}

/** The Helm values for the Tigera operator in policy-only mode on the VPC CNI. */
export function calicoOperatorValues(imageRegistry?: string): Record<string, unknown> {
  return {
    installation: {
      enabled: true,
      // Set explicitly: the operator's EKS auto-detection looks for the aws-auth ConfigMap, which an API-only cluster lacks.
      kubernetesProvider: 'EKS',
      cni: { type: 'AmazonVPC' },
      calicoNetwork: { bgp: 'Disabled' },
      ...(imageRegistry ? { registry: imageRegistry } : {}),
    },
    apiServer: { enabled: false },
    goldmane: { enabled: false },
    whisker: { enabled: false },
  };
}

/**
 * Calico as the network-policy engine (PV-5, IR-2): the Tigera operator chart at a pinned version, enforcing
 * Kubernetes NetworkPolicy on top of the VPC CNI (whose own policy engine is off).
 */
export class CalicoPolicyEngine extends Construct {
  readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: CalicoPolicyEngineProps) {
    super(scope, id);
    this.chart = new eks.HelmChart(this, 'TigeraOperator', {
      cluster: props.cluster,
      chart: 'tigera-operator',
      release: 'calico',
      repository: props.chartRepository,
      version: props.chartVersion,
      namespace: 'tigera-operator',
      createNamespace: true,
      values: calicoOperatorValues(props.imageRegistry),
      wait: true,
      timeout: Duration.minutes(10),
      atomic: true,
    });
  }
}
