import { KmsEncryption } from '../../../../nag-rules/rules/registry/kms-encryption';
import { check, failures, productTemplate } from '../../rule-harness';
import { productRepository, repositoryTemplate } from './fixtures';

describe('REG-3 KmsEncryption', () => {
  test('compliant: KMS or KMS_DSSE', () => {
    expect(check(KmsEncryption, repositoryTemplate(), 'R').status).toBe('pass');
    expect(
      check(
        KmsEncryption,
        repositoryTemplate((p) => {
          p.EncryptionConfiguration.EncryptionType = 'KMS_DSSE';
        }),
        'R',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: AES256, or no encryption configuration', () => {
    expect(
      check(
        KmsEncryption,
        repositoryTemplate((p) => {
          p.EncryptionConfiguration = { EncryptionType: 'AES256' };
        }),
        'R',
      ).findings,
    ).toEqual([{ message: "the repository is not encrypted with KMS (EncryptionType is 'AES256')" }]);
    expect(
      check(
        KmsEncryption,
        repositoryTemplate((p) => {
          delete p.EncryptionConfiguration;
        }),
        'R',
      ).findings[0].message,
    ).toMatch(/absent: AES256/);
  });
  test('unresolved: a parameter decides', () => {
    expect(
      check(
        KmsEncryption,
        repositoryTemplate((p) => {
          p.EncryptionConfiguration.EncryptionType = { Ref: 'Type' };
        }),
        'R',
      ).findings[0],
    ).toMatchObject({ unresolved: true });
  });
  test('the real product passes, and fails on its repository once encryption is AES256', () => {
    const template = productTemplate();
    expect(failures(KmsEncryption, template)).toEqual([]);
    const repository = productRepository(template);
    template.Resources[repository].Properties.EncryptionConfiguration = { EncryptionType: 'AES256' };
    expect(failures(KmsEncryption, template).map((e) => e.logicalId)).toEqual([repository]);
  });
});
