import { renderText } from '../../core/intrinsics';
import { configurationOf, stringsIn } from '../../core/kubernetes-configuration';
import { KUBERNETES_RESOURCE_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, EVERY_RESOURCE_TYPE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { findSecretsAfter, SECRET_RULES_SOURCE } from '../../core/secret-patterns';
import { isObject, TemplateModel } from '../../core/template-model';
import { readUserData } from '../../core/user-data';

const MAX_FINDINGS = 10;

/** CLU-12: no secret in clear text anywhere in the template, by a maintained secret scanner's rules. */
export const NoClearTextSecrets: ThreatModelRule = {
  controlId: 'CLU-12',
  threats: ['TH-2', 'TH-3', 'AC-4', 'LM-2'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `No resource property, decoded user data, Kubernetes Secret, ConfigMap, container or Lambda environment, SSM ` +
    `document or default of a parameter a resource uses holds a secret that gitleaks' published rules recognize ` +
    `(AWS access keys, private keys, tokens, passwords); no Kubernetes Secret carries literal values`,
  explanation:
    'A template is read by everyone who can describe the stack, the provisioned product or the Service Catalog ' +
    "artifact, and its values land in CloudFormation events, the kubectl handler's logs and the cluster's etcd: a key or " +
    'password written there is a stolen credential waiting (AC-4) that lets an attacker move to what it opens (LM-2, TH-3). ' +
    `Secrets belong in Secrets Manager or SSM SecureString, referenced by ARN. The patterns are ${SECRET_RULES_SOURCE}, ` +
    "not the project's own.",
  resourceTypes: [EVERY_RESOURCE_TYPE],
  evaluate({ model, logicalId, resource, properties }) {
    const findings: RuleFinding[] = [];
    const report = (where: string | readonly PathStep[], text: string, prefix = '') => {
      const secrets = findSecretsAfter(prefix, text);
      if (secrets.length === 0) return;
      const place = typeof where === 'string' ? where : pathText(where);
      for (const secret of secrets) {
        findings.push({
          message: `${place} holds a ${secret.ruleId} secret in clear text (${secret.redacted}; gitleaks rule ${secret.ruleId})`,
        });
      }
    };
    walk(properties, ['Properties'], report, 0, 'Properties');
    for (const [name, parameter] of referencedParameters(model, properties)) {
      const value = parameter.Default;
      if (typeof value === 'string' || typeof value === 'number')
        report(`the default of parameter ${name}`, String(value), `${name}=`);
    }
    const userData =
      resource.Type === 'AWS::EC2::LaunchTemplate' && isObject(properties.LaunchTemplateData)
        ? properties.LaunchTemplateData.UserData
        : properties.UserData;
    if (userData !== undefined) {
      const read = readUserData(userData);
      if (!read.ok) findings.push(unresolved('the user data (it may hold secrets)', read.reason));
      else
        read.parts.forEach((part, i) => {
          report(`part ${i + 1} (${part.contentType}) of the decoded user data`, part.text);
        });
    }
    if (KUBERNETES_RESOURCE_TYPES.includes(resource.Type))
      findings.push(...kubernetesSecrets(model, logicalId, report));
    return findings.length ? findings.slice(0, MAX_FINDINGS) : COMPLIANT;
  },
};

/**
 * CloudFormation properties whose values are object keys, key IDs or names of other resources: their names contain
 * "key" but their values are public identifiers (an asset's content hash is not an API key).
 */
const IDENTIFIER_PROPERTIES = new Set([
  'S3Key',
  'SourceObjectKeys',
  'S3ObjectVersion',
  'KmsKeyId',
  'KmsKeyArn',
  'KMSMasterKeyID',
  'KeyName',
  'KeyId',
  'TargetKeyId',
  'Key',
  'SSEKMSKeyId',
  'KmsMasterKeyId',
]);

/**
 * What a property's value is scanned after: `name=`, so gitleaks' keyword rules (password=…) see the name (`name=value`
 * is the text scanned).
 */
function prefixOf(name: string): string {
  return IDENTIFIER_PROPERTIES.has(name) ? '' : `${name}=`;
}

/** A step of a walk: a property name, a list index, or the name of a name/value pair. */
type PathStep = string | number | { readonly pair: string };

/** A walk's steps as a message names them: `Properties.Environment.Variables[0] (PASSWORD)`. */
function pathText(path: readonly PathStep[]): string {
  return path
    .map((step, i) =>
      typeof step === 'number' ? `[${step}]` : typeof step === 'string' ? `${i ? '.' : ''}${step}` : ` (${step.pair})`,
    )
    .join('');
}

/**
 * Scans every string of a value, each with the name of the property that holds it (`name`; items of a list keep their
 * list's name). `path` holds the steps of the walk, made into text for a message only when a secret is found: most
 * strings hold none.
 */
function walk(
  value: unknown,
  path: PathStep[],
  report: (where: readonly PathStep[], text: string, prefix: string) => void,
  depth: number,
  name: string,
): void {
  if (depth > 60) return;
  if (typeof value === 'string') {
    report(path, value, prefixOf(name));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, report, depth + 1, name);
      path.pop();
    }
    return;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && (keys[0] === 'Fn::Join' || keys[0] === 'Fn::Sub') && object[keys[0]] !== undefined) {
    const text = renderText(object);
    if (text !== undefined) report(path, text, prefixOf(name));
    return;
  }
  // Name/value pairs (container env, Lambda-style variable lists, tags): the name gives the value its meaning. Most
  // objects have neither: their keys are compared rather than each looked up.
  if (keys.some(isPairKey)) {
    const pairName = object.name ?? object.Name;
    const pairValue = object.value ?? object.Value;
    if (typeof pairName === 'string' && typeof pairValue === 'string') {
      path.push({ pair: pairName });
      report(path, pairValue, `${pairName}=`);
      path.pop();
    }
  }
  for (const key of keys) {
    path.push(key);
    walk(object[key], path, report, depth + 1, key);
    path.pop();
  }
}

