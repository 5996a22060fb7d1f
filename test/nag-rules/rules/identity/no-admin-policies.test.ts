import { NoAdminPolicies } from '../../../../nag-rules/rules/identity/no-admin-policies';
import { check, checkSole, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';
import { awsManagedPolicyArn } from '../template-values';

const role = (properties: Record<string, unknown>) => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: {}, ...properties },
});
const policy = (statement: Record<string, unknown>, attach: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', ...statement }] }, ...attach },
});

describe('IDN-11 NoAdminPolicies', () => {
  test('compliant: EKS and Lambda managed policies, scoped statements', () => {
    expect(
      checkSole(NoAdminPolicies, {
        R: role({
          ManagedPolicyArns: [
            awsManagedPolicyArn('AmazonEKSWorkerNodePolicy'),
            awsManagedPolicyArn('service-role/AWSLambdaBasicExecutionRole'),
          ],
        }),
      }).status,
    ).toBe('pass');
    expect(checkSole(NoAdminPolicies, { P: policy({ Action: 's3:GetObject', Resource: '*' }) }).status).toBe('pass');
  });

  test('non-compliant: AdministratorAccess, PowerUserAccess or IAMFullAccess on a role, user or group; * or iam:* on *; NotAction', () => {
    for (const [type, name] of [
      ['AWS::IAM::Role', 'AdministratorAccess'],
      ['AWS::IAM::User', 'PowerUserAccess'],
      ['AWS::IAM::Group', 'IAMFullAccess'],
    ]) {
      const result = checkSole(NoAdminPolicies, {
        P: { Type: type, Properties: { ManagedPolicyArns: [awsManagedPolicyArn(name)] } },
      });
      expect(messageLines(result)).toBe(`P has the AWS managed policy ${name}, which amounts to administrator`);
    }
    expect(messageLines(checkSole(NoAdminPolicies, { P: policy({ Action: '*', Resource: '*' }) }))).toMatch(
      /allows \* on every resource/,
    );
    expect(messageLines(checkSole(NoAdminPolicies, { P: policy({ Action: 'iam:*', Resource: '*' }) }))).toMatch(
      /allows iam:\* on every resource/,
    );
    expect(messageLines(checkSole(NoAdminPolicies, { P: policy({ NotAction: 's3:*', Resource: '*' }) }))).toMatch(
      /allows NotAction/,
    );
  });

  test('a policy attached to a role of the template is judged on the role; a permissions boundary grants nothing', () => {
    const template = templateOf({ R: role({}), P: policy({ Action: '*', Resource: '*' }, { Roles: [{ Ref: 'R' }] }) });
    expect(check(NoAdminPolicies, template, 'P').status).toBe('not-applicable');
    expect(messageLines(check(NoAdminPolicies, template, 'R'))).toMatch(/^P allows \* on every resource/);
    const byArn = templateOf({
      R: role({ ManagedPolicyArns: [{ Ref: 'P' }] }),
      P: policy({ Action: 'iam:*', Resource: '*' }),
    });
    expect(check(NoAdminPolicies, byArn, 'P').status).toBe('not-applicable');
    expect(check(NoAdminPolicies, byArn, 'R').findings).toEqual([
      { message: 'P allows iam:* on every resource, which amounts to administrator' },
    ]);
    const boundary = templateOf({
      B: policy({ Action: '*', Resource: '*' }),
      R: role({ PermissionsBoundary: { Ref: 'B' } }),
    });
    expect(check(NoAdminPolicies, boundary, 'B').status).toBe('not-applicable');
  });

  test('unresolved: a managed policy ARN from a parameter, an action from a parameter on *', () => {
    const arn = check(
      NoAdminPolicies,
      templateOf(
        { R: role({ ManagedPolicyArns: [{ Ref: 'Policy' }] }) },
        { Parameters: { Policy: { Type: 'String' } } },
      ),
      'R',
    );
    expect(arn.findings).toEqual([unresolvedFinding()]);
    const action = checkSole(NoAdminPolicies, { P: policy({ Action: { Ref: 'Action' }, Resource: '*' }) });
    expect(action.findings).toEqual([unresolvedFinding()]);
  });

  test("the real product passes, and fails on the kubectl handler's role once it has AdministratorAccess", () => {
    const product = productTemplate();
    expect(failures(NoAdminPolicies, product)).toEqual([]);
    const roleId = idsOfType(product, 'AWS::IAM::Role').find((id) => id.includes('KubectlProviderHandlerServiceRole'))!;
    product.Resources[roleId].Properties.ManagedPolicyArns.push(awsManagedPolicyArn('AdministratorAccess'));
    expect(failures(NoAdminPolicies, product).map((e) => e.logicalId)).toEqual([roleId]);
  });
});
