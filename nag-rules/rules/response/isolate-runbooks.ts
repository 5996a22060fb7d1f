import { asArray, renderString } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import {
  judgeRunbooks,
  kubernetesCallProblems,
  mentionsApi,
  RUNBOOK_TAG,
  RunbookDocument,
} from '../../core/runbook-documents';
import { isObject, TemplateModel } from '../../core/template-model';

const OPEN = ['0.0.0.0/0', '::/0'];

/** REM-2: IR-2 runbooks isolate a pod (quarantine label) and a node (isolation security group). */
export const IsolateRunbooks: ThreatModelRule = {
  controlId: 'REM-2',
  threats: ['TH-1', 'TH-2', 'TH-3', 'IR-2', 'PV-5'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `Runbooks tagged ${RUNBOOK_TAG}=IR-2 belong to the cluster: one labels a pod through a Lambda function inside the VPC ` +
    "(the quarantine network policy then isolates it), one moves a node's network interfaces into a security group of the template " +
    'that admits no ingress and has no egress to 0.0.0.0/0 or ::/0',
  explanation:
    'IR-2: cut a compromised pod or node off from everything it could reach (lateral movement, LM-1, and exfiltration, ' +
    'EX-1) while keeping it running for the investigation. An isolation group that still admits traffic or reaches the internet ' +
    'isolates nothing.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-2', [
      { does: 'quarantine a pod through the Kubernetes API', problems: (d) => kubernetesCallProblems(model, d) },
      { does: 'move a node into an isolation security group', problems: (d) => isolationProblems(model, d) },
    ]);
  },
};

function isolationProblems(model: TemplateModel, document: RunbookDocument): string[] {
  if (!mentionsApi(document, 'ModifyNetworkInterfaceAttribute') && !mentionsApi(document, 'ModifyInstanceAttribute')) {
    return [`${document.logicalId} changes no network interface's security groups`];
  }
  const groups = model
    .referencedIds(document.content)
    .filter((id) => model.resource(id)?.Type === 'AWS::EC2::SecurityGroup');
  if (groups.length === 0) return [`${document.logicalId} names no security group of the template to isolate into`];
  const problems = groups.map((id) => groupProblems(model, id));
  return problems.some((p) => p.length === 0) ? [] : problems.flat();
}

/** A group's rules of one direction: inline in the group, and the standalone rule resources aimed at it. */
function groupRules(model: TemplateModel, groupId: string, direction: 'Ingress' | 'Egress'): unknown[] {
  return [
    ...asArray(model.resource(groupId)?.Properties?.[`SecurityGroup${direction}`]),
    ...model.referrersVia(groupId, 'GroupId', `AWS::EC2::SecurityGroup${direction}`).map(([, r]) => r.Properties),
  ];
}

/** Why a security group does not isolate: ingress of any kind, or egress to the whole internet. */
export function groupProblems(model: TemplateModel, groupId: string): string[] {
  const props = model.resource(groupId)?.Properties ?? {};
  const problems: string[] = [];
  const ingress = groupRules(model, groupId, 'Ingress');
  if (ingress.length)
    problems.push(`isolation group ${groupId} admits ingress (${ingress.length} rule${ingress.length > 1 ? 's' : ''})`);
  const egress = groupRules(model, groupId, 'Egress').filter(isObject);
  if (props.SecurityGroupEgress === undefined && !egress.length)
    problems.push(`isolation group ${groupId} keeps the default allow-all egress`);
  const open = egress.filter(
    (e) => OPEN.includes(renderString(model, e.CidrIp)) || OPEN.includes(renderString(model, e.CidrIpv6)),
  );
  // CDK writes a disallow-all placeholder (255.255.255.255/32, icmp 252-86) when no egress is allowed: not open.
  if (open.length)
    problems.push(
      `isolation group ${groupId} allows egress to ${open.map((e) => renderString(model, e.CidrIp ?? e.CidrIpv6)).join(', ')}`,
    );
  return problems;
}
