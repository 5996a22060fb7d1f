import { conditionLimits, Statement, statementsOf, undecided } from '../../core/iam-documents';
import { asArray, renderString, UNKNOWN_PART } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';
import { literal } from '../../core/values';
import { endpointService, VPC_ENDPOINT } from '../../core/vpc-endpoints';

/** Condition keys that tie an S3 request to the buckets of an account or organization. */
export const RESOURCE_OWNER_KEYS = ['aws:ResourceOrgID', 'aws:ResourceAccount', 'aws:ResourceOrgPaths'];

/** NET-5: the S3 endpoints' policies admit only the organization's (or account's) buckets. */
export const S3EndpointPolicy: ThreatModelRule = {
  controlId: 'NET-5',
  threats: ['TH-2', 'EX-1', 'LM-1'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'S3 VPC endpoints have a PolicyDocument whose Allow statements on every bucket (Resource *) carry a ' +
    'StringEquals/StringLike condition on aws:ResourceOrgID, aws:ResourceAccount or aws:ResourceOrgPaths',
  explanation:
    'Without an endpoint policy, the S3 endpoint lets anything in the VPC upload to any bucket in the world, so a ' +
    "compromised pod or a stolen node credential (TH-2, LM-1) can move data to an attacker's bucket (EX-1). Limiting " +
    "wildcard statements to the organization's buckets closes that path; named AWS-owned buckets may still be listed.",
  resourceTypes: [VPC_ENDPOINT],
  evaluate({ model, logicalId, properties }) {
    const service = endpointService(model, properties.ServiceName);
    if (!service.name.endsWith('.s3')) {
      const type = literal(properties.VpcEndpointType);
      const gateway = type.known && (type.value === undefined || type.value === 'Gateway');
      if (service.unknown && gateway)
        return [
          unresolved(
            `the service of gateway endpoint ${logicalId}`,
            'a service name built from values outside the template',
          ),
        ];
      return NOT_APPLICABLE;
    }
    if (properties.PolicyDocument === undefined)
      return [
        { message: 'the S3 endpoint has no PolicyDocument: the default policy allows every action on every bucket' },
      ];
    const reading = statementsOf(properties.PolicyDocument);
    const unknown = undecided(reading);
    if (unknown) return [unresolved('the S3 endpoint policy', unknown)];
    const findings: RuleFinding[] = [];
    reading.statements.forEach((statement, i) => {
      if (statement.Effect !== 'Allow') return;
      const label = statement.Sid ? `statement ${String(statement.Sid)}` : `statement ${i}`;
      const broad =
        statement.NotResource !== undefined ? ['NotResource (every other bucket)'] : broadResources(model, statement);
      if (broad.length === 0) return;
      const limited = conditionLimits(statement, RESOURCE_OWNER_KEYS);
      if (limited === 'unknown')
        findings.push(
          unresolved(`the ${RESOURCE_OWNER_KEYS.join('/')} condition of ${label}`, 'a value only known at deploy time'),
        );
      else if (limited === 'no') {
        findings.push({
          message: `${label} allows ${broad.join(', ')} without a condition on ${RESOURCE_OWNER_KEYS.join(', ')}: any bucket in the world is reachable`,
        });
      }
    });
    return findings.length ? findings : COMPLIANT;
  },
};

/** The Resource entries of a statement that reach any bucket: `*`, or a bucket name with a wildcard or an unknown part. */
function broadResources(model: TemplateModel, statement: Statement): string[] {
  if (statement.Resource === undefined) return ['every resource (no Resource)'];
  return asArray(statement.Resource).flatMap((resource) => {
    const text = renderString(model, resource);
    if (text === '*') return ['*'];
    const bucket = text.match(/^arn:.*?:s3:::([^/]*)/)?.[1];
    if (bucket === undefined)
      return text.includes('*') || text.includes(UNKNOWN_PART) ? [text.replaceAll(UNKNOWN_PART, '?')] : [];
    return bucket.includes('*') || bucket.includes(UNKNOWN_PART) ? [text.replaceAll(UNKNOWN_PART, '?')] : [];
  });
}
