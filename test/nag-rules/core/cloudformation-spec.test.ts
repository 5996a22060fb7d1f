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
