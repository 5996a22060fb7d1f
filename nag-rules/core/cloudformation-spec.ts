import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { isIntrinsic } from './intrinsics';
import { isObject } from './template-model';

/*
 * What CloudFormation itself would reject in a template (an unknown resource type, an unsupported property, a
 * property of the wrong type), judged with the CloudFormation resource specification the AWS CDK maintains and
 * ships: `@aws-cdk/aws-service-spec` (its `db.json.gz`, built from the CloudFormation registry schemas of every
 * region). Reading that database takes about half a second, so the first run keeps a compact index of it (types
 * and property types only) in the system's temporary directory, keyed by the database's size and date; later runs
 * read one small file per resource type they use.
 */

/** A property type: a primitive (s string, n number, b boolean, j JSON, d date-time, t tag) or a structure. */
type SpecType = string | readonly ['a' | 'm', SpecType] | readonly ['r', string] | readonly ['u', readonly SpecType[]];
type SpecProperties = Record<string, SpecType>;

export interface ResourceSpecIndex {
  readonly source: string;
  readonly resources: Readonly<Record<string, SpecProperties>>;
  readonly types: Readonly<Record<string, SpecProperties>>;
}

/** Something CloudFormation would reject, on one resource. */
export interface TemplateRejection {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly message: string;
}

const SPEC_PACKAGE = '@aws-cdk/aws-service-spec';

interface DbType {
  type: string;
  element?: DbType;
  types?: DbType[];
  reference?: { $ref: string };
}
interface DbProperty {
  type: DbType;
  previousTypes?: DbType[];
}

function compact(type: DbType): SpecType {
  switch (type.type) {
    case 'string':
      return 's';
    case 'number':
    case 'integer':
      return 'n';
    case 'boolean':
      return 'b';
    case 'date-time':
      return 'd';
    case 'tag':
      return 't';
    case 'array':
      return ['a', type.element ? compact(type.element) : 'j'];
    case 'map':
      return ['m', type.element ? compact(type.element) : 'j'];
    case 'ref':
      return type.reference ? ['r', type.reference.$ref] : 'j';
    case 'union':
      return ['u', (type.types ?? []).map(compact)];
    default:
      return 'j';
  }
}

function compactProperties(properties: Record<string, DbProperty> | undefined): SpecProperties {
  const out: SpecProperties = {};
  for (const [name, property] of Object.entries(properties ?? {})) {
    const all = [property.type, ...(property.previousTypes ?? [])].map(compact);
    out[name] = all.length === 1 ? all[0] : ['u', all];
  }
  return out;
}

/** Builds the compact index from the specification database (`db.json.gz`). */
export function buildSpecIndex(dbFile: string, source = dbFile): ResourceSpecIndex {
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(dbFile)).toString('utf8')) as {
    schema: {
      resource: { entities: Record<string, { cloudFormationType: string; properties?: Record<string, DbProperty> }> };
      typeDefinition: { entities: Record<string, { $id: string; properties?: Record<string, DbProperty> }> };
    };
  };
  const resources: Record<string, SpecProperties> = {};
  for (const resource of Object.values(db.schema.resource.entities))
    resources[resource.cloudFormationType] = compactProperties(resource.properties);
  const types: Record<string, SpecProperties> = {};
  for (const definition of Object.values(db.schema.typeDefinition.entities))
    types[definition.$id] = compactProperties(definition.properties);
  return { source, resources, types };
}

/** The typeDefinitions a set of properties reaches, by ID. */
function reachableTypes(
  properties: SpecProperties,
  types: Readonly<Record<string, SpecProperties>>,
  found: Record<string, SpecProperties> = {},
): Record<string, SpecProperties> {
  const visit = (type: SpecType): void => {
    if (typeof type === 'string') return;
    if (type[0] === 'r') {
      if (found[type[1]] || !types[type[1]]) return;
      found[type[1]] = types[type[1]];
      Object.values(types[type[1]]).forEach(visit);
    } else if (type[0] === 'u') type[1].forEach(visit);
    else visit(type[1]);
  };
  Object.values(properties).forEach(visit);
  return found;
}

const typeFileName = (type: string): string => `${type.replace(/::/g, '.')}.json`;

/**
 * The resource specification for the given resource types, from the cache (one small file per type, so a run reads
 * only what its templates use) or built from `@aws-cdk/aws-service-spec`; null when the package is not installed
 * (the check is then skipped, and says so).
 */
