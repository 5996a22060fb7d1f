import { loadResourceSpec, resourceSpecFor, templateRejections } from '../../../nag-rules/core/cloudformation-spec';

const template = {
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketNam: 'x', VersioningConfiguration: 'on' } },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 'soon' } },
    Unknown: { Type: 'AWS::Nothing::Here', Properties: {} },
  },
};

describe('resourceSpecFor', () => {
  test('grows with the types asked about and judges a template as the specification of its own types does', () => {
    const first = resourceSpecFor(['AWS::S3::Bucket']);
    expect(first).not.toBeNull();
    expect(Object.keys(first!.resources)).toContain('AWS::S3::Bucket');
    const grown = resourceSpecFor(['AWS::SQS::Queue', 'AWS::Nothing::Here']);
    expect(Object.keys(grown!.resources)).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::SQS::Queue']));
    const exact = loadResourceSpec(['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::Nothing::Here']);
    const rejections = templateRejections(template, grown!);
    expect(rejections).toEqual(templateRejections(template, exact!));
    expect(rejections.map((r) => r.logicalId)).toEqual(['Bucket', 'Bucket', 'Queue', 'Unknown']);
  });
});

test('names where a nested value sits: property, list index and map key, down to the value that does not fit', () => {
  const nested = {
    Resources: {
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          LifecycleConfiguration: { Rules: [{ Status: 'Enabled' }, { Status: 'Enabled', ExpirationInDays: 'soon' }] },
          Tags: [{ Key: 'team', Value: 'x' }, 'untagged'],
        },
      },
      Function: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { MODE: { nested: true } } }, Role: { 'Fn::GetAtt': ['R', 'Arn'] } },
      },
    },
  };
  const spec = resourceSpecFor(['AWS::S3::Bucket', 'AWS::Lambda::Function'])!;
  expect(templateRejections(nested, spec).map((r) => `${r.logicalId}: ${r.message}`)).toEqual([
    'Bucket: LifecycleConfiguration.Rules[1].ExpirationInDays is the string "soon", not a number',
    'Bucket: Tags[1] is the string "untagged", not a tag (Key, Value)',
    'Function: Environment.Variables.MODE is an object, not a string',
  ]);
});
