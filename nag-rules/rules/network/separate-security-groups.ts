import { at, listMembers } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { nodegroupsOfCluster, nodeLaunchTemplates } from '../../core/node-launch-templates';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { groupsNamed, ingressRulesInto, opensTcpPort } from '../../core/security-group-rules';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal, why } from '../../core/values';

const KUBELET = 10250;

/** NET-3: the control plane and the nodes have separate security groups, and the kubelet is open only to the control plane. */
export const SeparateSecurityGroups: ThreatModelRule = {
  controlId: 'NET-3',
  threats: ['TH-1', 'PV-4', 'EP-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    "The cluster names a control-plane security group of the template; every node group's launch template attaches " +
    "its own node security groups, none of them the control plane's or the EKS cluster security group; ingress to node " +
    "groups on the kubelet port 10250 comes only from the control-plane security group (or from the nodes' own groups)",
  explanation:
    'PV-4 asks for separate control-plane and node security groups. Without a launch template that attaches node ' +
    'groups, EKS gives nodes its cluster security group, shared with the control plane, and every rule of one side opens ' +
    'the other. The kubelet (EP-3) must be reachable only from the control plane: any other source outside the cluster ' +
    'can reach it over the network (TH-1). Node-to-node traffic inside the node groups stays allowed: pods need it.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId, resource, properties }) {
    const findings: RuleFinding[] = [];
    const config =
      resource.Type === 'AWS::EKS::Cluster' ? properties.ResourcesVpcConfig : properties.Config?.resourcesVpcConfig;
    const raw = at(config, resource.Type === 'AWS::EKS::Cluster' ? 'SecurityGroupIds' : 'securityGroupIds');
    const controlPlane = new Set<string>();
    if (!raw.known) findings.push(unresolved('the control-plane security groups', raw.because));
    else {
      const { members, unknown } = listMembers(raw.value);
      if (unknown !== undefined) findings.push(unresolved('the control-plane security groups', why(unknown)));
      else if (members.length === 0) {
        findings.push({
          message:
            'the cluster names no control-plane security group (ResourcesVpcConfig.SecurityGroupIds): only the EKS cluster security group guards it, which EKS also gives nodes',
        });
      }
      for (const member of members) {
        const { groups, other } = groupsNamed(model, member);
        groups.forEach((g) => {
          controlPlane.add(g);
        });
        for (const o of other)
          findings.push(
            unresolved('a control-plane security group', `a security group outside the template (${why(o)})`),
          );
      }
    }

    const nodeGroups = new Set<string>();
    for (const [nodegroupId, nodegroup] of nodegroupsOfCluster(model, logicalId)) {
      const lts = nodeLaunchTemplates(model, nodegroup, (nodegroup.Properties ?? {}) as Record<string, any>);
      findings.push(...lts.unresolved.map((f) => ({ ...f, message: `node group ${nodegroupId}: ${f.message}` })));
      if (lts.missing)
        findings.push({
          message: `node group ${nodegroupId}: ${lts.missing}, so EKS attaches the cluster security group it shares with the control plane`,
        });
      for (const { logicalId: ltId, data } of lts.templates) {
        const attached = nodeSecurityGroups(data);
        if (!attached.known) {
          findings.push(unresolved(`the security groups of launch template ${ltId}`, attached.because));
          continue;
        }
        if (attached.value.length === 0) {
          findings.push({
            message: `launch template ${ltId} of node group ${nodegroupId} attaches no security group, so EKS attaches the cluster security group it shares with the control plane`,
          });
        }
        for (const member of attached.value) {
          const { groups, other } = groupsNamed(model, member);
          for (const group of groups) {
            if (controlPlane.has(group))
              findings.push({
                message: `node group ${nodegroupId} uses the control-plane security group ${group} (launch template ${ltId})`,
              });
            else nodeGroups.add(group);
          }
          for (const o of other) {
            if (isClusterSecurityGroup(model, o, logicalId))
              findings.push({
                message: `node group ${nodegroupId} uses the EKS cluster security group, shared with the control plane (launch template ${ltId})`,
              });
            else
              findings.push(
                unresolved(
                  `a security group of launch template ${ltId}`,
                  `a security group outside the template (${why(o)})`,
                ),
              );
          }
        }
      }
    }

    for (const group of nodeGroups) {
      const { rules, unresolved: unknown } = ingressRulesInto(model, group);
      findings.push(...unknown);
      for (const { name, rule } of rules) {
        const match = opensTcpPort(model, rule, KUBELET);
        if (!match.known) {
          findings.push(unresolved(`the protocol and ports of ${name}`, match.because));
          continue;
        }
        if (match.value === 'no') continue;
        const source = sourceProblem(model, rule, logicalId, controlPlane, nodeGroups);
        if (source)
          findings.push(
            source.unresolved
              ? unresolved(`the source of ${name}`, source.message)
              : {
                  message: `${name} opens the kubelet port 10250 of node security group ${group} to ${source.message}`,
                },
          );
      }
    }
    return findings.length ? findings : COMPLIANT;
  },
};

