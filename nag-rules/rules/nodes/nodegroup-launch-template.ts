import { launchTemplateProblems, NODE_TYPES } from '../../core/node-launch-templates';
import { COMPLIANT, ThreatModelRule } from '../../core/rule';

/** NOD-1: every node group (and self-managed Auto Scaling group) starts its nodes from a launch template. */
export const NodegroupLaunchTemplate: ThreatModelRule = {
  controlId: 'NOD-1',
  threats: ['TH-2', 'LM-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every node group and node Auto Scaling group names a launch template (LaunchTemplate with an ID or a name)',
  explanation:
    'Without a launch template, EKS starts nodes with its own defaults: the template cannot pin IMDSv2 with hop limit 1, ' +
    "encrypted volumes or the node security group, so a compromised pod may reach the node role's credentials (TH-2, LM-1).",
  resourceTypes: NODE_TYPES,
  evaluate({ resource, properties }) {
    const findings = launchTemplateProblems(resource, properties);
    return findings.length ? findings : COMPLIANT;
  },
};
