import { clusterSettings, field } from '../../core/cluster-properties';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isFalse, literal } from '../../core/values';

/** CLU-6: authentication mode API (no aws-auth ConfigMap) and no cluster-admin for whoever created the cluster. */
export const ClusterAccessMode: ThreatModelRule = {
  controlId: 'CLU-6',
  threats: ['TH-3', 'PV-1', 'AC-5'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'The cluster has AccessConfig.AuthenticationMode API and BootstrapClusterCreatorAdminPermissions false',
  explanation:
    'With the aws-auth ConfigMap anyone who can edit one Kubernetes object can map an IAM identity to system:masters, ' +
    'and the cluster creator keeps an invisible cluster-admin forever (TH-3, AC-5). Access entries only (mode API) keep who ' +
    'may use the cluster in IAM-audited, template-managed resources.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ resource, properties }) {
    const access = field(clusterSettings(resource, properties), 'AccessConfig');
    const findings: RuleFinding[] = [];
    const mode = literal(field(access, 'AuthenticationMode'));
    if (!mode.known) findings.push(unresolved('AuthenticationMode', mode.because));
    else if (mode.value !== 'API') {
      findings.push({
        message: `AuthenticationMode is ${mode.value === undefined ? 'not set (EKS defaults to CONFIG_MAP)' : String(mode.value)}: the aws-auth ConfigMap can grant access`,
      });
    }
    const bootstrap = literal(field(access, 'BootstrapClusterCreatorAdminPermissions'));
    if (!bootstrap.known) findings.push(unresolved('BootstrapClusterCreatorAdminPermissions', bootstrap.because));
    else if (!isFalse(bootstrap.value)) {
      findings.push({
        message: 'BootstrapClusterCreatorAdminPermissions is not false: the cluster creator keeps cluster-admin',
      });
    }
    return findings.length ? findings : COMPLIANT;
  },
};
