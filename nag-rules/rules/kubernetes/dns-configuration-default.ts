import { hasToken, renderText } from '../../core/intrinsics';
import { ADDON_TYPE, configurationOf } from '../../core/kubernetes-configuration';
import { HELM_CHART_TYPES, objectsOf, unresolvedField } from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** Corefile plugins that answer or change names themselves instead of asking the VPC resolver. */
const REDIRECTING_PLUGINS = ['rewrite', 'hosts', 'template', 'file', 'auto', 'secondary', 'erratic'];
const VPC_RESOLVER = '/etc/resolv.conf';

/** K8S-17: CoreDNS configured through its add-on or a Helm chart forwards only to the VPC resolver and rewrites no names. */
export const DnsConfigurationDefault: ThreatModelRule = {
  controlId: 'K8S-17',
  threats: ['TH-2', 'LM-4', 'EX-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    "CoreDNS configuration given as an EKS add-on's configuration values (corefile) or as a CoreDNS Helm chart's values " +
    '(servers) forwards only to /etc/resolv.conf (the VPC resolver) and uses no rewrite, hosts, template, file or auto plugin',
  explanation:
    "The add-on's configuration values and a Helm chart reach the Corefile without any manifest, so the rule that " +
    'keeps manifests off CoreDNS (K8S-11) does not see them. A forward to another resolver, or a plugin that answers names ' +
    "itself, sends the cluster's lookups of internal services and AWS APIs wherever its author chose (LM-4) and can carry " +
    'data out in queries (EX-1).',
  resourceTypes: [ADDON_TYPE, ...HELM_CHART_TYPES],
  evaluate({ model, logicalId, resource, properties }) {
    const { configurations, unreadable } = configurationOf(model, logicalId);
    const findings: RuleFinding[] = [];
    // The coredns add-on with no configuration values runs EKS's default Corefile: judged, and compliant.
    let judged = resource.Type === ADDON_TYPE && /coredns/i.test(renderText(properties.AddonName) ?? '');
    for (const configuration of configurations) {
      if (!/coredns/i.test(configuration.component ?? '')) continue;
      judged = true;
      const value = isObject(configuration.value) ? configuration.value : {};
      if (configuration.channel === 'addon-configuration' && value.corefile !== undefined) {
        if (typeof value.corefile !== 'string')
          findings.push({ message: `the corefile of the ${configuration.where} is not text` });
        else findings.push(...judgeCorefile(value.corefile, configuration.where));
      }
      if (configuration.channel === 'helm-values') {
        for (const server of objectsOf(value.servers)) {
          for (const plugin of objectsOf(server.plugins)) {
            findings.push(
              ...judgeCorefile(`${String(plugin.name ?? '')} ${String(plugin.parameters ?? '')}`, configuration.where),
            );
          }
        }
      }
    }
    for (const u of unreadable) {
      judged = true;
      findings.push({
        message: `the ${u.where} cannot be read (${u.reason}), so the DNS configuration it sets cannot be checked`,
        unresolved: true,
      });
    }
    if (!judged) return NOT_APPLICABLE;
    return findings.length ? findings : COMPLIANT;
  },
};

/** What a Corefile (or one plugin line of it) does that sends names elsewhere. */
export function judgeCorefile(corefile: string, where: string): RuleFinding[] {
  if (hasToken(corefile)) return [unresolvedField(`the Corefile of the ${where}`, corefile)];
  const findings: RuleFinding[] = [];
  for (const raw of corefile.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const [plugin, ...args] = line.split(/\s+/);
    if (plugin === 'forward') {
      const targets = args.slice(1).filter((a) => a !== '{');
      const other = targets.filter((t) => t !== VPC_RESOLVER);
      if (other.length)
        findings.push({
          message: `the ${where} forwards ${args[0] ?? '.'} to ${other.join(', ')} instead of the VPC resolver (${VPC_RESOLVER})`,
        });
    } else if (REDIRECTING_PLUGINS.includes(plugin)) {
      findings.push({
        message: `the ${where} uses the ${plugin} plugin: CoreDNS answers or rewrites names itself (${line})`,
      });
    }
  }
  return findings;
}
