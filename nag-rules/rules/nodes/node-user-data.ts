import { TOKEN_PREFIX } from '../../core/intrinsics';
import { NODE_TYPES, launchTemplatePropertyFindings } from '../../core/node-launch-templates';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { readUserData, userDataConcerns } from '../../core/user-data';

/** NOD-8: node bootstrap user data opens no SSH way in, leaves the metadata service as the launch template sets it and keeps the security agents running. */
export const NodeUserData: ThreatModelRule = {
  controlId: 'NOD-8',
  threats: ['TH-1', 'TH-2', 'EP-2', 'LM-1', 'IR-6'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'The user data of node launch templates and launch configurations (base64, gzip, MIME multipart, cloud-config, ' +
    'shell, Bottlerocket settings) starts no SSH daemon and installs no SSH key, does not reopen the instance metadata service, ' +
    'and does not stop or remove the SSM, GuardDuty, audit or CloudWatch agents',
  explanation:
    'User data runs as root on every node before it joins the cluster: a line there undoes what the launch template ' +
    'promises. An SSH daemon or key is an entry point (EP-2, TH-1); re-enabling IMDSv1 or raising the hop limit hands the node ' +
    "role's credentials to pods (TH-2, LM-1); stopping the SSM, GuardDuty or audit agents blinds detection and the incident " +
    'runbooks that need a shell on the node (IR-6).',
  resourceTypes: NODE_TYPES,
  evaluate({ model, resource, properties }) {
    const findings = launchTemplatePropertyFindings(model, resource, properties, 'UserData', judgeUserData);
    return findings.length ? findings : COMPLIANT;
  },
};

/** Findings for one user-data value (a launch template's, a launch configuration's or an EC2NodeClass's). */
export function judgeUserData(value: unknown, owner: string): RuleFinding[] {
  const read = readUserData(value);
  if (!read.ok) return [unresolved(`the user data of ${owner}`, read.reason)];
  const findings: RuleFinding[] = userDataConcerns(read.parts).map((c) => ({
    message: `the user data of ${owner} ${c.detail}`,
  }));
  const opaque = read.parts.find(
    (p) => p.text.trim().startsWith(TOKEN_PREFIX) && p.text.trim().indexOf('}') === p.text.trim().length - 1,
  );
  if (opaque)
    findings.push(
      unresolved(`the user data of ${owner}`, `template value '${opaque.text.trim().slice(TOKEN_PREFIX.length, -1)}'`),
    );
  return findings;
}
