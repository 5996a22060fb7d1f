import { TemplateModel } from '../../../nag-rules/core/template-model';
import { endpointService } from '../../../nag-rules/core/vpc-endpoints';

test('an endpoint service name, with what cannot be read marked', () => {
  const model = new TemplateModel({ Parameters: { Service: { Type: 'String' } } });
  expect(endpointService(model, { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' })).toEqual({
    name: 'com.amazonaws.{AWS::Region}.s3',
    unknown: false,
  });
  expect(endpointService(model, 'com.amazonaws.eu-west-1.ecr.dkr')).toEqual({
    name: 'com.amazonaws.eu-west-1.ecr.dkr',
    unknown: false,
  });
  expect(endpointService(model, { Ref: 'Service' }).unknown).toBe(true);
});
