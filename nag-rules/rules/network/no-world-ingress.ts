import { listMembers, presentBranchValues } from '../../core/intrinsics';
import { RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import {
  cidrValues,
  IngressRule,
  isWorld,
  judgeOwnIngressRules,
  SECURITY_GROUP,
  SECURITY_GROUP_INGRESS,
} from '../../core/security-group-rules';
import { isObject, TemplateModel } from '../../core/template-model';
import { shown, why } from '../../core/values';

/** NET-1: no security-group ingress from the whole internet (0.0.0.0/0 or ::/0). */
export const NoWorldIngress: ThreatModelRule = {
  controlId: 'NET-1',
  threats: ['TH-1', 'EP-1', 'EP-3', 'AC-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No security-group ingress rule (inline or AWS::EC2::SecurityGroupIngress) admits 0.0.0.0/0 or ::/0, ' +
    'directly, through a parameter or through a prefix list of the template',
  explanation:
    'An ingress rule from 0.0.0.0/0 or ::/0 lets an external attacker (AC-1) reach the API endpoint (EP-1), the ' +
    'kubelet (EP-3) or applications without any access to the cluster (TH-1). A CIDR from a parameter must be limited by ' +
    'AllowedValues or a template rule, or it cannot be judged.',
  resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_INGRESS],
  evaluate: (context) => judgeOwnIngressRules(context, judgeRule),
};

function judgeRule(model: TemplateModel, { name, rule }: IngressRule): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const field of ['CidrIp', 'CidrIpv6']) {
    if (rule[field] === undefined) continue;
    const cidrs = cidrValues(model, rule[field]);
    if (!cidrs.known) findings.push(unresolved(`${field} of ${name}`, cidrs.because));
    else {
      const world = cidrs.value.filter(isWorld);
      const via = isObject(rule[field]) ? ` ${shown('', rule[field]).replace(/^'' /, '')}` : '';
      if (world.length > 0)
        findings.push({ message: `${name} admits ${world.join(' and ')}${via} (${field}): anyone on the internet` });
    }
  }
  if (rule.SourcePrefixListId !== undefined) {
    for (const choice of presentBranchValues(rule.SourcePrefixListId)) {
      const ref = model.referencedId(choice);
      if (!ref || model.resource(ref)!.Type !== 'AWS::EC2::PrefixList') {
        findings.push(
          unresolved(`SourcePrefixListId of ${name}`, `a prefix list outside the template (${why(choice)})`),
        );
        continue;
      }
      const { members, unknown } = listMembers(model.resource(ref)!.Properties?.Entries);
      if (unknown !== undefined) findings.push(unresolved(`the entries of prefix list ${ref}`, why(unknown)));
      for (const entry of members) {
        const cidrs = cidrValues(model, isObject(entry) ? entry.Cidr : entry);
        if (!cidrs.known) findings.push(unresolved(`an entry of prefix list ${ref}`, cidrs.because));
        else if (cidrs.value.some(isWorld))
          findings.push({
            message: `${name} admits prefix list ${ref}, which contains ${cidrs.value.filter(isWorld).join(' and ')}`,
          });
      }
    }
  }
  return findings;
}
