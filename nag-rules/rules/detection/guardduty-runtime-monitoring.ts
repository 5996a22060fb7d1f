import { addonIs, addonsForClusterName, clusterSettings, field } from '../../core/cluster-properties';
import { renderText } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isTrue } from '../../core/values';

export const GUARDDUTY_AGENT = 'aws-guardduty-agent';

/** DET-2: GuardDuty runtime monitoring: its agent add-on on the cluster and the endpoint it reports through. */
export const GuardDutyRuntimeMonitoring: ThreatModelRule = {
  controlId: 'DET-2',
  threats: ['TH-2', 'TH-3', 'PE-1', 'PE-3', 'PE-4', 'LM-1', 'AC-2'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `The cluster has the ${GUARDDUTY_AGENT} add-on, and the template has a guardduty-data interface VPC endpoint with private ` +
    "DNS (PrivateDnsEnabled true; CloudFormation's default is false), which a private cluster needs to deliver runtime events",
  explanation:
    'GuardDuty EKS runtime monitoring sees what happens inside containers and on nodes (backdoor containers PE-1, cron ' +
    'persistence PE-3, credential theft LM-1, crypto-mining). Without the agent the cluster is not monitored; on a private ' +
    'network without the guardduty-data endpoint the agent cannot report.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, resource }) {
    const findings: RuleFinding[] = [];
    const name = field(clusterSettings(resource), 'Name');
    const addons = name === undefined ? [] : addonsForClusterName(model, name);
    if (!addons.some(([, addon]) => addonIs(model, addon, GUARDDUTY_AGENT) === 'yes')) {
      findings.push({
        message: `the cluster has no ${GUARDDUTY_AGENT} add-on, so GuardDuty runtime monitoring sees nothing on it`,
      });
    }
    const endpoint = model
      .resourcesOfType('AWS::EC2::VPCEndpoint')
      .some(
        ([, e]) =>
          /\.guardduty-data$/.test(renderText(e.Properties?.ServiceName) ?? '') &&
          isTrue(e.Properties?.PrivateDnsEnabled),
      );
    if (!endpoint)
      findings.push({
        message:
          'the template has no guardduty-data VPC endpoint with private DNS: the agent on a private network cannot report',
      });
    return findings.length ? findings : COMPLIANT;
  },
};
