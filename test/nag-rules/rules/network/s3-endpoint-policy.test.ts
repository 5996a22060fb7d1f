import { S3EndpointPolicy } from '../../../../nag-rules/rules/network/s3-endpoint-policy';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';

const s3Endpoint = (properties: Record<string, unknown>) =>
  templateOf({
    E: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: 'vpc-1',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
        ...properties,
      },
    },
  });
const orgOnly = {
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:*',
  Resource: '*',
  Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abc' } },
};

describe('NET-5 S3EndpointPolicy', () => {
  test('compliant: wildcard statements limited to the organization, and named buckets', () => {
    const named = {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*' },
    };
    expect(check(S3EndpointPolicy, s3Endpoint({ PolicyDocument: { Statement: [orgOnly, named] } }), 'E').status).toBe(
      'pass',
    );
  });
  test('not applicable to other services', () => {
    const sts = templateOf({
      E: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: { ServiceName: 'com.amazonaws.eu-west-1.sts', VpcEndpointType: 'Interface' },
      },
    });
    expect(check(S3EndpointPolicy, sts, 'E').status).toBe('not-applicable');
  });
  test('non-compliant: no policy (full access), or a wildcard Allow without an owner condition', () => {
    expect(check(S3EndpointPolicy, s3Endpoint({}), 'E').findings[0].message).toMatch(
      /^the S3 endpoint has no PolicyDocument/,
    );
    const open = { ...orgOnly, Sid: 'All', Condition: undefined };
    expect(
      check(S3EndpointPolicy, s3Endpoint({ PolicyDocument: { Statement: [open] } }), 'E').findings[0].message,
    ).toMatch(/^statement All allows \* without a condition on aws:ResourceOrgID/);
    const bucketWildcard = { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::*/*' };
    expect(check(S3EndpointPolicy, s3Endpoint({ PolicyDocument: { Statement: [bucketWildcard] } }), 'E').status).toBe(
      'fail',
    );
    const ifExists = { ...orgOnly, Condition: { StringEqualsIfExists: { 'aws:ResourceOrgID': 'o-abc' } } };
    expect(check(S3EndpointPolicy, s3Endpoint({ PolicyDocument: { Statement: [ifExists] } }), 'E').status).toBe('fail');
  });
  test('unresolved: a policy chosen by Fn::If, or a gateway endpoint whose service comes from a parameter', () => {
    const chosen = check(
      S3EndpointPolicy,
      s3Endpoint({ PolicyDocument: { 'Fn::If': ['C', { Statement: [orgOnly] }, { Statement: [] }] } }),
      'E',
    );
    expect(chosen.findings[0]).toEqual(unresolvedFinding());
    const unknownService = templateOf({
      E: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: { Ref: 'Service' } } },
    });
    expect(check(S3EndpointPolicy, unknownService, 'E').findings[0]).toEqual(unresolvedFinding());
  });
  test('the real product passes, and fails on its S3 endpoint once the organization condition is dropped', () => {
    const template = productTemplate();
    expect(failures(S3EndpointPolicy, template)).toEqual([]);
    const [endpoint] = idsOfType(template, 'AWS::EC2::VPCEndpoint', (r) => r.Properties.VpcEndpointType === 'Gateway');
    for (const statement of template.Resources[endpoint].Properties.PolicyDocument.Statement)
      delete statement.Condition;
    expect(failures(S3EndpointPolicy, template).map((e) => [e.logicalId, messages(e)])).toEqual([
      [endpoint, [expect.stringMatching(/^statement OrganizationBuckets allows \*/)]],
    ]);
  });
  test('unresolved: an organization condition whose value is imported or a parameter', () => {
    const imported = {
      ...orgOnly,
      Condition: { StringEquals: { 'aws:ResourceOrgID': { 'Fn::ImportValue': 'OrgId' } } },
    };
    const result = check(S3EndpointPolicy, s3Endpoint({ PolicyDocument: { Statement: [imported] } }), 'E');
    expect(result.findings).toEqual([unresolvedFinding(/aws:ResourceOrgID.*condition/)]);
  });
});
