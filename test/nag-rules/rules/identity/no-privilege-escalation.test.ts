import { NoPrivilegeEscalation } from '../../../../nag-rules/rules/identity/no-privilege-escalation';
import { decide } from '../../../support/iam-simulation';
import { check, failures, idsOfType, productTemplate, templateOf, messageLines } from '../../rule-harness';

const role = (statements: Record<string, unknown>[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {},
    Policies: [{ PolicyName: 'P', PolicyDocument: { Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) } }],
  },
});
const ROLE_ARN = 'arn:aws:iam::111122223333:role/hardened-eks/App';

describe('IDN-12 NoPrivilegeEscalation', () => {
  test('compliant: PassRole of one role to one service, AssumeRole of one role, Lambda writes without PassRole', () => {
    const template = templateOf({
      R: role([
        {
          Action: 'iam:PassRole',
          Resource: ROLE_ARN,
          Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        },
        { Action: 'sts:AssumeRole', Resource: ROLE_ARN },
        { Action: 'lambda:UpdateFunctionCode', Resource: '*' },
      ]),
    });
    expect(check(NoPrivilegeEscalation, template, 'R').status).toBe('pass');
  });

  test('non-compliant: IAM policy and credential writes, PassRole on * or to any service, AssumeRole on *, code run as a passed role', () => {
    expect(
      messageLines(
        check(
          NoPrivilegeEscalation,
          templateOf({ R: role([{ Action: 'iam:PutRolePolicy', Resource: ROLE_ARN }]) }),
          'R',
        ),
      ),
    ).toMatch(/allows iam:PutRolePolicy: a principal that writes IAM grants/);
    expect(
      messageLines(
        check(NoPrivilegeEscalation, templateOf({ R: role([{ Action: 'iam:Attach*', Resource: '*' }]) }), 'R'),
      ),
    ).toMatch(/iam:AttachRolePolicy, iam:AttachUserPolicy, iam:AttachGroupPolicy on every resource/);
    expect(
      messageLines(
        check(
          NoPrivilegeEscalation,
          templateOf({ R: role([{ Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::111122223333:user/ci' }]) }),
          'R',
        ),
      ),
    ).toMatch(/iam:CreateAccessKey/);
    expect(
      messageLines(
        check(
          NoPrivilegeEscalation,
          templateOf({
            R: role([
              {
                Action: 'iam:PassRole',
                Resource: '*',
                Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
              },
            ]),
          }),
          'R',
        ),
      ),
    ).toMatch(/iam:PassRole on every role/);
    expect(
      messageLines(
        check(NoPrivilegeEscalation, templateOf({ R: role([{ Action: 'iam:PassRole', Resource: ROLE_ARN }]) }), 'R'),
      ),
    ).toMatch(/without a StringEquals on iam:PassedToService/);
    expect(
      messageLines(
        check(
          NoPrivilegeEscalation,
          templateOf({
            R: role([
              { Action: 'iam:PassRole', Resource: ROLE_ARN, Condition: { StringLike: { 'iam:PassedToService': '*' } } },
            ]),
          }),
          'R',
        ),
      ),
    ).toMatch(/to services matching \*/);
    expect(
      messageLines(
        check(NoPrivilegeEscalation, templateOf({ R: role([{ Action: 'sts:AssumeRole', Resource: '*' }]) }), 'R'),
      ),
    ).toMatch(/sts:AssumeRole on every role/);
    const lambda = templateOf({
      R: role([
        { Action: 'lambda:CreateFunction', Resource: '*' },
        {
          Action: 'iam:PassRole',
          Resource: ROLE_ARN,
          Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        },
      ]),
    });
    expect(messageLines(check(NoPrivilegeEscalation, lambda, 'R'))).toMatch(
      /lambda:CreateFunction and .* iam:PassRole to lambda\.amazonaws\.com/,
    );
    const ec2 = templateOf({
      R: role([
        { Action: 'ec2:RunInstances', Resource: '*' },
        {
          Action: 'iam:PassRole',
          Resource: ROLE_ARN,
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
      ]),
    });
    expect(messageLines(check(NoPrivilegeEscalation, ec2, 'R'))).toMatch(
      /ec2:RunInstances and .* iam:PassRole to ec2\.amazonaws\.com/,
    );
  });

  test("a user inherits its groups' policies; an unattached customer-managed policy is judged on its own", () => {
    const template = templateOf({
      G: {
        Type: 'AWS::IAM::Group',
        Properties: {
          Policies: [
            {
              PolicyName: 'G',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }] },
            },
          ],
        },
      },
      U: { Type: 'AWS::IAM::User', Properties: { Groups: [{ Ref: 'G' }] } },
      M: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] } },
      },
    });
    expect(messageLines(check(NoPrivilegeEscalation, template, 'U'))).toMatch(
      /iam:CreatePolicyVersion on every resource/,
    );
    expect(messageLines(check(NoPrivilegeEscalation, template, 'M'))).toMatch(/iam:PassRole on every role/);
  });

  test("grants that hold only through CloudFormation are the deployment's; a privileged function's scoped IAM writes are IDN-8's, on * they are not", () => {
    const viaCloudFormation = templateOf({
      R: role([
        {
          Action: 'iam:PutRolePolicy',
          Resource: ROLE_ARN,
          Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } },
        },
      ]),
    });
    expect(check(NoPrivilegeEscalation, viaCloudFormation, 'R').status).toBe('pass');
    const fn = (resource: string) =>
      templateOf({
        R: role([{ Action: 'iam:PutRolePolicy', Resource: resource }]),
        F: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['R', 'Arn'] } } },
      });
    expect(check(NoPrivilegeEscalation, fn('arn:aws:iam::111122223333:role/workloads/*'), 'R').status).toBe('pass');
    expect(messageLines(check(NoPrivilegeEscalation, fn('*'), 'R'))).toMatch(/iam:PutRolePolicy on every resource/);
  });

  test('unresolved: an Action from a parameter', () => {
    const result = check(
      NoPrivilegeEscalation,
      templateOf({ R: role([{ Action: { Ref: 'Action' }, Resource: '*' }]) }),
      'R',
    );
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.unresolved)).toBe(true);
  });

  test('the attacker paths are real: the simulator lets a PassRole on * hand the automation role to Lambda, and a PassedToService condition stops it', async () => {
    const request = {
      principalArn: 'arn:aws:iam::111122223333:role/hardened-eks/Node',
      action: 'iam:PassRole',
      resourceArn: 'arn:aws:iam::111122223333:role/hardened-eks/Automation',
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    };
    const wide = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] };
    const scoped = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        },
      ],
    };
    expect(await decide({ identityPolicies: [wide] }, request)).toBe('Allowed');
    expect(await decide({ identityPolicies: [scoped] }, request)).toBe('ImplicitlyDenied');
    expect(
      check(
        NoPrivilegeEscalation,
        templateOf({ M: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: wide } } }),
        'M',
      ).status,
    ).toBe('fail');
    const scopedToRole = { ...scoped, Statement: [{ ...scoped.Statement[0], Resource: request.resourceArn }] };
    expect(
      check(
        NoPrivilegeEscalation,
        templateOf({ M: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: scopedToRole } } }),
        'M',
      ).status,
    ).toBe('pass');
  });

  test('the real product passes, and fails on the node role once its policy may pass any role', () => {
    expect(failures(NoPrivilegeEscalation, productTemplate())).toEqual([]);
    const product = productTemplate();
    const policyId = idsOfType(product, 'AWS::IAM::Policy').find((id) => id.startsWith('NodeRoleDefaultPolicy'))!;
    const roleId = product.Resources[policyId].Properties.Roles[0].Ref;
    product.Resources[policyId].Properties.PolicyDocument.Statement.push({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
    });
    expect(failures(NoPrivilegeEscalation, product).map((e) => e.logicalId)).toEqual([roleId]);
  });
});
