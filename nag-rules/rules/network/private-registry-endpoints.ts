import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isTrue, literal } from '../../core/values';
import { endpointService, VPC_ENDPOINT } from '../../core/vpc-endpoints';

/** Services the nodes need privately: image pulls (ECR API and registry) and IRSA/Pod Identity credentials (STS). */
export const REQUIRED_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'sts'] as const;

/** NET-6: a VPC the template creates has private-DNS interface endpoints for ECR and STS. */
export const PrivateRegistryEndpoints: ThreatModelRule = {
  controlId: 'NET-6',
  threats: ['TH-2', 'EX-2', 'PV-6'],
  level: 'error',
  kind: 'missing-control',
  description:
    'Every AWS::EC2::VPC has Interface VPC endpoints for ecr.api, ecr.dkr and sts (VpcId referencing it) with PrivateDnsEnabled true',
  explanation:
    'With ECR and STS endpoints and private DNS, image pulls and credential exchanges stay inside the VPC (PV-6), ' +
    'so the nodes need no internet path to a registry and egress to other registries can be cut (EX-2), which limits ' +
    'what a compromised container can pull or push (TH-2).',
  resourceTypes: ['AWS::EC2::VPC'],
  evaluate({ model, logicalId }) {
    const endpoints = model.referrersVia(logicalId, 'VpcId', VPC_ENDPOINT);
    const findings: RuleFinding[] = [];
    const unknownServices = endpoints
      .filter(([, e]) => endpointService(model, e.Properties?.ServiceName).unknown)
      .map(([id]) => id);
    for (const service of REQUIRED_ENDPOINT_SERVICES) {
      const matching = endpoints.filter(([, e]) =>
        endpointService(model, e.Properties?.ServiceName).name.endsWith(`.${service}`),
      );
      if (matching.length === 0) {
        findings.push(
          unknownServices.length > 0
            ? unresolved(
                `the ${service} endpoint of VPC ${logicalId}`,
                `the service names of endpoints ${unknownServices.join(', ')}`,
              )
            : { message: `VPC ${logicalId} has no ${service} interface endpoint` },
        );
        continue;
      }
      const problems: RuleFinding[] = [];
      for (const [id, endpoint] of matching) {
        const type = literal(endpoint.Properties?.VpcEndpointType);
        const dns = literal(endpoint.Properties?.PrivateDnsEnabled);
        if (!type.known) problems.push(unresolved(`VpcEndpointType of endpoint ${id}`, type.because));
        else if (type.value !== 'Interface')
          problems.push({
            message: `endpoint ${id} for ${service} is not an Interface endpoint (VpcEndpointType ${String(type.value ?? 'absent: Gateway')})`,
          });
        else if (!dns.known) problems.push(unresolved(`PrivateDnsEnabled of endpoint ${id}`, dns.because));
        else if (!isTrue(dns.value))
          problems.push({
            message: `endpoint ${id} for ${service} has no private DNS: the ${service} hostname still resolves to the public endpoint`,
          });
        else {
          problems.length = 0;
          break;
        }
      }
      findings.push(...problems);
    }
    return findings.length ? findings : COMPLIANT;
  },
};