export function loadResourceSpec(
  resourceTypes: Iterable<string>,
  cacheRoot = path.join(os.tmpdir(), 'eks-threat-model'),
): ResourceSpecIndex | null {
  let dbFile: string;
  let version = '';
  try {
    const manifest = require.resolve(`${SPEC_PACKAGE}/package.json`);
    dbFile = path.join(path.dirname(manifest), 'db.json.gz');
    version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return null;
  }
  const stat = fs.statSync(dbFile);
  const source = `${SPEC_PACKAGE} ${version}`;
  const cacheDir = path.join(cacheRoot, `cfn-spec-${version}-${stat.size}-${Math.floor(stat.mtimeMs)}`);
  if (!fs.existsSync(cacheDir)) {
    const index = buildSpecIndex(dbFile, source);
    writeCache(index, cacheRoot, cacheDir);
    if (!fs.existsSync(cacheDir)) return index;
  }
  const resources: Record<string, SpecProperties> = {};
  const types: Record<string, SpecProperties> = {};
  for (const type of new Set(resourceTypes)) {
    try {
      const entry = JSON.parse(fs.readFileSync(path.join(cacheDir, typeFileName(type)), 'utf8')) as {
        properties: SpecProperties;
        types: Record<string, SpecProperties>;
      };
      resources[type] = entry.properties;
      Object.assign(types, entry.types);
    } catch {
      // no file: a type the specification does not know
    }
  }
  return { source, resources, types };
}

/** The specification of every type this process has asked about (undefined: none asked yet; null: not installed). */
let specSoFar: { index: ResourceSpecIndex; asked: Set<string>; complete: boolean } | null | undefined;

/**
 * `loadResourceSpec` for a process that checks many templates: each type is read once, and the index grows with the
 * types asked about (a template only ever looks up its own types, so its answers are the same).
 */
export function resourceSpecFor(resourceTypes: Iterable<string>): ResourceSpecIndex | null {
  if (specSoFar === null) return null;
  const missing = [...new Set(resourceTypes)].filter((type) => !specSoFar?.asked.has(type));
  if (specSoFar === undefined || (missing.length > 0 && !specSoFar.complete)) {
    const more = loadResourceSpec(missing);
    if (!more) {
      specSoFar = null;
      return null;
    }
    // Without a cache directory the whole specification comes back: it is not read again.
    const complete = Object.keys(more.resources).some((type) => !missing.includes(type));
    specSoFar ??= { index: { source: more.source, resources: {}, types: {} }, asked: new Set(), complete };
    Object.assign(specSoFar.index.resources, more.resources);
    Object.assign(specSoFar.index.types, more.types);
    for (const type of missing) specSoFar.asked.add(type);
    specSoFar.complete ||= complete;
  }
  return specSoFar.index;
}

/** One file per resource type (its properties and the typeDefinitions they reach), written to a folder renamed into place. */
function writeCache(index: ResourceSpecIndex, cacheRoot: string, cacheDir: string): void {
  try {
    fs.mkdirSync(cacheRoot, { recursive: true });
    const partial = fs.mkdtempSync(path.join(cacheRoot, 'partial-'));
    for (const [type, properties] of Object.entries(index.resources)) {
      fs.writeFileSync(
        path.join(partial, typeFileName(type)),
        JSON.stringify({ properties, types: reachableTypes(properties, index.types) }),
      );
    }
    fs.renameSync(partial, cacheDir);
  } catch {
    // a read-only temporary directory (or another run that got there first) is not a problem of the check
  }
}

const describeType = (type: SpecType): string => {
  if (typeof type === 'string')
    return (
      (
        {
          s: 'a string',
          n: 'a number',
          b: 'a boolean',
          d: 'a date-time string',
          t: 'a tag (Key, Value)',
          j: 'JSON',
        } as Record<string, string>
      )[type] ?? 'a value'
    );
  if (type[0] === 'a') return `a list of ${describeType(type[1]).replace(/^an? /, '')}s`.replace(/ss$/, 's');
  if (type[0] === 'm') return 'a map';
  if (type[0] === 'r') return 'an object';
  return type[0] === 'u' ? type[1].map(describeType).join(' or ') : 'a value';
};

const describeValue = (value: unknown): string =>
  Array.isArray(value)
    ? 'a list'
    : isObject(value)
      ? 'an object'
      : typeof value === 'string'
        ? `the string ${JSON.stringify(value)}`
        : `${typeof value} ${JSON.stringify(value)}`;

/**
 * Where a value sits in a resource's properties: property and map keys, and list indexes. Made into text only for a
 * message: most values fit, and a template has thousands.
 */
