import { literalAt } from '../../core/intrinsics';
import { launchTemplateFindings, NODE_TYPES } from '../../core/node-launch-templates';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';

/** NOD-2: the nodes' launch templates require IMDSv2 and limit the PUT response to one hop. */
export const Imdsv2HopLimit: ThreatModelRule = {
  controlId: 'NOD-2',
  threats: ['TH-2', 'LM-1', 'EX-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Node launch templates set MetadataOptions.HttpTokens to required and HttpPutResponseHopLimit to 1 (or disable the metadata endpoint)',
  explanation:
    "With IMDSv1 or a hop limit above 1, any pod can fetch the node role's temporary credentials from the instance " +
    "metadata service and use them against AWS (TH-2, LM-1, EX-1). The hop limit must be explicit: some AMIs and EKS's own " +
    'launch template default to 2.',
  resourceTypes: NODE_TYPES,
  evaluate({ model, resource, properties }) {
    const findings = launchTemplateFindings(
      model,
      resource,
      properties,
      ({ logicalId, kind, data }) => {
        const endpoint = literalAt(data, 'MetadataOptions', 'HttpEndpoint');
        if (endpoint.known && endpoint.value === 'disabled') return [];
        const problems: RuleFinding[] = [];
        const tokens = literalAt(data, 'MetadataOptions', 'HttpTokens');
        if (!tokens.known)
          problems.push(unresolved(`MetadataOptions.HttpTokens of ${kind} ${logicalId}`, tokens.because));
        else if (tokens.value !== 'required') {
          problems.push({
            message: `${kind} ${logicalId} does not require IMDSv2 (HttpTokens is ${tokens.value === undefined ? 'absent, so IMDSv1 is allowed' : `'${String(tokens.value)}'`})`,
          });
        }
        const hops = literalAt(data, 'MetadataOptions', 'HttpPutResponseHopLimit');
        if (!hops.known)
          problems.push(unresolved(`MetadataOptions.HttpPutResponseHopLimit of ${kind} ${logicalId}`, hops.because));
        else if (hops.value === undefined)
          problems.push({
            message: `${kind} ${logicalId} leaves HttpPutResponseHopLimit at the AMI's default (2 on EKS AMIs): set it to 1`,
          });
        else if (Number(hops.value) !== 1)
          problems.push({
            message: `${kind} ${logicalId} sets HttpPutResponseHopLimit to ${String(hops.value)}, so pods can reach the metadata service: set it to 1`,
          });
        return problems;
      },
      'the metadata options EKS applies are not in the template (require IMDSv2 with hop limit 1 in a launch template)',
    );
    return findings.length ? findings : COMPLIANT;
  },
};
