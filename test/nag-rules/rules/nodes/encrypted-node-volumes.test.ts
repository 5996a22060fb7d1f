import { EncryptedNodeVolumes } from '../../../../nag-rules/rules/nodes/encrypted-node-volumes';
import { failures, productTemplate } from '../../rule-harness';
import { checkNodegroup, productNodegroup } from './fixtures';
import { unresolvedFinding } from '../../rule-findings';

const ebs = (r: Record<string, any>) => r.LT.Properties.LaunchTemplateData.BlockDeviceMappings[0].Ebs;

describe('NOD-4 EncryptedNodeVolumes', () => {
  test('compliant: encrypted with a key of the template, or with a key ARN', () => {
    expect(checkNodegroup(EncryptedNodeVolumes).status).toBe('pass');
    const arn = checkNodegroup(EncryptedNodeVolumes, (r) => {
      ebs(r).KmsKeyId = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    });
    expect(arn.status).toBe('pass');
  });
  test('non-compliant: unencrypted volume', () => {
    const result = checkNodegroup(EncryptedNodeVolumes, (r) => {
      ebs(r).Encrypted = false;
    });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      { message: 'the volume /dev/xvda of launch template LT is not encrypted (Ebs.Encrypted is false)' },
    ]);
  });
  test('non-compliant: encrypted with the AWS managed key (no KmsKeyId)', () => {
    const result = checkNodegroup(EncryptedNodeVolumes, (r) => {
      delete ebs(r).KmsKeyId;
    });
    expect(result.findings[0].message).toMatch(/AWS managed key aws\/ebs/);
  });
  test('non-compliant: no block device mapping, or no launch template', () => {
    const noMapping = checkNodegroup(EncryptedNodeVolumes, (r) => {
      delete r.LT.Properties.LaunchTemplateData.BlockDeviceMappings;
    });
    expect(noMapping.findings[0].message).toMatch(/^launch template LT maps no EBS volume/);
    const noTemplate = checkNodegroup(EncryptedNodeVolumes, (r) => {
      delete r.NG.Properties.LaunchTemplate;
    });
    expect(noTemplate.findings[0].message).toMatch(
      /^the node group has no LaunchTemplate: the root volume takes the AMI's settings/,
    );
  });
  test('unresolved: Encrypted or the key from a parameter without allowed values', () => {
    const encrypted = checkNodegroup(EncryptedNodeVolumes, (r) => {
      ebs(r).Encrypted = { Ref: 'Encrypt' };
    });
    expect(encrypted.findings[0]).toEqual(unresolvedFinding(/^Ebs.Encrypted of the volume/));
    const key = checkNodegroup(
      EncryptedNodeVolumes,
      (r) => {
        ebs(r).KmsKeyId = { Ref: 'VolumeKey' };
      },
      { Parameters: { VolumeKey: { Type: 'String' } } },
    );
    expect(key.findings[0]).toEqual(unresolvedFinding(/parameter 'VolumeKey' \(no AllowedValues/));
  });
  test('the real product passes, and fails on its node group once the root volume is unencrypted or loses its key', () => {
    const template = productTemplate();
    expect(failures(EncryptedNodeVolumes, template)).toEqual([]);
    const { nodegroup, launchTemplate } = productNodegroup(template);
    const volume = template.Resources[launchTemplate].Properties.LaunchTemplateData.BlockDeviceMappings[0].Ebs;
    delete volume.KmsKeyId;
    expect(failures(EncryptedNodeVolumes, template).map((e) => e.logicalId)).toEqual([nodegroup]);
    volume.Encrypted = false;
    expect(failures(EncryptedNodeVolumes, template)[0].findings[0].message).toMatch(/is not encrypted/);
  });
});
