import { at, isIntrinsic, listMembers, mayBeRemoved, presentBranchValues } from '../../core/intrinsics';
import { NODE_TYPES, launchTemplatePropertyFindings } from '../../core/node-launch-templates';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal, possibleValues, why } from '../../core/values';

/** Resource types that name a customer-managed KMS key. */
export const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::KMS::ReplicaKey'];

/** NOD-4: the nodes' EBS volumes are encrypted with a customer-managed KMS key. */
export const EncryptedNodeVolumes: ThreatModelRule = {
  controlId: 'NOD-4',
  threats: ['TH-2', 'EX-1', 'IR-6'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Node launch templates map their EBS volumes with Encrypted true and a KmsKeyId (a customer-managed key)',
  explanation:
    'Node volumes hold images, pod data and logs; unencrypted (or AWS-managed-key) volumes and their snapshots can be ' +
    'copied out without a key policy stopping it (EX-1), and evidence captured for incident response (IR-6) needs a key the ' +
    'team controls.',
  resourceTypes: NODE_TYPES,
  evaluate({ model, resource, properties }) {
    const findings = launchTemplatePropertyFindings(
      model,
      resource,
      properties,
      'BlockDeviceMappings',
      (mappings, template) => {
        const problems: RuleFinding[] = [];
        const { members, unknown } = listMembers(mappings);
        if (unknown !== undefined) problems.push(unresolved(`BlockDeviceMappings of ${template}`, why(unknown)));
        const volumes = members.filter((m) => isIntrinsic(m) || (isObject(m) && m.Ebs !== undefined));
        if (volumes.length === 0 && unknown === undefined) {
          problems.push({
            message: `${template} maps no EBS volume: the root volume takes the AMI's settings, unencrypted unless the account encrypts EBS by default`,
          });
        }
        for (const mapping of volumes) problems.push(...judgeVolume(model, template, mapping));
        return problems;
      },
      "the root volume takes the AMI's settings, unencrypted unless the account encrypts EBS by default",
    );
    return findings.length ? findings : COMPLIANT;
  },
};

function judgeVolume(model: TemplateModel, source: string, mapping: unknown): RuleFinding[] {
  const device = literal(isObject(mapping) ? mapping.DeviceName : undefined);
  const name = `volume ${device.known && device.value !== undefined ? `${String(device.value)} ` : ''}of ${source}`;
  const raw = at(mapping, 'Ebs', 'Encrypted');
  if (!raw.known) return [unresolved(`Ebs.Encrypted of the ${name}`, raw.because)];
  const encrypted = literal(raw.value);
  if (!encrypted.known) return [unresolved(`Ebs.Encrypted of the ${name}`, encrypted.because)];
  if (!isTrue(encrypted.value))
    return [
      {
        message: `the ${name} is not encrypted (Ebs.Encrypted is ${encrypted.value === undefined ? 'absent' : String(encrypted.value)})`,
      },
    ];
  const key = at(mapping, 'Ebs', 'KmsKeyId');
  if (!key.known) return [unresolved(`Ebs.KmsKeyId of the ${name}`, key.because)];
  const missing = {
    message: `the ${name} is encrypted with the AWS managed key aws/ebs: set Ebs.KmsKeyId to a customer-managed key`,
  };
  if (key.value === '' || mayBeRemoved(key.value)) return [missing];
  for (const choice of presentBranchValues(key.value)) {
    const ref = model.referencedId(choice);
    if (ref) {
      if (!KEY_TYPES.includes(model.resource(ref)!.Type))
        return [{ message: `Ebs.KmsKeyId of the ${name} references ${ref}, which is not a KMS key` }];
      continue;
    }
    const values = possibleValues(model, choice);
    if (!values.known) return [unresolved(`Ebs.KmsKeyId of the ${name}`, values.because)];
    if (values.value.length === 0 || values.value.some((v) => v === '')) return [missing];
  }
  return [];
}
