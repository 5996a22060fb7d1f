import { App } from 'aws-cdk-lib';
import { HardenedEksClusterStack, ProvisionedClusterSettings } from '../lib/hardened-eks-cluster-stack';

/** A mistake in the context: reported as one line naming the field. */
class SettingsError extends Error {}

const app = new App();
try {
  new HardenedEksClusterStack(app, 'TeamHardenedEksCluster', {
    cluster: readSettings(app.node.tryGetContext('provisionedProduct')),
  });
  app.synth();
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}

/** The `provisionedProduct` context, checked field by field. */
function readSettings(raw: unknown): ProvisionedClusterSettings {
  const field = 'provisionedProduct';
  if (typeof raw !== 'object' || raw === null)
    throw new SettingsError(`Invalid context at '${field}': add it to cdk.json (see README)`);
  const o = raw as Record<string, unknown>;
  const text = (key: string, pattern: RegExp, rule: string) => {
    const value = o[key];
    if (typeof value !== 'string' || !pattern.test(value))
      throw new SettingsError(`Invalid context at '${field}.${key}': ${rule}`);
    return value;
  };
  const map = (key: string) => {
    const value = o[key] ?? {};
    if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string')) {
      throw new SettingsError(`Invalid context at '${field}.${key}': must map names to string values`);
    }
    return value as Record<string, string>;
  };
  return {
    name: text(
      'name',
      /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/,
      'must be a provisioned product name (letters, digits, . _ -)',
    ),
    product: text('product', /^.{1,8191}$/, "must be the product's name"),
    version: text('version', /^v\d+\.\d+\.\d+$/, 'must be a product version like v1.2.3'),
    parameters: map('parameters'),
    tags: map('tags'),
  };
}
