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
    // The walk also gathers the parameters the properties refer to (`Ref` or `${Name}` in `Fn::Sub`).
    const referenced = new Set<string>();
    const parameters = Object.keys(model.parameters).length > 0 ? model.parameters : undefined;
    walk(properties, 0, 'Properties', { path: ['Properties'], report, parameters, referenced });
    for (const name of referenced) {
      const value = model.parameters[name].Default;
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
  let prefix = prefixes.get(name);
  if (prefix === undefined) {
    prefix = IDENTIFIER_PROPERTIES.has(name) ? '' : `${name}=`;
    if (prefixes.size >= 10_000) prefixes.clear();
    prefixes.set(name, prefix);
  }
  return prefix;
}
/** The prefix of each property name, made once (a new `name=` string per value would be hashed again on each lookup). */
const prefixes = new Map<string, string>();

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

/** What a walk over a resource's properties carries along. */
interface Walk {
  /** The steps to where the walk is, made into text for a message only when a secret is found. */
  readonly path: PathStep[];
  readonly report: (where: readonly PathStep[], text: string, prefix: string) => void;
  /** The template's parameters (undefined when it has none). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The parameters met so far, in the order met. */
  readonly referenced: Set<string>;
}

/**
 * Scans every string of a value, each with the name of the property that holds it (`name`; items of a list keep their
 * list's name), and gathers the parameters it refers to.
 */
function walk(value: unknown, depth: number, name: string, at: Walk): void {
  if (depth > 60) return;
  if (typeof value === 'string') {
    at.report(at.path, value, prefixOf(name));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const { path } = at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], depth + 1, name, at);
      path.pop();
    }
    return;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && (keys[0] === 'Fn::Join' || keys[0] === 'Fn::Sub') && object[keys[0]] !== undefined) {
    const text = renderText(object);
    if (text !== undefined) at.report(path, text, prefixOf(name));
    if (at.parameters) addParameters(object, depth, at.parameters, at.referenced);
    return;
  }
  if (at.parameters) addOwnParameters(object, at.parameters, at.referenced);
  // Name/value pairs (container env, Lambda-style variable lists, tags): the name gives the value its meaning. Most
  // objects have neither: their keys are compared rather than each looked up.
  if (keys.some(isPairKey)) {
    const pairName = object.name ?? object.Name;
    const pairValue = object.value ?? object.Value;
    if (typeof pairName === 'string' && typeof pairValue === 'string') {
      path.push({ pair: pairName });
      at.report(path, pairValue, `${pairName}=`);
      path.pop();
    }
  }
  for (const key of keys) {
    path.push(key);
    walk(object[key], depth + 1, key, at);
    path.pop();
  }
}

function isPairKey(key: string): boolean {
  return key === 'name' || key === 'Name';
}

/** The parameters a value refers to, anywhere inside it. */
function addParameters(
  value: unknown,
  depth: number,
  parameters: Readonly<Record<string, unknown>>,
  found: Set<string>,
) {
  if (depth > 60 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) addParameters(item, depth + 1, parameters, found);
    return;
  }
  const object = value as Record<string, unknown>;
  addOwnParameters(object, parameters, found);
  for (const key of Object.keys(object)) addParameters(object[key], depth + 1, parameters, found);
}

/** The parameters an object refers to itself (`Ref`, or `${Name}` in its `Fn::Sub`). */
function addOwnParameters(
  object: Record<string, unknown>,
  parameters: Readonly<Record<string, unknown>>,
  found: Set<string>,
) {
  if (typeof object.Ref === 'string' && object.Ref in parameters) found.add(object.Ref);
  const sub = object['Fn::Sub'];
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  if (text?.includes('${')) for (const m of text.matchAll(/\$\{([^}!.]+)\}/g)) if (m[1] in parameters) found.add(m[1]);
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
