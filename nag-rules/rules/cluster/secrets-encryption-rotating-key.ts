import { clusterSettings, field } from '../../core/cluster-properties';
import {
  conditionEntries,
  coversAction,
  isAllow,
  isDeny,
  literalStrings,
  Statement,
  statementsOf,
} from '../../core/iam-documents';
import { branchValues } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal, why } from '../../core/values';

/** Condition keys that keep a wildcard principal of a key policy inside the account or organization. */
const PRINCIPAL_SCOPING_KEYS = [
  'kms:calleraccount',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalarn',
];

/** CLU-2: secrets envelope-encrypted with a rotating customer-managed key (CT.EKS.PR.2 joined with the key's own checks). */
export const SecretsEncryptionRotatingKey: ThreatModelRule = {
  controlId: 'CLU-2',
  threats: ['TH-2', 'TH-3', 'LM-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'The cluster envelope-encrypts secrets with a KMS key of the template that rotates, has no open principal and limits grants to AWS services',
  explanation:
    'Without envelope encryption anyone who reads etcd or its backups reads every Kubernetes secret (LM-3). The key ' +
    'must be a customer-managed key the template controls, with automatic rotation, a key policy that does not open it to ' +
    'any principal, and kms:CreateGrant denied except for AWS services, so the secrets key cannot be handed to someone else.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, resource, properties }) {
    const config = field(clusterSettings(resource, properties), 'EncryptionConfig');
    if (config === undefined)
      return [{ message: 'no EncryptionConfig: Kubernetes secrets are not envelope-encrypted with a KMS key' }];
    if (!Array.isArray(config)) return [unresolved('EncryptionConfig', why(config))];
    let secretsEntry: Record<string, unknown> | undefined;
    const unknown: string[] = [];
    for (const entry of config) {
      if (!isObject(entry)) {
        unknown.push(why(entry));
        continue;
      }
      const { values, unknown: notLiteral } = literalStrings(field(entry, 'Resources'));
      if (values.includes('secrets')) {
        secretsEntry = entry;
        break;
      }
      unknown.push(...notLiteral);
    }
    if (!secretsEntry) {
      return unknown.length
        ? [unresolved('Whether EncryptionConfig covers secrets', unknown[0])]
        : [
            {
              message:
                'EncryptionConfig does not list "secrets" in Resources: Kubernetes secrets are not envelope-encrypted',
            },
          ];
    }
    const keyArn = field(field(secretsEntry, 'Provider'), 'KeyArn');
    const findings = branchValues(keyArn).flatMap((arn) => keyFindings(model, arn));
    const unique = [...new Map(findings.map((f) => [f.message, f])).values()];
    return unique.length ? unique : COMPLIANT;
  },
};

function keyFindings(model: TemplateModel, keyArn: unknown): RuleFinding[] {
  if (keyArn === undefined || keyArn === '')
    return [{ message: 'the secrets EncryptionConfig has no Provider.KeyArn' }];
  let id = model.referencedId(keyArn);
  if (id && model.resource(id)?.Type === 'AWS::KMS::Alias') {
    const target = model.referencedId(model.resource(id)?.Properties?.TargetKeyId);
    if (!target) return [unresolved(`The key behind alias ${id}`, why(model.resource(id)?.Properties?.TargetKeyId))];
    id = target;
  }
  const key = id ? model.resource(id) : undefined;
  if (id && key?.Type === 'AWS::KMS::Key') return checkKey(id, (key.Properties ?? {}) as Record<string, unknown>);
  if (id)
    return [
      unresolved(`Rotation of the secrets key ${id}`, `a resource of type ${key?.Type} rather than an AWS::KMS::Key`),
    ];
  if (typeof keyArn === 'string') {
    return [
      unresolved(
        `Rotation and key policy of the secrets key ${keyArn}`,
        'a key outside this template (its rotation and policy are not in the template)',
      ),
    ];
  }
  return [unresolved('Rotation and key policy of the secrets key', why(keyArn))];
}

function checkKey(id: string, props: Record<string, unknown>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const rotation = literal(props.EnableKeyRotation);
  if (!rotation.known) findings.push(unresolved(`EnableKeyRotation of key ${id}`, rotation.because));
  else if (!isTrue(rotation.value))
    findings.push({ message: `key ${id} does not rotate (EnableKeyRotation is not true)` });
  const enabled = literal(props.Enabled);
  if (enabled.known && (enabled.value === false || enabled.value === 'false'))
    findings.push({ message: `key ${id} is disabled (Enabled is false)` });

  if (props.KeyPolicy === undefined) {
    findings.push({
      message: `key ${id} has the default key policy, which does not limit kms:CreateGrant to AWS services`,
    });
    return findings;
  }
  const { statements, unreadable } = statementsOf(props.KeyPolicy);
  if (unreadable.length) findings.push(unresolved(`The key policy of ${id}`, unreadable[0]));
  const open = statements.filter(
    (s) =>
      isAllow(s) && wildcardPrincipal(s) && !conditionEntries(s).some((c) => PRINCIPAL_SCOPING_KEYS.includes(c.key)),
  );
  if (open.length) {
    findings.push({
      message: `key ${id}'s policy allows any principal (${open.map((s) => s.Sid ?? 'statement without Sid').join(', ')}) without limiting it to the account or organization`,
    });
  }
  if (!statements.some(limitsGrants)) {
    findings.push({
      message: `key ${id}'s policy does not deny kms:CreateGrant when kms:GrantIsForAWSResource is false (grants not limited to AWS services)`,
    });
  }
  return findings;
}

function wildcardPrincipal(statement: Statement): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  return isObject(principal) && literalStrings(principal.AWS).values.includes('*');
}

/** CT.KMS.PR.3: a Deny of kms:CreateGrant to every principal unless the grant is for an AWS resource. */
function limitsGrants(statement: Statement): boolean {
  if (!isDeny(statement) || coversAction(statement, 'kms:CreateGrant') !== 'yes' || !wildcardPrincipal(statement))
    return false;
  return conditionEntries(statement).some(
    (c) =>
      /^bool(ifexists)?$/i.test(c.operator) &&
      c.key === 'kms:grantisforawsresource' &&
      [c.value].flat().some((v) => v === false || v === 'false'),
  );
}
