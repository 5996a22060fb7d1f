import { literalAt } from '../../core/intrinsics';
import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { REPOSITORY } from './scan-on-push';

/** REG-3: repositories are encrypted with KMS. */
export const KmsEncryption: ThreatModelRule = {
  controlId: 'REG-3',
  threats: ['TH-2', 'EX-2'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'ECR repositories set EncryptionConfiguration.EncryptionType to KMS (or KMS_DSSE)',
  explanation:
    'With KMS encryption, reading image layers also needs the key, so the key policy is a second gate on copying ' +
    'images out of the registry (EX-2), and key use is logged.',
  resourceTypes: [REPOSITORY],
  evaluate({ properties }) {
    const type = literalAt(properties, 'EncryptionConfiguration', 'EncryptionType');
    if (!type.known) return [unresolved('EncryptionConfiguration.EncryptionType', type.because)];
    if (type.value === 'KMS' || type.value === 'KMS_DSSE') return COMPLIANT;
    return [
      {
        message: `the repository is not encrypted with KMS (EncryptionType is ${type.value === undefined ? 'absent: AES256' : `'${String(type.value)}'`})`,
      },
    ];
  },
};
