import fc from 'fast-check';
import { CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../../lib/config/catalog-config';
import { ConfigError } from '../../lib/config/validation';
import { parseHardenedEksSettings } from '../../products/hardened-eks/settings';
import { projectContext } from '../support/project-app';

const builtIn = () => structuredClone(projectContext()[CONFIG_CONTEXT_KEY]) as Record<string, any>;

/** Every path to a value in `value`, as keys and indexes. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function replaced(root: Record<string, any>, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let parent: any = root;
  for (const key of path.slice(0, -1)) parent = parent[key];
  parent[path[path.length - 1]] = value;
  return root;
}

/** zod's own wording ("Invalid input: expected string, received number"), which names no rule of ours. */
const ZOD_DEFAULT_MESSAGE = /^Invalid input|expected .+, received/;

/**
 * Whatever value lands wherever in the configuration, the parser accepts it or refuses it with a ConfigError whose
 * field is a path into the configuration and whose rule is one of ours: never a zod default message, never another
 * kind of error (which the app would print with a stack trace).
 */
function expectAcceptedOrRefusedByName(parse: () => unknown, field: string): void {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { field: at, rule } = error as ConfigError;
    expect(at.startsWith(field)).toBe(true);
    expect(rule).not.toMatch(ZOD_DEFAULT_MESSAGE);
    expect(rule.length).toBeGreaterThan(0);
  }
}

describe('any bad value is refused by field and rule, never by a zod default message or a crash', () => {
  test('in the catalog context, defaults included', () => {
    const catalog = () => ({ ...builtIn(), accountBaseline: { guardDuty: true, config: false } });
    const paths = pathsOf(catalog()).filter((path) => path[0] !== 'products' || path.length <= 2);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        expectAcceptedOrRefusedByName(() => parseCatalogConfig(replaced(catalog(), path, value)), CONFIG_CONTEXT_KEY);
      }),
      { numRuns: 400 },
    );
  });

  test("in the hardened-eks product's settings, defaults included", () => {
    const settings = () => ({
      ...builtIn().products[0].settings,
      calico: { chartVersion: 'v3.31.4' },
      detection: { toolsRepository: 'security-tools' },
      incidentResponse: { workloadRolePath: '/workloads/' },
      toolsPublisherRoleArn: 'arn:aws:iam::111122223333:role/ToolsPublisher',
      endpointAccess: 'private',
    });
    const field = `${CONFIG_CONTEXT_KEY}.products[0].settings`;
    fc.assert(
      fc.property(fc.constantFrom(...pathsOf(settings())), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        expectAcceptedOrRefusedByName(() => parseHardenedEksSettings(replaced(settings(), path, value), field), field);
      }),
      { numRuns: 400 },
    );
  });

  test('an unknown key anywhere is named with the allowed ones', () => {
    const settings = builtIn().products[0].settings;
    for (const path of pathsOf(settings).filter((p) => {
      const at = p.reduce<any>((v, k) => v[k], settings);
      return typeof at === 'object' && at !== null && !Array.isArray(at);
    })) {
      const raw = structuredClone(settings);
      const target = path.reduce<any>((v, k) => v[k], raw);
      target.surplus = true;
      const error = (() => {
        try {
          parseHardenedEksSettings(raw, 'settings');
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error(`an unknown key at ${path.join('.')} was accepted`);
      })();
      expect(error.field).toBe(['settings', ...path, 'surplus'].join('.'));
      expect(error.rule).toMatch(/^unknown key \(allowed: .+\)$/);
    }
  });
});