/** The security groups a launch template attaches: SecurityGroupIds, or Groups of its network interfaces. */
function nodeSecurityGroups(
  data: Record<string, any>,
): { known: true; value: unknown[] } | { known: false; because: string } {
  const direct = listMembers(data.SecurityGroupIds);
  if (direct.unknown !== undefined) return { known: false, because: why(direct.unknown) };
  const value = [...direct.members];
  const interfaces = listMembers(data.NetworkInterfaces);
  if (interfaces.unknown !== undefined) return { known: false, because: why(interfaces.unknown) };
  for (const eni of interfaces.members) {
    const groups = listMembers(isObject(eni) ? eni.Groups : undefined);
    if (groups.unknown !== undefined) return { known: false, because: why(groups.unknown) };
    value.push(...groups.members);
  }
  return { known: true, value };
}

/** `Fn::GetAtt [<cluster>, ClusterSecurityGroupId]`: the security group EKS creates for the cluster. */
function isClusterSecurityGroup(model: TemplateModel, value: unknown, clusterId: string): boolean {
  const getAtt = isObject(value) ? value['Fn::GetAtt'] : undefined;
  const [resource, attribute] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? getAtt.split('.') : [];
  return model.referencedId(value) === clusterId && resource === clusterId && attribute === 'ClusterSecurityGroupId';
}

/** Why a kubelet rule's source is not the control plane (or the nodes): undefined when it is. */
function sourceProblem(
  model: TemplateModel,
  rule: Record<string, any>,
  clusterId: string,
  controlPlane: Set<string>,
  nodes: Set<string>,
): { message: string; unresolved?: boolean } | undefined {
  for (const field of ['CidrIp', 'CidrIpv6', 'SourcePrefixListId']) {
    if (rule[field] === undefined) continue;
    const lit = literal(rule[field]);
    return { message: `a network range (${field} ${lit.known ? String(lit.value) : why(rule[field])})` };
  }
  if (rule.SourceSecurityGroupName !== undefined)
    return {
      message: `security group '${String(literal(rule.SourceSecurityGroupName).known ? rule.SourceSecurityGroupName : '?')}' (by name)`,
    };
  if (rule.SourceSecurityGroupId === undefined) return { message: 'no named source' };
  const { groups, other } = groupsNamed(model, rule.SourceSecurityGroupId);
  const stranger = groups.find((g) => !controlPlane.has(g) && !nodes.has(g));
  if (stranger)
    return { message: `security group ${stranger}, which is neither the control plane's nor a node group's` };
  for (const o of other) {
    if (isClusterSecurityGroup(model, o, clusterId)) continue;
    const lit = literal(o);
    if (lit.known) return { message: `security group '${String(lit.value)}' outside the template` };
    return { message: `a security group outside the template (${lit.because})`, unresolved: true };
  }
  return undefined;
}
