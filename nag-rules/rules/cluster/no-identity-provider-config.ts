import { renderText } from '../../core/intrinsics';
import { ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** CLU-9: the product associates no OIDC identity provider with the cluster. */
export const NoIdentityProviderConfig: ThreatModelRule = {
  controlId: 'CLU-9',
  threats: ['TH-3', 'TH-4', 'ADM-11', 'ADM-12'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'The template has no AWS::EKS::IdentityProviderConfig',
  explanation:
    'An associated OIDC identity provider authenticates users to the Kubernetes API outside IAM and access entries, ' +
    'so whoever controls that issuer or its groups claim controls cluster access (TH-3, ADM-11).',
  resourceTypes: ['AWS::EKS::IdentityProviderConfig'],
  evaluate({ properties }) {
    const oidc = isObject(properties.Oidc) ? properties.Oidc : {};
    const issuer = renderText(oidc.IssuerUrl) ?? 'an unknown issuer';
    const cluster = renderText(properties.ClusterName) ?? 'the cluster';
    return [
      {
        message: `an OIDC identity provider (${issuer}) is associated with ${cluster}: Kubernetes API users are authenticated outside IAM access entries`,
      },
    ];
  },
};
