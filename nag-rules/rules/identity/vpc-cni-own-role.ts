import { addonIs, clusterSettings, cniRole, field, resourcesOfCluster } from '../../core/cluster-properties';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule, unresolved } from '../../core/rule';
import { isTrue, literal, possibleValues } from '../../core/values';

/** IDN-4: the VPC CNI runs under its own IRSA or Pod Identity role, never on the node role. */
export const VpcCniOwnRole: ThreatModelRule = {
  controlId: 'IDN-4',
  threats: ['TH-2', 'LM-1', 'PV-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'The cluster has a vpc-cni AWS::EKS::Addon, and that add-on has ServiceAccountRoleArn or a Pod Identity association for aws-node',
  explanation:
    'The CNI needs EC2 network-interface permissions. On the node role every pod that reaches the instance metadata ' +
    'service gets them too (LM-1); on its own role only the aws-node service account does (PV-3). Without a vpc-cni managed ' +
    'add-on the self-managed aws-node DaemonSet uses the node role.',
  resourceTypes: ['AWS::EKS::Addon', ...CLUSTER_TYPES],
  evaluate({ model, logicalId, resource, properties }) {
    if (CLUSTER_TYPES.includes(resource.Type)) {
      const autoMode = literal(field(field(clusterSettings(resource, properties), 'ComputeConfig'), 'Enabled'));
      if (autoMode.known && isTrue(autoMode.value)) return NOT_APPLICABLE; // EKS Auto Mode runs the CNI itself.
      const addons = resourcesOfCluster(model, logicalId, 'AWS::EKS::Addon');
      if (addons.some(([, a]) => addonIs(model, a, 'vpc-cni') === 'yes')) return COMPLIANT;
      const unknown = addons.find(([, a]) => addonIs(model, a, 'vpc-cni') === 'unknown');
      if (unknown)
        return [unresolved(`Whether add-on ${unknown[0]} is vpc-cni`, why(model, unknown[1].Properties?.AddonName))];
      return [
        {
          message:
            "the cluster has no vpc-cni managed add-on: the self-managed aws-node DaemonSet runs with the node role's credentials",
        },
      ];
    }
    const is = addonIs(model, resource, 'vpc-cni');
    if (is === 'no') return NOT_APPLICABLE;
    if (is === 'unknown') return [unresolved('Whether the add-on is vpc-cni', why(model, properties.AddonName))];
    const role = cniRole(model, logicalId);
    if (role.own === 'yes') return COMPLIANT;
    if (role.own === 'unknown') return [unresolved("The vpc-cni add-on's own role", role.because ?? 'an intrinsic')];
    return [
      {
        message:
          'the vpc-cni add-on has neither ServiceAccountRoleArn nor a Pod Identity association for aws-node: the CNI uses the node role',
      },
    ];
  },
};

function why(model: Parameters<typeof possibleValues>[0], value: unknown): string {
  const values = possibleValues(model, value);
  return values.known ? JSON.stringify(values.value) : values.because;
}
