// Writes what the configuration schemas document: the editors' JSON Schema of cdk.json and the README's tables of the
// catalog's keys and each product's settings (lib/config/config-docs.ts). test/config/config-docs.test.ts fails when
// either is stale.
import * as fs from 'fs';
import * as path from 'path';
import {
  CDK_JSON_SCHEMA_FILE,
  cdkJsonSchemaText,
  documentedProducts,
  readmeTables,
  withReadmeTables,
} from '../lib/config/config-docs';

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const products = documentedProducts(path.join(ROOT, 'products'));
fs.mkdirSync(path.dirname(path.join(ROOT, CDK_JSON_SCHEMA_FILE)), { recursive: true });
fs.writeFileSync(path.join(ROOT, CDK_JSON_SCHEMA_FILE), cdkJsonSchemaText(products));
fs.writeFileSync(README, withReadmeTables(fs.readFileSync(README, 'utf8'), readmeTables(products)));
console.log(`config-docs: wrote ${CDK_JSON_SCHEMA_FILE} and the README's configuration tables`);
