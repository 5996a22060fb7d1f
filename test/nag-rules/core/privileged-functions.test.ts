import { invokerRoles, privilegedFunctions } from '../../../nag-rules/core/privileged-functions';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const role = (statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }] },
});
const fn = (roleId: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } },
});
const invoke = (functionId: string) => ({
  Effect: 'Allow',
  Action: 'lambda:InvokeFunction',
  Resource: { 'Fn::GetAtt': [functionId, 'Arn'] },
});

const model = new TemplateModel({
  Resources: {
    KubectlRole: role([]),
    Kubectl: fn('KubectlRole'),
    Entry: {
      Type: 'AWS::EKS::AccessEntry',
      Properties: { PrincipalArn: { 'Fn::GetAtt': ['KubectlRole', 'Arn'] }, KubernetesGroups: ['system:masters'] },
    },
    ProviderRole: role([invoke('Kubectl')]),
    Provider: fn('ProviderRole'),
    RevokerRole: role([{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*' }]),
    Revoker: fn('RevokerRole'),
    PlainRole: role([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]),
    Plain: fn('PlainRole'),
  },
});

test('functions acting in a cluster or writing IAM, and, transitively, those that may invoke them', () => {
  const functions = privilegedFunctions(model);
  expect([...functions.keys()]).toEqual(['Kubectl', 'Revoker', 'Provider']);
  expect(functions.get('Kubectl')!.why).toBe('its role KubectlRole is cluster-admin (access entry Entry)');
  expect(functions.get('Revoker')!.why).toBe('its role RevokerRole may iam:PutRolePolicy');
  expect(functions.get('Provider')!.why).toMatch(/^its role ProviderRole may invoke Kubectl/);
  expect(invokerRoles(model, 'Kubectl')).toEqual(['ProviderRole']);
});
