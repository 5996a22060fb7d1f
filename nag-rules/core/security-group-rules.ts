import { COMPLIANT, RuleContext, RuleFinding, RuleResult, unresolved } from './rule';
import { isObject, TemplateModel } from './template-model';
import { literal, possibleValues, Resolved, why } from './values';
import { listMembers, presentBranchValues } from './intrinsics';

export const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
export const SECURITY_GROUP_INGRESS = 'AWS::EC2::SecurityGroupIngress';

/** One ingress rule, inline in a security group or a standalone AWS::EC2::SecurityGroupIngress. */
export interface IngressRule {
  /** The resource that writes the rule. */
  readonly logicalId: string;
  /** How a message names it: `SecurityGroupIngress[1] of SG` or the standalone rule's logical ID. */
  readonly name: string;
  readonly rule: Record<string, any>;
}

/** The ingress rules a SecurityGroup or SecurityGroupIngress resource writes itself (not the standalone ones aimed at a group). */
export function ownIngressRules(
  logicalId: string,
  type: string,
  properties: Record<string, any>,
): { rules: IngressRule[]; unresolved: RuleFinding[] } {
  if (type === SECURITY_GROUP_INGRESS)
    return { rules: [{ logicalId, name: `rule ${logicalId}`, rule: properties }], unresolved: [] };
  const { members, unknown } = listMembers(properties.SecurityGroupIngress);
  const findings = unknown === undefined ? [] : [unresolved(`SecurityGroupIngress of ${logicalId}`, why(unknown))];
  const rules: IngressRule[] = [];
  members.forEach((rule, i) => {
    if (isObject(rule) && !('Ref' in rule) && !Object.keys(rule).some((k) => k.startsWith('Fn::'))) {
      rules.push({ logicalId, name: `SecurityGroupIngress[${i}] of ${logicalId}`, rule });
    } else findings.push(unresolved(`SecurityGroupIngress[${i}] of ${logicalId}`, why(rule)));
  });
  return { rules, unresolved: findings };
}

/** A rule's evaluation over the ingress rules a SecurityGroup or SecurityGroupIngress resource writes itself. */
export function judgeOwnIngressRules(
  context: RuleContext,
  judge: (model: TemplateModel, rule: IngressRule) => RuleFinding[],
): RuleResult {
  const { model, logicalId, resource, properties } = context;
  const { rules, unresolved: findings } = ownIngressRules(logicalId, resource.Type, properties);
  for (const rule of rules) findings.push(...judge(model, rule));
  return findings.length ? findings : COMPLIANT;
}

/** Every ingress rule into a security group of the template: its inline rules and the standalone rules aimed at it. */
export function ingressRulesInto(
  model: TemplateModel,
  groupId: string,
): { rules: IngressRule[]; unresolved: RuleFinding[] } {
  const group = model.resource(groupId);
  const own = ownIngressRules(groupId, SECURITY_GROUP, (group?.Properties ?? {}) as Record<string, any>);
  const rules = [...own.rules];
  for (const [id, ingress] of model.referrersVia(groupId, 'GroupId', SECURITY_GROUP_INGRESS))
    rules.push({ logicalId: id, name: `rule ${id}`, rule: (ingress.Properties ?? {}) as Record<string, any> });
  return { rules, unresolved: own.unresolved };
}

/** How a rule's protocol and ports relate to one TCP port. */
export type PortMatch = 'no' | 'port' | 'all-traffic';

/** Whether a rule opens a TCP port: 'all-traffic' for protocol -1, 'port' when a TCP range includes it. */
export function opensTcpPort(model: TemplateModel, rule: Record<string, any>, port: number): Resolved<PortMatch> {
  const protocols = possibleValues(model, rule.IpProtocol);
  if (!protocols.known) return { known: false, because: protocols.because };
  let match: PortMatch = 'no';
  for (const raw of protocols.value) {
    const protocol = raw.toLowerCase();
    if (protocol === '-1' || protocol === 'all') return { known: true, value: 'all-traffic' };
    if (protocol !== 'tcp' && protocol !== '6') continue;
    const from = literal(rule.FromPort);
    const to = literal(rule.ToPort);
    if (!from.known) return { known: false, because: from.because };
    if (!to.known) return { known: false, because: to.because };
    const low = from.value === undefined || Number(from.value) === -1 ? 0 : Number(from.value);
    const high = to.value === undefined || Number(to.value) === -1 ? 65535 : Number(to.value);
    if (Number.isNaN(low) || Number.isNaN(high))
      return { known: false, because: `ports ${JSON.stringify(from.value)}-${JSON.stringify(to.value)}` };
    if (low <= port && port <= high) match = 'port';
  }
  return { known: true, value: match };
}

/** True for a CIDR that is the whole address space (0.0.0.0/0, ::/0 or any /0). */
export function isWorld(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim());
}

/**
 * The CIDRs an expression can take: `possibleValues`, plus `Fn::GetAtt [<VPC or subnet>, CidrBlock]` of the template
 * followed to that resource's CidrBlock.
 */
export function cidrValues(model: TemplateModel, value: unknown): Resolved<string[]> {
  const values: string[] = [];
  for (const choice of presentBranchValues(value)) {
    const getAtt = isObject(choice) ? choice['Fn::GetAtt'] : undefined;
    const [resource, attribute] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? getAtt.split('.') : [];
    const target = typeof resource === 'string' ? model.resource(resource) : undefined;
    if (target && attribute === 'CidrBlock' && ['AWS::EC2::VPC', 'AWS::EC2::Subnet'].includes(target.Type)) {
      if (target.Properties?.CidrBlock === undefined)
        return { known: false, because: `the CIDR ${resource} gets from an IPAM pool` };
      const inner = cidrValues(model, target.Properties.CidrBlock);
      if (!inner.known) return inner;
      values.push(...inner.value);
      continue;
    }
    const possible = possibleValues(model, choice);
    if (!possible.known) return possible;
    values.push(...possible.value);
  }
  return { known: true, value: [...new Set(values)] };
}

/** The security groups of the template a source expression (SourceSecurityGroupId, a list member…) may name. */
export function groupsNamed(model: TemplateModel, value: unknown): { groups: string[]; other: unknown[] } {
  const groups: string[] = [];
  const other: unknown[] = [];
  for (const choice of presentBranchValues(value)) {
    const ref = model.referencedId(choice);
    if (ref && model.resource(ref)!.Type === SECURITY_GROUP) groups.push(ref);
    else other.push(choice);
  }
  return { groups, other };
}
