import { addonIs, OIDC_PROVIDER_TYPES, resourcesOfCluster } from '../../core/cluster-properties';
import { literalStrings } from '../../core/iam-documents';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';

export const POD_IDENTITY_AGENT = 'eks-pod-identity-agent';

/** IDN-7: workload identity is available: an IAM OIDC provider for the cluster's issuer, and the Pod Identity agent add-on. */
export const WorkloadIdentityAvailable: ThreatModelRule = {
  controlId: 'IDN-7',
  threats: ['TH-2', 'LM-1', 'LM-2', 'PV-3'],
  level: 'warning',
  kind: 'missing-control',
  description: `The template has an OIDC provider whose Url is the cluster's OpenIdConnectIssuerUrl (audience sts.amazonaws.com) and an ${POD_IDENTITY_AGENT} add-on of the cluster`,
  explanation:
    "Without IRSA or Pod Identity, workloads that need AWS get the node role's credentials or long-lived keys in " +
    'secrets (LM-1, LM-2). Shipping both mechanisms lets every workload get a role of its own (PV-3).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const findings: RuleFinding[] = [...oidcFindings(model, logicalId)];
    const addons = resourcesOfCluster(model, logicalId, 'AWS::EKS::Addon');
    if (!addons.some(([, a]) => addonIs(model, a, POD_IDENTITY_AGENT) === 'yes')) {
      const unknown = addons.find(([, a]) => addonIs(model, a, POD_IDENTITY_AGENT) === 'unknown');
      findings.push(
        unknown
          ? unresolved(
              `Whether add-on ${unknown[0]} is the ${POD_IDENTITY_AGENT}`,
              'an AddonName that is not a literal',
            )
          : { message: `the cluster has no ${POD_IDENTITY_AGENT} add-on: EKS Pod Identity associations cannot work` },
      );
    }
    return findings.length ? findings : COMPLIANT;
  },
};

function oidcFindings(model: TemplateModel, clusterId: string): RuleFinding[] {
  const providers = model
    .resourcesOfType(...OIDC_PROVIDER_TYPES)
    .filter(([, r]) => issuerOf(r.Properties?.Url, clusterId));
  if (providers.length === 0) {
    return [
      {
        message:
          "no OIDC provider (AWS::IAM::OIDCProvider or Custom::AWSCDKOpenIdConnectProvider) has the cluster's OpenIdConnectIssuerUrl as Url: IRSA cannot work",
      },
    ];
  }
  const audiences = providers.map(
    ([id, r]) => [id, literalStrings(r.Properties?.ClientIdList ?? r.Properties?.ClientIDList)] as const,
  );
  if (audiences.some(([, a]) => a.values.includes('sts.amazonaws.com'))) return [];
  const unknown = audiences.find(([, a]) => a.unknown.length);
  if (unknown) return [unresolved(`The client IDs of ${unknown[0]}`, unknown[1].unknown[0])];
  return [
    {
      message: `OIDC provider ${providers.map(([id]) => id).join(', ')} does not list sts.amazonaws.com in its client IDs`,
    },
  ];
}

/** Whether a Url value holds Fn::GetAtt <cluster>.OpenIdConnectIssuerUrl (alone or inside a join). */
function issuerOf(value: unknown, clusterId: string): boolean {
  if (Array.isArray(value)) return value.some((v) => issuerOf(v, clusterId));
  if (!isObject(value)) return false;
  const att = value['Fn::GetAtt'];
  if (
    (Array.isArray(att) && att[0] === clusterId && att[1] === 'OpenIdConnectIssuerUrl') ||
    att === `${clusterId}.OpenIdConnectIssuerUrl`
  )
    return true;
  return Object.values(value).some((v) => issuerOf(v, clusterId));
}
