import { hasToken, listMembers, renderText } from '../../core/intrinsics';
import { ADDON_TYPE } from '../../core/kubernetes-configuration';
import { appliedObjects, clusterOf, helmReleases, namespaceOf, unresolvedField } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';
import { CALICO_CHART } from '../kubernetes/network-policy-engine';

export const FARGATE_PROFILE_TYPE = 'AWS::EKS::FargateProfile';
const GUARDDUTY_AGENT = 'aws-guardduty-agent';

/** NOD-10: no Fargate profile takes pods away from the controls that run on nodes. */
export const FargateProfiles: ThreatModelRule = {
  controlId: 'NOD-10',
  threats: ['TH-2', 'PV-5', 'IR-2', 'IR-6'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No Fargate profile selects a namespace whose NetworkPolicies the template applies, nor any namespace of a cluster ' +
    'whose policy engine is Calico or whose runtime detection is the GuardDuty agent (neither runs on Fargate)',
  explanation:
    'A pod a Fargate profile selects runs on AWS-managed capacity, outside the nodes: Calico does not enforce network ' +
    "policy on it and the VPC CNI's agent does not either, so default-deny and quarantine (K8S-8, K8S-13, IR-2) stop applying; " +
    'the GuardDuty runtime agent, kube-bench and the node runbooks (IR-5, IR-6: protect, capture memory) cannot reach it. ' +
    'Fargate is only fit for namespaces that need none of these controls.',
  resourceTypes: [FARGATE_PROFILE_TYPE],
  evaluate({ model, properties }) {
    const clusterId = clusterOf(model, properties);
    const findings: RuleFinding[] = [];
    const { members, unknown } = listMembers(properties.Selectors);
    if (unknown !== undefined)
      findings.push({
        message: "the profile's Selectors cannot be read at synth time: every namespace may be selected",
        unresolved: true,
      });
    const namespaces: string[] = [];
    for (const selector of members) {
      const namespace = renderText(isObject(selector) ? selector.Namespace : undefined);
      if (namespace === undefined) findings.push({ message: 'a selector of the profile names no namespace' });
      else if (hasToken(namespace))
        findings.push(unresolvedField('the namespace a selector of the profile picks', namespace));
      else namespaces.push(namespace);
    }
    if (namespaces.length === 0) return findings.length ? findings : COMPLIANT;
    const ofCluster = (id: string | undefined) => clusterId === undefined || id === undefined || id === clusterId;
    const lost: string[] = [];
    if (helmReleases(model).some((r) => ofCluster(r.clusterId) && r.chart?.split('/').pop() === CALICO_CHART)) {
      lost.push("Calico network policy (the cluster's policy engine does not run on Fargate)");
    }
    if (
      model
        .resourcesOfType(ADDON_TYPE)
        .some(
          ([, a]) =>
            ofCluster(clusterOf(model, a.Properties)) && renderText(a.Properties?.AddonName) === GUARDDUTY_AGENT,
        )
    ) {
      lost.push('GuardDuty runtime monitoring (its agent is a node DaemonSet)');
    }
    const policed = new Set(
      appliedObjects(model)
        .objects.filter((o) => ofCluster(o.clusterId) && o.object.kind === 'NetworkPolicy')
        .map((o) => namespaceOf(o.object))
        .filter((n): n is string => typeof n === 'string'),
    );
    const withPolicies = namespaces.filter((n) => policed.has(n) || (n.includes('*') && policed.size > 0));
    if (withPolicies.length) lost.push(`the NetworkPolicies the template applies in ${withPolicies.join(', ')}`);
    if (lost.length) {
      findings.push({
        message: `the profile runs pods of namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')} on Fargate, outside ${lost.join('; ')}; node runbooks (IR-5, IR-6) cannot reach them either`,
      });
    }
    return findings.length ? findings : COMPLIANT;
  },
};
