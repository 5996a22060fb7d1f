import { NoPrivilegeEscalation } from '../../../../nag-rules/rules/identity/no-privilege-escalation';
import { decide } from '../../../support/iam-simulation';
import { check, checkSole, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines } from '../../rule-findings';

const role = (statements: Record<string, unknown>[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {},
    Policies: [{ PolicyName: 'P', PolicyDocument: { Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) } }],
  },
});
const ROLE_ARN = 'arn:aws:iam::111122223333:role/hardened-eks/App';
/** An Allow of iam:PassRole of the resource (by default the app role) to one service. */
const passRoleTo = (service: string, resource: string = ROLE_ARN) => ({
  Action: 'iam:PassRole',
  Resource: resource,
  Condition: { StringEquals: { 'iam:PassedToService': service } },
});

describe('IDN-12 NoPrivilegeEscalation', () => {
  test('compliant: PassRole of one role to one service, AssumeRole of one role, Lambda writes without PassRole', () => {
    const template = templateOf({
      R: role([
        passRoleTo('ssm.amazonaws.com'),
        { Action: 'sts:AssumeRole', Resource: ROLE_ARN },
        { Action: 'lambda:UpdateFunctionCode', Resource: '*' },
      ]),
    });
    expect(check(NoPrivilegeEscalation, template, 'R').status).toBe('pass');
  });

  test.each([
    [
      'an IAM policy write',
      [{ Action: 'iam:PutRolePolicy', Resource: ROLE_ARN }],
      /allows iam:PutRolePolicy: a principal that writes IAM grants/,
    ],
    [
      'IAM attach actions on every resource',
      [{ Action: 'iam:Attach*', Resource: '*' }],
      /iam:AttachRolePolicy, iam:AttachUserPolicy, iam:AttachGroupPolicy on every resource/,
    ],
    [
      'a credential write',
      [{ Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::111122223333:user/ci' }],
      /iam:CreateAccessKey/,
    ],
    ['PassRole on every role', [passRoleTo('ec2.amazonaws.com', '*')], /iam:PassRole on every role/],
    [
      'PassRole to any service',
      [{ Action: 'iam:PassRole', Resource: ROLE_ARN }],
      /without a StringEquals on iam:PassedToService/,
    ],
    [
      'PassRole to services matching *',
      [{ Action: 'iam:PassRole', Resource: ROLE_ARN, Condition: { StringLike: { 'iam:PassedToService': '*' } } }],
      /to services matching \*/,
    ],
    ['AssumeRole on every role', [{ Action: 'sts:AssumeRole', Resource: '*' }], /sts:AssumeRole on every role/],
    [
      'Lambda code run as a passed role',
      [{ Action: 'lambda:CreateFunction', Resource: '*' }, passRoleTo('lambda.amazonaws.com')],
      /lambda:CreateFunction and .* iam:PassRole to lambda\.amazonaws\.com/,
    ],
    [
      'EC2 instances run as a passed role',
      [{ Action: 'ec2:RunInstances', Resource: '*' }, passRoleTo('ec2.amazonaws.com')],
      /ec2:RunInstances and .* iam:PassRole to ec2\.amazonaws\.com/,
    ],
  ])('non-compliant: %s', (_case, statements, message) => {
    const result = checkSole(NoPrivilegeEscalation, { R: role(statements) });
    expect(result.status).toBe('fail');
    expect(messageLines(result)).toMatch(message);
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
    const result = checkSole(NoPrivilegeEscalation, { R: role([{ Action: { Ref: 'Action' }, Resource: '*' }]) });
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
      checkSole(NoPrivilegeEscalation, { M: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: wide } } })
        .status,
    ).toBe('fail');
    const scopedToRole = { ...scoped, Statement: [{ ...scoped.Statement[0], Resource: request.resourceArn }] };
    expect(
      checkSole(NoPrivilegeEscalation, {
        M: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: scopedToRole } },
      }).status,
    ).toBe('pass');
  });

  test('the real product passes, and fails on the node role once its policy may pass any role', () => {
    expect(failures(NoPrivilegeEscalation, productTemplate())).toEqual([]);
    const product = productTemplate();
    const policyId = productIdOf(product, 'AWS::IAM::Policy', 'NodeRoleDefaultPolicy');
    const roleId = product.Resources[policyId].Properties.Roles[0].Ref;
    product.Resources[policyId].Properties.PolicyDocument.Statement.push({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
    });
    expect(failures(NoPrivilegeEscalation, product).map((e) => e.logicalId)).toEqual([roleId]);
  });
});
