import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ADMIN_API_ACTIONS } from '../../../../lib/identity/admin-api-guardrail';
import { hardenedEksLaunchRoleStatements } from '../../../../products/hardened-eks/launch-role-statements';
import { ADM_ACTIONS } from '../../../../nag-rules/core/admin-api-actions';
import { AdminApiGrantsConditioned } from '../../../../nag-rules/rules/identity/admin-api-grants-conditioned';
import { check, checkSole, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const policy = (...Statement: unknown[]) =>
  templateOf({ P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: { Statement } } } });
const allow = (Action: unknown, extra: Record<string, unknown> = {}) => ({
  Sid: 'S',
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
});

describe('IDN-5 AdminApiGrantsConditioned', () => {
  test("the rule's ADM list is the threat model's, the same as the product guardrail's", () => {
    expect(ADM_ACTIONS).toEqual([...ADMIN_API_ACTIONS]);
  });
  test('compliant: admin actions under a condition, denies, read-only EKS actions', () => {
    const conditioned = allow(['eks:DeleteCluster'], {
      Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } },
    });
    expect(
      check(
        AdminApiGrantsConditioned,
        policy(conditioned, { Effect: 'Deny', Action: 'eks:*', Resource: '*' }, allow('eks:Describe*')),
        'P',
      ).status,
    ).toBe('pass');
  });
  test('compliant: a ceiling of "*" (a permissions boundary) whose own document denies the admin APIs everywhere, unconditionally', () => {
    const deny = {
      Effect: 'Deny',
      Action: [...ADMIN_API_ACTIONS, 'eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:AssociateAccessPolicy'],
      Resource: '*',
    };
    expect(check(AdminApiGrantsConditioned, policy(allow('*'), deny), 'P').status).toBe('pass');
  });
  test("non-compliant: the ceiling's deny is conditioned, scoped to some resources, or misses an admin API", () => {
    const actions = [...ADMIN_API_ACTIONS];
    const conditioned = {
      Effect: 'Deny',
      Action: actions,
      Resource: '*',
      Condition: { Bool: { 'aws:ViaAWSService': 'false' } },
    };
    expect(check(AdminApiGrantsConditioned, policy(allow('*'), conditioned), 'P').findings[0].message).toMatch(
      /eks:DeleteCluster \(ADM-8\)/,
    );
    const scoped = { Effect: 'Deny', Action: actions, Resource: 'arn:aws:eks:*:*:cluster/prod' };
    expect(check(AdminApiGrantsConditioned, policy(allow('*'), scoped), 'P').status).toBe('fail');
    const partial = { Effect: 'Deny', Action: actions.filter((a) => a !== 'eks:DeleteCluster'), Resource: '*' };
    const message = check(AdminApiGrantsConditioned, policy(allow('*'), partial), 'P').findings[0].message;
    expect(message).toMatch(/eks:DeleteCluster \(ADM-8\)/);
    expect(message).not.toMatch(/eks:CreateCluster/);
  });
  test('non-compliant: an unconditioned Allow names the actions with their ADM IDs', () => {
    const result = check(AdminApiGrantsConditioned, policy(allow(['eks:DeleteCluster', 'eks:DescribeCluster'])), 'P');
    expect(result.findings).toEqual([{ message: 'P (S) allows eks:DeleteCluster (ADM-8) without a Condition' }]);
  });
  test('non-compliant: wildcards cover the admin APIs', () => {
    expect(check(AdminApiGrantsConditioned, policy(allow('eks:*')), 'P').findings[0].message).toMatch(
      /ADM-1\).*ADM-12\).*eks:AssociateAccessPolicy/,
    );
    const create = check(AdminApiGrantsConditioned, policy(allow('eks:Create*')), 'P').findings[0].message;
    expect(create).toMatch(
      /eks:CreateNodegroup \(ADM-1\), eks:CreateFargateProfile \(ADM-5\), eks:CreateCluster \(ADM-7\), eks:CreateAccessEntry/,
    );
    expect(check(AdminApiGrantsConditioned, policy(allow('*')), 'P').status).toBe('fail');
    expect(
      check(AdminApiGrantsConditioned, policy({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), 'P').status,
    ).toBe('fail');
  });
  test('non-compliant: an empty Condition, role inline policies, managed policies', () => {
    expect(
      check(AdminApiGrantsConditioned, policy(allow('eks:UpdateClusterConfig', { Condition: {} })), 'P').status,
    ).toBe('fail');
    const role = templateOf({
      R: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{ PolicyName: 'admin', PolicyDocument: { Statement: [allow('eks:CreateNodegroup')] } }],
        },
      },
    });
    expect(check(AdminApiGrantsConditioned, role, 'R').findings[0].message).toMatch(
      /^inline policy admin \(S\) allows eks:CreateNodegroup \(ADM-1\)/,
    );
    const managed = templateOf({
      M: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: JSON.stringify({ Statement: [allow('eks:UpdateClusterVersion')] }) },
      },
    });
    expect(check(AdminApiGrantsConditioned, managed, 'M').status).toBe('fail');
  });
  test('not applicable: a role without inline policies', () => {
    expect(checkSole(AdminApiGrantsConditioned, { R: { Type: 'AWS::IAM::Role', Properties: {} } }).status).toBe(
      'not-applicable',
    );
  });
  test('unresolved: actions from a parameter, a condition that may vanish', () => {
    expect(check(AdminApiGrantsConditioned, policy(allow({ Ref: 'Actions' })), 'P').findings[0]).toMatchObject({
      unresolved: true,
    });
    const vanishing = allow('eks:DeleteCluster', {
      Condition: { 'Fn::If': ['Strict', { Bool: { 'aws:SecureTransport': 'true' } }, { Ref: 'AWS::NoValue' }] },
    });
    expect(check(AdminApiGrantsConditioned, policy(vanishing), 'P').findings[0]).toEqual(unresolvedFinding());
  });
  test("the Service Catalog launch role's statements pass, and fail once the EKS statement loses its condition", () => {
    const stack = new Stack();
    const document = (statements: iam.PolicyStatement[]) =>
      stack.resolve(new iam.PolicyDocument({ statements }).toJSON());
    const statements = hardenedEksLaunchRoleStatements('assets-bucket');
    expect(check(AdminApiGrantsConditioned, policy(...document(statements).Statement), 'P').status).toBe('pass');
    const unconditioned = document(statements).Statement.map((s: any) =>
      s.Sid === 'Eks' ? { ...s, Condition: undefined } : s,
    );
    expect(check(AdminApiGrantsConditioned, policy(...unconditioned), 'P').findings[0].message).toMatch(
      /^P \(Eks\) allows eks:CreateNodegroup/,
    );
  });
  test("the real product passes, and fails on the node role's policy once it allows eks:UpdateClusterConfig", () => {
    const product = productTemplate();
    expect(failures(AdminApiGrantsConditioned, product)).toEqual([]);
    const nodegroup = idsOfType(product, 'AWS::EKS::Nodegroup')[0];
    const roleId = product.Resources[nodegroup].Properties.NodeRole['Fn::GetAtt'][0];
    const policyId = idsOfType(product, 'AWS::IAM::Policy').find((id) =>
      JSON.stringify(product.Resources[id].Properties.Roles).includes(roleId),
    )!;
    product.Resources[policyId].Properties.PolicyDocument.Statement.push(allow('eks:UpdateClusterConfig'));
    expect(failures(AdminApiGrantsConditioned, product).map((e) => e.logicalId)).toEqual([policyId]);
  });
});
