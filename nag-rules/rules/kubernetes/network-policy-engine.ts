import { hasToken, renderText } from '../../core/intrinsics';
import { addonConfiguration } from '../../core/kubernetes-configuration';
import { CLUSTER_TYPES, helmReleases, unresolvedField } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** The Helm chart of Calico's operator: the cluster's policy engine when it is installed. */
export const CALICO_CHART = 'tigera-operator';

type Engine = 'on' | 'off' | 'unknown';

/** K8S-12: one network-policy engine: Calico's operator in policy-only mode on the VPC CNI, or the VPC CNI's own. */
export const NetworkPolicyEngine: ThreatModelRule = {
  controlId: 'K8S-12',
  threats: ['TH-2', 'PV-5', 'IR-2'],
  level: 'warning',
  kind: 'missing-control',
  description:
    'The cluster gets exactly one network-policy engine: a Helm release of the tigera-operator chart with ' +
    'installation.kubernetesProvider EKS and installation.cni.type AmazonVPC, or the vpc-cni add-on with enableNetworkPolicy "true"',
  explanation:
    'NetworkPolicy objects do nothing without an engine that enforces them: default-deny and quarantine (K8S-8, K8S-13, IR-2) ' +
    "would be silently void. On EKS the engine is Calico in policy-only mode on top of the VPC CNI, or the VPC CNI's own network " +
    "policy agent; running both makes two agents program the same pods' traffic, so both at once is a finding too.",
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const findings: RuleFinding[] = [];
    const calico: Engine[] = [];
    for (const release of helmReleases(model).filter((r) => r.clusterId === logicalId)) {
      if (hasToken(release.chart)) {
        findings.push(
          unresolvedField(`the chart of Helm release ${release.logicalId} (it may be ${CALICO_CHART})`, release.chart),
        );
        calico.push('unknown');
        continue;
      }
      if (release.chart?.split('/').pop() !== CALICO_CHART) continue;
      if (release.unreadable) {
        findings.push({
          message: `the values of Helm release ${release.logicalId} (${CALICO_CHART}) cannot be read (${release.unreadable})`,
          unresolved: true,
        });
        calico.push('unknown');
        continue;
      }
      const installation = isObject(release.values.installation) ? release.values.installation : {};
      const judged: [string, unknown, unknown][] = [
        ['installation.enabled', installation.enabled ?? true, true],
        ['installation.kubernetesProvider', installation.kubernetesProvider, 'EKS'],
        ['installation.cni.type', isObject(installation.cni) ? installation.cni.type : undefined, 'AmazonVPC'],
      ];
      const wrong = judged.filter(
        ([, value, expected]) => !hasToken(value) && value !== expected && !(expected === true && value === 'true'),
      );
      const tokens = judged.filter(([, value]) => hasToken(value));
      if (wrong.length) {
        findings.push({
          message:
            `Helm release ${release.logicalId} (${CALICO_CHART}) does not install Calico in policy-only mode on the VPC CNI: ` +
            wrong
              .map(
                ([field, value, expected]) =>
                  `${field} is ${JSON.stringify(value) ?? 'unset'}, not ${JSON.stringify(expected)}`,
              )
              .join('; '),
        });
        calico.push('off');
      } else if (tokens.length) {
        findings.push(
          ...tokens.map(([field, value]) => unresolvedField(`${field} of Helm release ${release.logicalId}`, value)),
        );
        calico.push('unknown');
      } else {
        calico.push('on');
      }
    }
    const vpcCni: Engine[] = [];
    for (const [addonId, addon] of model.referrersVia(logicalId, 'ClusterName', 'AWS::EKS::Addon')) {
      const props = addon.Properties ?? {};
      const name = renderText(props.AddonName);
      if (hasToken(name)) {
        findings.push(unresolvedField(`the name of add-on ${addonId} (it may be vpc-cni)`, name));
        vpcCni.push('unknown');
        continue;
      }
      if (name !== 'vpc-cni') continue;
      const state = networkPolicyOfVpcCni(props.ConfigurationValues);
      if (state.finding)
        findings.push({ ...state.finding, message: `add-on ${addonId} (vpc-cni): ${state.finding.message}` });
      vpcCni.push(state.engine);
    }
    const calicoEngine = combine(calico);
    const vpcCniEngine = combine(vpcCni);
    if (calicoEngine === 'on' && vpcCniEngine === 'on') {
      findings.push({
        message:
          "two network-policy engines: Calico (tigera-operator) and the vpc-cni add-on's enableNetworkPolicy both enforce policies; keep one",
      });
    } else if (calicoEngine === 'off' && vpcCniEngine === 'off') {
      findings.push({
        message:
          'no network-policy engine: no tigera-operator Helm release with kubernetesProvider EKS and cni.type AmazonVPC, and no ' +
          'vpc-cni add-on with enableNetworkPolicy "true", so NetworkPolicies are not enforced',
      });
    }
    return findings.length ? findings : COMPLIANT;
  },
};

function combine(states: readonly Engine[]): Engine {
  return states.includes('on') ? 'on' : states.includes('unknown') ? 'unknown' : 'off';
}

/** Whether a vpc-cni add-on's ConfigurationValues (JSON or YAML, possibly with template values) turn its policy agent on. */
function networkPolicyOfVpcCni(configurationValues: unknown): { engine: Engine; finding?: RuleFinding } {
  const text = renderText(configurationValues);
  if (text === undefined || text.trim() === '') return { engine: 'off' };
  if (hasToken(text.trim()) && /^\$\{Token:[^}]*\}$/.test(text.trim()))
    return { engine: 'unknown', finding: unresolvedField('ConfigurationValues', text.trim()) };
  // The add-on's values as every rule reads them (core/kubernetes-configuration.ts).
  const parsed = addonConfiguration(configurationValues);
  if (!parsed.ok)
    return {
      engine: 'unknown',
      finding: { message: `ConfigurationValues cannot be read (${parsed.reason})`, unresolved: true },
    };
  if (!isObject(parsed.value))
    return {
      engine: 'unknown',
      finding: { message: 'ConfigurationValues is not a JSON or YAML map', unresolved: true },
    };
  const value = parsed.value.enableNetworkPolicy;
  if (hasToken(value)) return { engine: 'unknown', finding: unresolvedField('enableNetworkPolicy', value) };
  return { engine: value === true || value === 'true' ? 'on' : 'off' };
}
