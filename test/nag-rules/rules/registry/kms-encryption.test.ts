import { KmsEncryption } from '../../../../nag-rules/rules/registry/kms-encryption';
import { failures, productTemplate } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';
import { checkRepository, productWithRepository } from './fixtures';

/** KmsEncryption on a repository encrypted with the type (its key kept). */
const withEncryptionType = (type: unknown) =>
  checkRepository(KmsEncryption, (p) => {
    p.EncryptionConfiguration.EncryptionType = type;
  });

describe('REG-3 KmsEncryption', () => {
  test.each(['KMS', 'KMS_DSSE'])('compliant: %s', (type) => {
    expect(withEncryptionType(type).status).toBe('pass');
  });
  test('non-compliant: AES256, or no encryption configuration', () => {
    const aes = checkRepository(KmsEncryption, (p) => {
      p.EncryptionConfiguration = { EncryptionType: 'AES256' };
    });
    expect(aes.findings).toEqual([
      { message: "the repository is not encrypted with KMS (EncryptionType is 'AES256')" },
    ]);
    const none = checkRepository(KmsEncryption, (p) => {
      delete p.EncryptionConfiguration;
    });
    expect(none.findings[0].message).toMatch(/absent: AES256/);
  });
  test('unresolved: a parameter decides', () => {
    expect(withEncryptionType({ Ref: 'Type' }).findings).toEqual([unresolvedFinding()]);
  });
  test('the real product passes, and fails on its repository once encryption is AES256', () => {
    expect(failures(KmsEncryption, productTemplate())).toEqual([]);
    const { template, repository } = productWithRepository((p) => {
      p.EncryptionConfiguration = { EncryptionType: 'AES256' };
    });
    expect(failures(KmsEncryption, template).map((e) => e.logicalId)).toEqual([repository]);
  });
});
