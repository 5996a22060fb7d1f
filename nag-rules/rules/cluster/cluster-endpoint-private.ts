import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isFalse, isTrue, literal } from '../../core/values';

/** CLU-1: the Kubernetes API endpoint is private only (both CDK EKS flavours). */
export const ClusterEndpointPrivate: ThreatModelRule = {
  controlId: 'CLU-1',
  threats: ['TH-1', 'EP-1', 'PV-1'],
  level: 'error',
  kind: 'misconfiguration',
  description: "The cluster's API endpoint has private access on and public access off",
  explanation:
    'A public endpoint lets anyone on the internet reach the API server and try stolen or leaked credentials (TH-1).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ resource, properties }) {
    // aws-eks v1's custom resource nests the EKS API's request under Config, with the API's camelCase names.
    const config =
      resource.Type === 'AWS::EKS::Cluster' ? properties.ResourcesVpcConfig : properties.Config?.resourcesVpcConfig;
    const publicAccess = literal(config?.EndpointPublicAccess ?? config?.endpointPublicAccess);
    const privateAccess = literal(config?.EndpointPrivateAccess ?? config?.endpointPrivateAccess);
    const findings: RuleFinding[] = [];
    if (!publicAccess.known) findings.push(unresolved('EndpointPublicAccess', publicAccess.because));
    // CloudFormation's default for EndpointPublicAccess is true.
    else if (!isFalse(publicAccess.value))
      findings.push({ message: 'the public endpoint is on (EndpointPublicAccess is not false)' });
    if (!privateAccess.known) findings.push(unresolved('EndpointPrivateAccess', privateAccess.because));
    else if (!isTrue(privateAccess.value))
      findings.push({ message: 'the private endpoint is off (EndpointPrivateAccess is not true)' });
    return findings.length ? findings : COMPLIANT;
  },
};
