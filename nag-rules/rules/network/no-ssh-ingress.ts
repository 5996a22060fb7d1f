import { RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import {
  IngressRule,
  judgeOwnIngressRules,
  opensTcpPort,
  SECURITY_GROUP,
  SECURITY_GROUP_INGRESS,
} from '../../core/security-group-rules';
import { TemplateModel } from '../../core/template-model';

const SSH = 22;

/** NET-2: no ingress on port 22. */
export const NoSshIngress: ThreatModelRule = {
  controlId: 'NET-2',
  threats: ['TH-1', 'EP-2'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No security-group ingress rule opens TCP port 22 (a TCP range including 22 from any source, or all traffic ' +
    'from a CIDR or prefix list; all traffic from a security group is allowed)',
  explanation:
    'Port 22 is the SSH entry point to nodes (EP-2); the product reaches nodes with Session Manager, so nothing ' +
    'needs SSH and any rule that opens it lets someone try keys or exploits from the network (TH-1).',
  resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_INGRESS],
  evaluate: (context) => judgeOwnIngressRules(context, judgeRule),
};

function judgeRule(model: TemplateModel, { name, rule }: IngressRule): RuleFinding[] {
  const match = opensTcpPort(model, rule, SSH);
  if (!match.known) return [unresolved(`the protocol and ports of ${name}`, match.because)];
  if (match.value === 'port')
    return [{ message: `${name} opens TCP port 22 (ports ${rule.FromPort ?? 'all'}-${rule.ToPort ?? 'all'})` }];
  if (match.value === 'all-traffic') {
    const fromGroup = rule.SourceSecurityGroupId !== undefined || rule.SourceSecurityGroupName !== undefined;
    const fromNetwork =
      rule.CidrIp !== undefined || rule.CidrIpv6 !== undefined || rule.SourcePrefixListId !== undefined;
    if (!fromGroup || fromNetwork)
      return [
        {
          message: `${name} allows all traffic, port 22 included, from a network range (only a security-group source may get all traffic)`,
        },
      ];
  }
  return [];
}
