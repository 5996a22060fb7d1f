import { SecretsEncryptionRotatingKey } from '../../../../nag-rules/rules/cluster/secrets-encryption-rotating-key';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messageLines, unresolvedFinding } from '../../rule-findings';

const GRANT_LIMIT = {
  Sid: 'DenyGrantsOutsideAwsServices',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};
const ROOT = {
  Effect: 'Allow',
  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
  Action: 'kms:*',
  Resource: '*',
};
const key = (props: Record<string, unknown> = {}) => ({
  Type: 'AWS::KMS::Key',
  Properties: {
    EnableKeyRotation: true,
    KeyPolicy: { Version: '2012-10-17', Statement: [ROOT, GRANT_LIMIT] },
    ...props,
  },
});
const secrets = (keyArn: unknown) => [{ Resources: ['secrets'], Provider: { KeyArn: keyArn } }];
const cluster = (encryptionConfig: unknown, keyProps: Record<string, unknown> = {}) =>
  templateOf({
    Key: key(keyProps),
    C: {
      Type: 'AWS::EKS::Cluster',
      Properties: { ...(encryptionConfig === undefined ? {} : { EncryptionConfig: encryptionConfig }) },
    },
  });

describe('CLU-2 SecretsEncryptionRotatingKey', () => {
  test('compliant: secrets encrypted with a rotating key of the template that limits grants', () => {
    expect(check(SecretsEncryptionRotatingKey, cluster(secrets({ 'Fn::GetAtt': ['Key', 'Arn'] })), 'C').status).toBe(
      'pass',
    );
  });
  test('compliant: the key is reached through an alias', () => {
    const template = cluster(secrets({ Ref: 'Alias' }));
    (template.Resources as any).Alias = {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: 'alias/eks', TargetKeyId: { Ref: 'Key' } },
    };
    expect(check(SecretsEncryptionRotatingKey, template, 'C').status).toBe('pass');
  });
  test('non-compliant: no EncryptionConfig', () => {
    const result = check(SecretsEncryptionRotatingKey, cluster(undefined), 'C');
    expect(result.status).toBe('fail');
    expect(messageLines(result)).toMatch(/no EncryptionConfig/);
  });
  test('non-compliant: EncryptionConfig without secrets', () => {
    const result = check(
      SecretsEncryptionRotatingKey,
      cluster([{ Resources: [], Provider: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } }]),
      'C',
    );
    expect(messageLines(result)).toMatch(/does not list "secrets"/);
  });
  test('non-compliant: the key does not rotate', () => {
    const result = check(
      SecretsEncryptionRotatingKey,
      cluster(secrets({ 'Fn::GetAtt': ['Key', 'Arn'] }), { EnableKeyRotation: false }),
      'C',
    );
    expect(result.status).toBe('fail');
    expect(messageLines(result)).toMatch(/key Key does not rotate/);
  });
  test('non-compliant: key policy open to any principal and without a grant limit', () => {
    const open = { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Sid: 'Open' };
    const result = check(
      SecretsEncryptionRotatingKey,
      cluster(secrets({ 'Fn::GetAtt': ['Key', 'Arn'] }), { KeyPolicy: { Statement: [ROOT, open] } }),
      'C',
    );
    expect(messageLines(result)).toMatch(/allows any principal \(Open\)/);
    expect(messageLines(result)).toMatch(/does not deny kms:CreateGrant/);
  });
  test('non-compliant: default key policy (no KeyPolicy) does not limit grants', () => {
    const result = check(
      SecretsEncryptionRotatingKey,
      cluster(secrets({ 'Fn::GetAtt': ['Key', 'Arn'] }), { KeyPolicy: undefined }),
      'C',
    );
    expect(messageLines(result)).toMatch(/default key policy/);
  });
  test('aws-eks v1 custom resource: Config.encryptionConfig in camelCase', () => {
    const v1 = (rotation: boolean) =>
      templateOf({
        Key: key({ EnableKeyRotation: rotation }),
        C: {
          Type: 'Custom::AWSCDK-EKS-Cluster',
          Properties: {
            Config: {
              encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } }],
            },
          },
        },
      });
    expect(check(SecretsEncryptionRotatingKey, v1(true), 'C').status).toBe('pass');
    expect(check(SecretsEncryptionRotatingKey, v1(false), 'C').status).toBe('fail');
  });
  test('unresolved: an external key ARN, a parameter, or a rotation flag from a parameter', () => {
    const external = check(
      SecretsEncryptionRotatingKey,
      cluster(secrets('arn:aws:kms:eu-west-1:111122223333:key/abcd')),
      'C',
    );
    expect(external.status).toBe('fail');
    expect(external.findings).toEqual([unresolvedFinding(/outside this template/)]);
    const parameter = check(SecretsEncryptionRotatingKey, cluster(secrets({ Ref: 'KeyArn' })), 'C');
    expect(parameter.findings).toEqual([unresolvedFinding(/parameter or resource 'KeyArn'/)]);
    const rotation = check(
      SecretsEncryptionRotatingKey,
      cluster(secrets({ 'Fn::GetAtt': ['Key', 'Arn'] }), { EnableKeyRotation: { Ref: 'Rotate' } }),
      'C',
    );
    expect(rotation.findings).toEqual([unresolvedFinding(/EnableKeyRotation of key Key/)]);
  });
  test('odd input: wrong types give findings, never a pass or an exception', () => {
    for (const odd of ['secrets', [null, 3, 'x'], [{ Resources: 'secrets' }], { 'Fn::If': ['C', [], []] }]) {
      expect(check(SecretsEncryptionRotatingKey, cluster(odd), 'C').status).toBe('fail');
    }
  });

  describe('the real product', () => {
    const product = productTemplate();
    const [clusterId] = idsOfType(product, 'AWS::EKS::Cluster');
    const keyId = product.Resources[clusterId].Properties.EncryptionConfig[0].Provider.KeyArn['Fn::GetAtt'][0];
    test('passes', () => {
      expect(failures(SecretsEncryptionRotatingKey, product)).toEqual([]);
    });
    test('fails on the cluster once the secrets key stops rotating or encryption is removed', () => {
      const noRotation = productTemplate();
      noRotation.Resources[keyId].Properties.EnableKeyRotation = false;
      expect(failures(SecretsEncryptionRotatingKey, noRotation).map((e) => e.logicalId)).toEqual([clusterId]);
      const noEncryption = productTemplate();
      delete noEncryption.Resources[clusterId].Properties.EncryptionConfig;
      expect(failures(SecretsEncryptionRotatingKey, noEncryption).map((e) => e.logicalId)).toEqual([clusterId]);
      const noGrantLimit = productTemplate();
      noGrantLimit.Resources[keyId].Properties.KeyPolicy.Statement = noGrantLimit.Resources[
        keyId
      ].Properties.KeyPolicy.Statement.filter((s: any) => s.Sid !== 'DenyGrantsOutsideAwsServices');
      expect(failures(SecretsEncryptionRotatingKey, noGrantLimit)[0].findings[0].message).toMatch(/kms:CreateGrant/);
    });
  });
});
