import { RoleTrustScoped } from '../../../../nag-rules/rules/identity/role-trust-scoped';
import { decide } from '../../../support/iam-simulation';
import { check, checkSole, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

const ACCOUNT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
const role = (statement: Record<string, unknown>) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...statement }],
    },
  },
});

describe('IDN-10 RoleTrustScoped', () => {
  test('compliant: a service, the launching account, a role of the template, federation under a condition', () => {
    expect(checkSole(RoleTrustScoped, { R: role({ Principal: { Service: 'ec2.amazonaws.com' } }) }).status).toBe(
      'pass',
    );
    expect(checkSole(RoleTrustScoped, { R: role({ Principal: { AWS: ACCOUNT } }) }).status).toBe('pass');
    const other = { Type: 'AWS::IAM::Role', Properties: {} };
    expect(
      check(
        RoleTrustScoped,
        templateOf({ O: other, R: role({ Principal: { AWS: { 'Fn::GetAtt': ['O', 'Arn'] } } }) }),
        'R',
      ).status,
    ).toBe('pass');
    const saml = role({
      Action: 'sts:AssumeRoleWithSAML',
      Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/Corp' },
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    });
    expect(checkSole(RoleTrustScoped, { R: saml }).status).toBe('pass');
    const anyoneOfThisAccount = role({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(checkSole(RoleTrustScoped, { R: anyoneOfThisAccount }).status).toBe('pass');
  });

  test('non-compliant: *, an account written in, an account chosen by a parameter, NotPrincipal, federation without a condition', () => {
    expect(messageLines(checkSole(RoleTrustScoped, { R: role({ Principal: '*' }) }))).toMatch(
      /trusts every AWS principal/,
    );
    const orgOnly = role({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-example' } },
    });
    expect(messageLines(checkSole(RoleTrustScoped, { R: orgOnly }))).toMatch(/does not name the launching account/);
    expect(
      messageLines(checkSole(RoleTrustScoped, { R: role({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } }) })),
    ).toMatch(/trusts account 444455556666/);
    expect(messageLines(checkSole(RoleTrustScoped, { R: role({ Principal: { AWS: '444455556666' } }) }))).toMatch(
      /trusts account 444455556666/,
    );
    const chosen = templateOf(
      { R: role({ Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${Trusted}:root' } } }) },
      { Parameters: { Trusted: { Type: 'String' } } },
    );
    expect(messageLines(check(RoleTrustScoped, chosen, 'R'))).toMatch(/parameter 'Trusted' choose the trusted account/);
    expect(messageLines(checkSole(RoleTrustScoped, { R: role({ NotPrincipal: { AWS: ACCOUNT } }) }))).toMatch(
      /NotPrincipal/,
    );
    const google = role({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'accounts.google.com' } });
    expect(messageLines(checkSole(RoleTrustScoped, { R: google }))).toMatch(
      /federated provider accounts\.google\.com without a Condition/,
    );
  });

  test('unresolved: a principal from an import, a condition from a parameter', () => {
    const imported = checkSole(RoleTrustScoped, {
      R: role({ Principal: { AWS: { 'Fn::ImportValue': 'TrustedRole' } } }),
    });
    expect(imported.findings).toEqual([unresolvedFinding()]);
    const federated = checkSole(RoleTrustScoped, {
      R: role({
        Principal: { Federated: 'accounts.google.com' },
        Condition: { 'Fn::If': ['C', { StringEquals: { a: 'b' } }, { Ref: 'AWS::NoValue' }] },
      }),
    });
    expect(federated.findings).toEqual([unresolvedFinding()]);
  });

  test("an account written into a trust policy is an outsider's way in: the simulator lets its principals assume the role", async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::444455556666:root' } }],
    };
    const outsider = {
      principalArn: 'arn:aws:iam::444455556666:role/Anyone',
      action: 'sts:AssumeRole',
      resourceArn: 'arn:aws:iam::111122223333:role/hardened-eks/Node',
    };
    const allowAll = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
    };
    expect(await decide({ identityPolicies: [allowAll], resourcePolicy: trust }, outsider)).toBe('Allowed');
    expect(
      checkSole(RoleTrustScoped, { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } } })
        .status,
    ).toBe('fail');
  });

  test('the real product passes, and fails on the node role once another account may assume it', () => {
    expect(failures(RoleTrustScoped, productTemplate())).toEqual([]);
    const weakened = productTemplate();
    const nodeRoleId = productIdOf(weakened, 'AWS::IAM::Role', 'NodeRole');
    weakened.Resources[nodeRoleId].Properties.AssumeRolePolicyDocument.Statement.push({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
    });
    expect(failures(RoleTrustScoped, weakened).map((e) => e.logicalId)).toEqual([nodeRoleId]);
  });
});
