import { ReadCache } from './read-cache';

/** A CloudFormation resource as it stands in a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

/**
 * A read-only view of one CloudFormation template that rules query: resources by type, references between
 * resources, parameters and their constraints. It accepts any JSON value and never throws on a malformed one:
 * what is missing or of the wrong type is simply absent.
 */
export class TemplateModel {
  readonly resources: ReadonlyMap<string, TemplateResource>;
  readonly parameters: Readonly<Record<string, Record<string, unknown>>>;
  readonly rules: Readonly<Record<string, Record<string, unknown>>>;
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  /*
   * Indexes built once per template and shared by every rule: resources by type, their order, and (on first use)
   * who references whom. A model is a snapshot: change the template, make a new model.
   */
  private readonly byType = new Map<string, [string, TemplateResource][]>();
  private readonly byTypes = new Map<string, [string, TemplateResource][]>();
  private readonly positions = new Map<string, number>();
  private referrerIndex?: Map<string, string[]>;
  private readonly referencedIdsOf = new WeakMap<object, string[]>();
  /** Parsed documents and other derived reads of this template (core/read-cache.ts). */
  readonly cache = new ReadCache();

  constructor(template: unknown) {
    const t = isObject(template) ? template : {};
    const resources = new Map<string, TemplateResource>();
    for (const [id, r] of Object.entries(isObject(t.Resources) ? t.Resources : {})) {
      if (isObject(r) && typeof r.Type === 'string') {
        // A resource is read as it stands; only one without an object of properties is given an empty one.
        resources.set(id, (isObject(r.Properties) ? r : { ...r, Type: r.Type, Properties: {} }) as TemplateResource);
      }
    }
    this.resources = resources;
    let position = 0;
    for (const entry of resources) {
      this.positions.set(entry[0], position++);
      const ofType = this.byType.get(entry[1].Type);
      if (ofType) ofType.push(entry);
      else this.byType.set(entry[1].Type, [entry]);
    }
    this.parameters = objectsOf(t.Parameters);
    this.rules = objectsOf(t.Rules);
    this.conditions = isObject(t.Conditions) ? t.Conditions : {};
    this.mappings = isObject(t.Mappings) ? t.Mappings : {};
  }

  resource(logicalId: string): TemplateResource | undefined {
    return this.resources.get(logicalId);
  }

  /** Resources of the given types, as [logicalId, resource] pairs (shared by every caller: read-only). */
  resourcesOfType(...types: string[]): readonly [string, TemplateResource][] {
    if (types.length === 1) return this.byType.get(types[0]) ?? NONE;
    const key = types.join('\n');
    let matches = this.byTypes.get(key);
    if (!matches) {
      matches = [...new Set(types)].flatMap((type) => this.byType.get(type) ?? []);
      matches.sort(([a], [b]) => this.positions.get(a)! - this.positions.get(b)!);
      this.byTypes.set(key, matches);
    }
    return matches;
  }

  /** The logical ID a value refers to (`Ref` or `Fn::GetAtt`) when it names a resource of this template. */
  referencedId(value: unknown): string | undefined {
    if (!isObject(value)) return undefined;
    const id =
      typeof value.Ref === 'string'
        ? value.Ref
        : Array.isArray(value['Fn::GetAtt'])
          ? value['Fn::GetAtt'][0]
          : typeof value['Fn::GetAtt'] === 'string'
            ? value['Fn::GetAtt'].split('.')[0]
            : undefined;
    return typeof id === 'string' && this.resources.has(id) ? id : undefined;
  }

  /**
   * Every logical ID of this template referenced anywhere inside a value (including inside Fn::If branches), worked out
   * once per value (shared by every caller: read-only).
   */
  referencedIds(value: unknown): readonly string[] {
    if (typeof value !== 'object' || value === null) return NONE;
    let ids = this.referencedIdsOf.get(value);
    if (!ids) {
      ids = this.collectReferencedIds(value);
      this.referencedIdsOf.set(value, ids);
    }
    return ids;
  }

  private collectReferencedIds(value: unknown): string[] {
    const found = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      if (Array.isArray(v)) {
        for (const item of v) walk(item);
        return;
      }
      const object = v as Record<string, unknown>;
      if (object.Ref !== undefined || object['Fn::GetAtt'] !== undefined) {
        const id = this.referencedId(object);
        if (id) found.add(id);
      }
      for (const key in object) walk(object[key]);
    };
    walk(value);
    return [...found];
  }

  /** Resources whose properties reference `logicalId`. */
  referrers(logicalId: string, ...types: string[]): [string, TemplateResource][] {
    if (!this.referrerIndex) {
      this.referrerIndex = new Map();
      for (const [id, r] of this.resources) {
        for (const target of this.referencedIds(r.Properties)) {
          const list = this.referrerIndex.get(target);
          if (list) list.push(id);
          else this.referrerIndex.set(target, [id]);
        }
      }
    }
    return (this.referrerIndex.get(logicalId) ?? [])
      .map((id) => [id, this.resources.get(id)!] as [string, TemplateResource])
      .filter(([, r]) => types.length === 0 || types.includes(r.Type));
  }

  /** Resources of the given types whose `property` references `logicalId` (a VPC's flow logs by ResourceId, …). */
  referrersVia(logicalId: string, property: string, ...types: string[]): [string, TemplateResource][] {
    return this.resourcesOfType(...types).filter(([, r]) =>
      this.referencedIds(r.Properties?.[property]).includes(logicalId),
    );
  }

  /** The parameter a value is a plain `Ref` to, if any. */
  parameterOf(value: unknown): string | undefined {
    return isObject(value) && typeof value.Ref === 'string' && value.Ref in this.parameters ? value.Ref : undefined;
  }
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NONE: readonly never[] = Object.freeze([]);

function objectsOf(value: unknown): Record<string, Record<string, unknown>> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => isObject(v))) as Record<
    string,
    Record<string, unknown>
  >;
}
