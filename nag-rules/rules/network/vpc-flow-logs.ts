import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { literal } from '../../core/values';

/** NET-4: every VPC of the template has flow logs of all traffic. */
export const VpcFlowLogs: ThreatModelRule = {
  controlId: 'NET-4',
  threats: ['TH-1', 'TH-2', 'EX-1', 'IR-1'],
  level: 'warning',
  kind: 'misconfiguration',
  description: 'Every AWS::EC2::VPC has an AWS::EC2::FlowLog whose ResourceId references it, recording ALL traffic',
  explanation:
    'Flow logs are the record of who talked to what: they show probes from outside (TH-1), a compromised pod ' +
    'reaching out (TH-2) or moving data to an outside system (EX-1), and let responders identify the pod and node (IR-1). ' +
    'A flow log of only ACCEPT or only REJECT traffic misses half of that.',
  resourceTypes: ['AWS::EC2::VPC'],
  evaluate({ model, logicalId }) {
    const flowLogs = model.referrersVia(logicalId, 'ResourceId', 'AWS::EC2::FlowLog');
    if (flowLogs.length === 0) return [{ message: `no AWS::EC2::FlowLog records VPC ${logicalId}` }];
    const findings: RuleFinding[] = [];
    for (const [id, flowLog] of flowLogs) {
      const traffic = literal(flowLog.Properties?.TrafficType);
      if (traffic.known && traffic.value === 'ALL') return COMPLIANT;
      if (!traffic.known) findings.push(unresolved(`TrafficType of flow log ${id}`, traffic.because));
      else
        findings.push({
          message: `flow log ${id} records only ${traffic.value === undefined ? 'an unset traffic type' : `${String(traffic.value)} traffic`}: record ALL`,
        });
    }
    return findings;
  },
};