type Where = (string | number)[];

const whereText = (where: Where): string =>
  where.map((step, i) => (typeof step === 'number' ? `[${step}]` : i ? `.${step}` : step)).join('');

/** Why `value` does not fit `type` (undefined when it fits or cannot be known before deployment). */
function mismatch(value: unknown, type: SpecType, spec: ResourceSpecIndex, where: Where): string | undefined {
  if (isIntrinsic(value)) return undefined;
  if (typeof type === 'string') {
    switch (type) {
      case 's':
      case 'd':
        return ['string', 'number', 'boolean'].includes(typeof value)
          ? undefined
          : `${whereText(where)} is ${describeValue(value)}, not ${describeType(type)}`;
      case 'n':
        return typeof value === 'number' ||
          (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
          ? undefined
          : `${whereText(where)} is ${describeValue(value)}, not a number`;
      case 'b':
        return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value))
          ? undefined
          : `${whereText(where)} is ${describeValue(value)}, not a boolean`;
      case 't':
        return isObject(value) ? undefined : `${whereText(where)} is ${describeValue(value)}, not a tag (Key, Value)`;
      default:
        return undefined;
    }
  }
  if (type[0] === 'a' || type[0] === 'm') {
    const list = type[0] === 'a';
    if (list ? !Array.isArray(value) : !isObject(value))
      return `${whereText(where)} is ${describeValue(value)}, not a ${list ? 'list' : 'map'}`;
    const items = value as Record<string, unknown>;
    for (const key of Object.keys(items)) {
      where.push(list ? Number(key) : key);
      const problem = mismatch(items[key], type[1], spec, where);
      where.pop();
      if (problem) return problem;
    }
    return undefined;
  }
  if (type[0] === 'r') {
    if (!isObject(value)) return `${whereText(where)} is ${describeValue(value)}, not an object`;
    return propertiesProblem(value, spec.types[type[1]], spec, where)[0];
  }
  return (type[1] as readonly SpecType[]).some((branch) => mismatch(value, branch, spec, where) === undefined)
    ? undefined
    : `${whereText(where)} is ${describeValue(value)}, not ${describeType(type)}`;
}

function propertiesProblem(
  properties: Record<string, unknown>,
  known: SpecProperties | undefined,
  spec: ResourceSpecIndex,
  where: Where,
): readonly string[] {
  if (!known) return NO_PROBLEMS;
  let problems: string[] | undefined;
  for (const name of Object.keys(properties)) {
    const type = known[name];
    where.push(name);
    const problem =
      type === undefined
        ? `${whereText(where)} is not a property CloudFormation supports here`
        : mismatch(properties[name], type, spec, where);
    where.pop();
    if (problem) {
      problems ??= [];
      problems.push(problem);
    }
  }
  return problems ?? NO_PROBLEMS;
}

const NO_PROBLEMS: readonly string[] = Object.freeze([]);

/** Resource types whose properties are free-form (custom resources) or belong to a transform, not the registry. */
function unchecked(type: string): boolean {
  return (
    type === 'AWS::CloudFormation::CustomResource' ||
    type.startsWith('Custom::') ||
    type.startsWith('AWS::Serverless::') ||
    type.endsWith('::MODULE')
  );
}

/**
 * What CloudFormation would reject in a template: resource types of the AWS namespaces the specification does not
 * know, properties it does not support, values of the wrong type. Values known only at deployment (intrinsic
 * functions) are not judged; third-party registry types (other namespaces) are left alone.
 */
export function templateRejections(template: Record<string, any>, spec: ResourceSpecIndex): TemplateRejection[] {
  const rejections: TemplateRejection[] = [];
  for (const [logicalId, resource] of Object.entries((template.Resources ?? {}) as Record<string, any>)) {
    const type = resource?.Type;
    if (typeof type !== 'string' || unchecked(type)) continue;
    const known = spec.resources[type];
    if (!known) {
      if (/^(AWS|Alexa)::/.test(type))
        rejections.push({ logicalId, resourceType: type, message: `unknown resource type '${type}'` });
      continue;
    }
    const properties = resource.Properties;
    if (properties === undefined) continue;
    if (!isObject(properties)) {
      rejections.push({
        logicalId,
        resourceType: type,
        message: `Properties is ${describeValue(properties)}, not an object`,
      });
      continue;
    }
    for (const message of propertiesProblem(properties, known, spec, []))
      rejections.push({ logicalId, resourceType: type, message });
  }
  return rejections;
}
