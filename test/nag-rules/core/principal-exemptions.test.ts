import { exemptionProblems } from '../../../nag-rules/core/principal-exemptions';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const model = new TemplateModel({
  Resources: { Publisher: { Type: 'AWS::IAM::Role' }, Bench: { Type: 'AWS::IAM::Role' } },
});
const deny = (Condition: unknown) => ({ Effect: 'Deny', Principal: '*', Action: 'ecr:PutImage', Condition });

test('a deny holds for everyone but named principals: only an aws:PrincipalArn exemption, no wildcard, no other role', () => {
  const named = deny({
    ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': ['Publisher', 'Arn'] }, 'arn:aws:iam::111122223333:role/ci'] },
  });
  expect(exemptionProblems(model, named, ['Publisher'], 'a publisher')).toEqual([]);
  expect(exemptionProblems(model, named, [], 'a publisher')).toEqual([
    'it exempts Publisher, which is not a publisher',
  ]);
  expect(
    exemptionProblems(
      model,
      deny({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }),
      [],
      'a publisher',
    ),
  ).toEqual(['it exempts every principal matching arn:aws:iam::111122223333:role/*']);
  expect(
    exemptionProblems(model, deny({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }), [], 'a publisher'),
  ).toEqual(['it holds only under the condition StringNotEquals aws:sourcevpce']);
});
