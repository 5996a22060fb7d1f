import { KeyPoliciesScoped } from '../../../../nag-rules/rules/identity/key-policies-scoped';
import { decide } from '../../../support/iam-simulation';
import { check, checkSole, failures, productIdOf, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';
import { arnOf } from '../template-values';

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
const rootStatement = { Effect: 'Allow', Action: 'kms:*', Principal: { AWS: ROOT }, Resource: '*' };
const ROLE = { Type: 'AWS::IAM::Role', Properties: {} };
const key = (...statements: Record<string, unknown>[]) => ({
  Type: 'AWS::KMS::Key',
  Properties: { KeyPolicy: { Statement: [rootStatement, ...statements] } },
});

describe('IDN-15 KeyPoliciesScoped', () => {
  test("compliant: the root statement, a service of the account, a role of the template that only uses the key, KMS's default policy", () => {
    const service = {
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Principal: { Service: 'logs.amazonaws.com' },
      Resource: '*',
    };
    const user = {
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Principal: { AWS: arnOf('R') },
      Resource: '*',
    };
    expect(check(KeyPoliciesScoped, templateOf({ R: ROLE, K: key(service, user) }), 'K').status).toBe('pass');
    expect(checkSole(KeyPoliciesScoped, { K: { Type: 'AWS::KMS::Key', Properties: {} } }).status).toBe('pass');
  });

  test.each([
    [
      'another account',
      { Action: 'kms:Decrypt', Principal: { AWS: 'arn:aws:iam::444455556666:root' } },
      /to account 444455556666/,
    ],
    [
      'a grant to *',
      { Action: 'kms:CreateGrant', Principal: { AWS: '*' } },
      /allows kms:CreateGrant to every principal/,
    ],
    [
      'kms:* for a role',
      { Action: 'kms:*', Principal: { AWS: arnOf('R') } },
      /allows kms:\* to principals other than the account root/,
    ],
    [
      'key deletion for a role',
      { Action: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'], Principal: { AWS: arnOf('R') } },
      /allows kms:ScheduleKeyDeletion, kms:PutKeyPolicy to principals other than the account root/,
    ],
  ])('non-compliant: %s', (_case, grant, message) => {
    const template = templateOf({ R: ROLE, K: key({ Effect: 'Allow', ...grant, Resource: '*' }) });
    const result = check(KeyPoliciesScoped, template, 'K');
    expect(result.status).toBe('fail');
    expect(messageLines(result)).toMatch(message);
  });

  test('non-compliant: a role whose IAM policy may disable the key, and an account chosen by a parameter', () => {
    const iam = templateOf({
      K: key(),
      R: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            {
              PolicyName: 'p',
              PolicyDocument: {
                Statement: [{ Effect: 'Allow', Action: 'kms:Disable*', Resource: { 'Fn::GetAtt': ['K', 'Arn'] } }],
              },
            },
          ],
        },
      },
    });
    expect(messageLines(check(KeyPoliciesScoped, iam, 'K'))).toMatch(
      /^R may kms:DisableKey, kms:DisableKeyRotation on this key/,
    );
    const chosen = templateOf(
      {
        K: key({
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${Reader}:root' } },
          Resource: '*',
        }),
      },
      { Parameters: { Reader: { Type: 'String' } } },
    );
    expect(messageLines(check(KeyPoliciesScoped, chosen, 'K'))).toMatch(/parameter 'Reader' choose an account/);
  });

  test('unresolved: a key policy from a parameter, a principal from an import', () => {
    expect(
      checkSole(KeyPoliciesScoped, { K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Ref: 'Policy' } } } })
        .findings,
    ).toEqual([unresolvedFinding()]);
    const imported = checkSole(KeyPoliciesScoped, {
      K: key({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Principal: { AWS: { 'Fn::ImportValue': 'Reader' } },
        Resource: '*',
      }),
    });
    expect(imported.findings).toEqual([unresolvedFinding()]);
  });

  test('a key policy naming another account lets that account use the key: the simulator allows the cross-account decrypt', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'kms:Decrypt', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Resource: '*' },
      ],
    };
    const identity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] };
    const request = {
      principalArn: 'arn:aws:iam::444455556666:role/Outsider',
      action: 'kms:Decrypt',
      resourceArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    };
    expect(await decide({ identityPolicies: [identity], resourcePolicy: policy }, request)).toBe('Allowed');
    expect(
      await decide(
        {
          identityPolicies: [identity],
          resourcePolicy: {
            ...policy,
            Statement: [{ ...policy.Statement[0], Principal: { AWS: 'arn:aws:iam::111122223333:root' } }],
          },
        },
        request,
      ),
    ).toBe('ImplicitlyDenied');
  });

  test("the real product passes, and fails on the evidence key once the responder's role may schedule its deletion", () => {
    expect(failures(KeyPoliciesScoped, productTemplate())).toEqual([]);
    const product = productTemplate();
    const keyId = productIdOf(product, 'AWS::KMS::Key', 'EvidenceKey');
    const policyId = productIdOf(product, 'AWS::IAM::Policy', 'KubernetesResponderRoleDefaultPolicy');
    product.Resources[policyId].Properties.PolicyDocument.Statement.push({
      Effect: 'Allow',
      Action: 'kms:ScheduleKeyDeletion',
      Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(failures(KeyPoliciesScoped, product).map((e) => e.logicalId)).toEqual([keyId]);
  });
});
