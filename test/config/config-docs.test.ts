import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import {
  CDK_JSON_SCHEMA_FILE,
  cdkJsonSchema,
  cdkJsonSchemaText,
  documentedProducts,
  readmeTables,
  withReadmeTables,
} from '../../lib/config/config-docs';
import { hardenedEksSettingsSchema } from '../../products/hardened-eks/settings';

const ROOT = path.join(__dirname, '..', '..');
const products = documentedProducts(path.join(ROOT, 'products'));
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('the documents generated from the configuration schemas (npm run config-docs)', () => {
  test('every product folder with settings is documented: hardened-eks with its own schema', () => {
    expect(products).toEqual([{ folder: 'hardened-eks', settingsSchema: hardenedEksSettingsSchema }]);
  });

  test(`${CDK_JSON_SCHEMA_FILE} is current (run npm run config-docs after changing a schema)`, () => {
    expect(read(CDK_JSON_SCHEMA_FILE)).toBe(cdkJsonSchemaText(products));
  });

  test("the README's configuration tables are current (run npm run config-docs after changing a schema)", () => {
    const readme = read('README.md');
    expect(withReadmeTables(readme, readmeTables(products))).toBe(readme);
  });

  test('a stale table is replaced and a missing block is an error, not a silent omission', () => {
    const stale = 'intro\n<!-- config-docs: catalog -->\n| old |\n<!-- /config-docs -->\noutro\n';
    expect(withReadmeTables(stale, { catalog: '| new |' })).toBe(
      'intro\n<!-- config-docs: catalog -->\n| new |\n<!-- /config-docs -->\noutro\n',
    );
    expect(() => withReadmeTables(stale, { 'hardened-eks': '| new |' })).toThrow(
      /no block '<!-- config-docs: hardened-eks -->'/,
    );
  });

  test("cdk.json names the JSON Schema, which describes its catalog context and each product folder's settings", () => {
    const cdkJson = JSON.parse(read('cdk.json'));
    expect(cdkJson.$schema).toBe(`./${CDK_JSON_SCHEMA_FILE}`);
    const catalog = cdkJsonSchema(products).properties?.context?.properties?.[CONFIG_CONTEXT_KEY];
    expect(Object.keys(catalog?.properties ?? {}).sort()).toEqual(
      expect.arrayContaining(Object.keys(cdkJson.context.catalog).sort()),
    );
    expect(catalog?.additionalProperties).toBe(false);
    const [byFolder] = (catalog?.properties?.products?.items?.allOf ?? []) as any[];
    expect(byFolder.if.properties.folder).toEqual({ const: 'hardened-eks' });
    const settings = byFolder.then.properties.settings;
    expect(Object.keys(settings.properties)).toEqual(
      expect.arrayContaining(Object.keys(cdkJson.context.catalog.products[0].settings)),
    );
    expect(settings.required).toEqual(['breakGlassRoleArns', 'corporateCidrs']);
    expect(settings.properties.maxNodes).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 10 });
    expect(settings.properties.endpointAccess).toMatchObject({ const: 'private' });
  });
});

describe('each default is documented with @default in the schema source, and agrees with the schema', () => {
  const sources = [
    'lib/config/catalog-config.ts',
    'lib/config/organization-config.ts',
    'products/hardened-eks/settings.ts',
  ];
  /** `/** @default <JSON> *\/` right before a property of a schema's shape. */
  const documented = sources.flatMap((file) =>
    [...read(file).matchAll(/\/\*\* @default (.+?) \*\/\n\s*(\w+):/g)].map(([, value, key]) => ({
      file,
      key,
      value: JSON.parse(value),
    })),
  );

  /** Each property with a default, with the value it takes when left out (an object's: its keys' defaults). */
  function defaults(schema: any, file: string): { file: string; key: string; value: unknown }[] {
    return Object.entries<any>(schema.properties ?? {}).flatMap(([key, property]) => {
      const nested = property.properties ? defaults(property, file) : [];
      if (property.default === undefined) return nested;
      const value =
        property.properties && JSON.stringify(property.default) === '{}'
          ? Object.fromEntries(
              Object.entries<any>(property.properties)
                .filter(([, p]) => p.default !== undefined)
                .map(([k, p]) => [k, p.default]),
            )
          : property.default;
      return [{ file, key, value }, ...nested];
    });
  }

  test('the JSDoc tags name exactly the defaults of the schemas', () => {
    const catalog = cdkJsonSchema(products).properties!.context!.properties![CONFIG_CONTEXT_KEY] as any;
    const settings = catalog.properties.products.items.allOf[0].then.properties.settings;
    const { organizationStack, ...catalogProperties } = catalog.properties;
    const expected = [
      ...defaults({ properties: catalogProperties }, sources[0]),
      ...defaults({ properties: { ...catalogProperties.products.items.properties } }, sources[0]),
      ...defaults(organizationStack, sources[1]),
      ...defaults(settings, sources[2]),
    ];
    const byKey = (a: { file: string; key: string }, b: { file: string; key: string }) =>
      `${a.file} ${a.key}`.localeCompare(`${b.file} ${b.key}`);
    expect(documented.sort(byKey)).toEqual(expected.sort(byKey));
    expect(documented.length).toBeGreaterThan(25);
  });
});
