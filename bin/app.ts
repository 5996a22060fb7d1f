import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CatalogStack } from '../lib/catalog/catalog-stack';
import { CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../lib/config/catalog-config';
import { ConfigError } from '../lib/config/validation';

const app = new App();
try {
  const config = parseCatalogConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY));
  const catalog = new CatalogStack(app, 'HardenedEksCatalog', {
    config,
    description: 'Service Catalog portfolio of hardened Amazon EKS products',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  writeOrganizationGuardrails(app.outdir, catalog);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

/** Policies the products ask the organization's management account to apply (e.g. the admin-API SCP). */
function writeOrganizationGuardrails(outdir: string, catalog: CatalogStack): void {
  const dir = path.join(outdir, 'organization');
  fs.mkdirSync(dir, { recursive: true });
  for (const { definition, settings, folder } of catalog.products) {
    for (const [name, document] of Object.entries(definition.organizationPolicies?.(settings) ?? {})) {
      fs.writeFileSync(path.join(dir, `${folder}.${name}`), `${JSON.stringify(document, null, 2)}\n`);
    }
  }
}