function isPairKey(key: string): boolean {
  return key === 'name' || key === 'Name';
}

/** The parameters a resource's properties refer to (`Ref` or `${Name}` in `Fn::Sub`). */
function referencedParameters(model: TemplateModel, properties: unknown): [string, Record<string, unknown>][] {
  const names = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 60 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const object = v as Record<string, unknown>;
    if (typeof object.Ref === 'string' && object.Ref in model.parameters) names.add(object.Ref);
    const sub = object['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    if (text?.includes('${'))
      for (const m of text.matchAll(/\$\{([^}!.]+)\}/g)) if (m[1] in model.parameters) names.add(m[1]);
    for (const key of Object.keys(object)) visit(object[key], depth + 1);
  };
  if (Object.keys(model.parameters).length > 0) visit(properties, 0);
  return [...names].map((n) => [n, model.parameters[n]]);
}

/** Kubernetes Secrets with literal values, and secrets in base64 `data` that the raw scan cannot see. */
function kubernetesSecrets(
  model: TemplateModel,
  logicalId: string,
  report: (where: string, text: string) => void,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const { value, where } of configurationOf(model, logicalId).configurations) {
    if (!isObject(value) || value.kind !== 'Secret') continue;
    const literals = [...stringsIn(value.data, 'data'), ...stringsIn(value.stringData, 'stringData')].filter(
      ({ text }) => !text.includes('${Token:'),
    );
    if (literals.length) {
      findings.push({
        message: `${where} carries literal values (${literals.map((l) => l.path).join(', ')}): a Secret in the template is readable by everyone who can read the stack; reference Secrets Manager instead`,
      });
    }
    for (const { path, text } of stringsIn(value.data, 'data')) {
      const decoded = Buffer.from(text, 'base64').toString('utf8');
      report(`${where} ${path} (decoded)`, `${path.split('.').pop()}=${decoded}`);
    }
  }
  return findings;
}
