import * as fs from 'fs';
import * as YAML from 'yaml';
import type { CollectionTag, ScalarTag } from 'yaml';

/** A template the CLI could not use: unreadable, not JSON or YAML, or not a CloudFormation template. */
export class TemplateInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'TemplateInputError';
  }
}

/** Intrinsic functions written `!Name` in YAML, as `Fn::Name` in long form. */
const FUNCTIONS = [
  'And',
  'Base64',
  'Cidr',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Equals',
  'FindInMap',
  'ForEach',
  'GetAZs',
  'ImportValue',
  'If',
  'Join',
  'Length',
  'Not',
  'Or',
  'RefAll',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'ValueOf',
  'ValueOfAll',
];

type Tag = ScalarTag | CollectionTag;

function tagsFor(name: string, key: string, scalar: (value: string) => unknown = (value) => ({ [key]: value })): Tag[] {
  const collection = (kind: 'map' | 'seq'): CollectionTag => ({
    tag: `!${name}`,
    collection: kind,
    // The children are already resolved (nested short forms included): turn the node into plain JSON.
    resolve: (node) => ({ [key]: node.toJSON() }),
  });
  return [{ tag: `!${name}`, resolve: scalar }, collection('seq'), collection('map')];
}

/** YAML tags for CloudFormation's short forms (`!Ref`, `!GetAtt`, `!Sub`, `!If`…), mapped to the long forms. */
export const CLOUDFORMATION_TAGS: Tag[] = [
  ...tagsFor('Ref', 'Ref'),
  ...tagsFor('Condition', 'Condition'),
  // `!GetAtt Resource.Attribute` (the attribute may itself contain dots).
  ...tagsFor('GetAtt', 'Fn::GetAtt', (value) => {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }),
  ...FUNCTIONS.flatMap((name) => tagsFor(name, `Fn::${name}`)),
];

/** Parses CloudFormation YAML (with short forms) into the JSON form of the template. */
export function parseCloudFormationYaml(text: string): unknown {
  const doc = YAML.parseDocument(text, {
    customTags: CLOUDFORMATION_TAGS,
    uniqueKeys: true,
    prettyErrors: false,
    version: '1.2',
  });
  if (doc.errors.length > 0) throw doc.errors[0];
  // Plain objects with dangerous-looking keys are fine here: the result is only read.
  return doc.toJS({ maxAliasCount: 1000 });
}

/** Parses a template's text: JSON when it looks like JSON, else CloudFormation YAML. */
export function parseTemplateText(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch (jsonError) {
      // Flow-style YAML also starts with '{': accept it if YAML can read it, else report the JSON error.
      try {
        return parseCloudFormationYaml(trimmed);
      } catch {
        throw jsonError;
      }
    }
  }
  return parseCloudFormationYaml(trimmed);
}

/** What a CloudFormation template must have for the pack to judge it. */
export function validateTemplateShape(template: unknown): string | undefined {
  if (typeof template !== 'object' || template === null || Array.isArray(template))
    return 'not a CloudFormation template (the document is not an object)';
  const resources = (template as Record<string, unknown>).Resources;
  if (resources === undefined) return 'not a CloudFormation template (no Resources section)';
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources))
    return 'not a CloudFormation template (Resources is not an object)';
  const entries = Object.entries(resources);
  if (entries.length === 0) return 'not a CloudFormation template (Resources is empty)';
  for (const [id, resource] of entries) {
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource))
      return `resource '${id}' is not an object`;
    if (typeof (resource as Record<string, unknown>).Type !== 'string') return `resource '${id}' has no Type`;
  }
  return undefined;
}

/** Reads, parses and checks one template file; throws `TemplateInputError` naming the file. */
export function loadTemplate(file: string): Record<string, any> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TemplateInputError(
      file,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a template file'
          : `cannot be read (${(error as Error).message})`,
    );
  }
  let template: unknown;
  try {
    template = parseTemplateText(text);
  } catch (error) {
    throw new TemplateInputError(file, `not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const problem = validateTemplateShape(template);
  if (problem) throw new TemplateInputError(file, problem);
  return template as Record<string, any>;
}
