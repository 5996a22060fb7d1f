import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CatalogStack } from '../../lib/catalog/catalog-stack';
import { loadProducts } from '../../lib/catalog/product-loader';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import { releasesMarkdown } from '../../lib/release/releases-report';
import {
  assessUpgrades,
  checkUpgrades,
  UpgradeSafetyError,
  type UpgradeAssessment,
} from '../../lib/release/upgrade-assessment';
import { removeTemporaryDirectories, tempDirectory } from '../catalog/catalog-helpers';
import { defaultConfig, projectContext, seedRetainedSnapshots } from '../support/project-app';
import { thrownError } from '../support/thrown-error';

/**
 * The release check as the app runs it after synth, on a home hub whose retained v1.0.0 snapshot was changed so that
 * updating to the current version replaces the cluster (accepted in release.json with a migration note) and
 * removes a KMS key (not accepted).
 */
const MIGRATION = 'Back up the workloads with Velero and restore them into the new cluster.';
let hub: CatalogStack;
let outdir: string;
let upgrades: UpgradeAssessment[];
let clusterId: string;

beforeAll(() => {
  outdir = tempDirectory('upgrade-');
  const snapshots = path.join(outdir, 'snapshots');
  seedRetainedSnapshots('hardened-eks', path.join(snapshots, 'hardened-eks'));
  const v100 = fs
    .readdirSync(path.join(snapshots, 'hardened-eks'))
    .find((f) => f.endsWith('.v1.0.0.product.template.json'))!;
  const file = path.join(snapshots, 'hardened-eks', v100);
  const old = JSON.parse(fs.readFileSync(file, 'utf8'));
  clusterId = Object.entries<any>(old.Resources).find(([, r]) => r.Type === 'AWS::EKS::Cluster')![0];
  old.Resources[clusterId].Properties.KubernetesNetworkConfig = {
    ...old.Resources[clusterId].Properties.KubernetesNetworkConfig,
    ServiceIpv4Cidr: '172.21.0.0/16',
  };
  old.Resources.FormerKey = {
    Type: 'AWS::KMS::Key',
    DeletionPolicy: 'Retain',
    Properties: { EnableKeyRotation: true },
  };
  fs.writeFileSync(file, JSON.stringify(old, null, 2));

  const config = defaultConfig();
  const [loaded] = loadProducts(config, undefined, (folder) => path.join(snapshots, folder));
  const accepting = {
    ...loaded,
    release: {
      ...loaded.release,
      current: { ...loaded.release.current, acceptedBreakingChanges: [{ resource: clusterId, migration: MIGRATION }] },
    },
  };
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const app = new App({ outdir, context });
  hub = new CatalogStack(app, 'HardenedEksCatalog', { config, products: [accepting] });
  app.synth();
  upgrades = assessUpgrades([hub], outdir);
});

afterAll(() => removeTemporaryDirectories());

const fromVersion = (name: string) => upgrades.find((u) => u.from === name)!;

test('the upgrades from v1.2.0 (the last release) and v1.1.0 replace and remove no stateful resource', () => {
  expect(upgrades.map((u) => u.from)).toEqual(['v1.2.0', 'v1.1.0', 'v1.0.0']);
  for (const from of ['v1.2.0', 'v1.1.0']) {
    expect({ from, breaking: fromVersion(from).diff.breaking, warnings: fromVersion(from).diff.warnings }).toEqual({
      from,
      breaking: [],
      warnings: [],
    });
  }
});

test('the upgrade from v1.0.0 finds the replaced cluster (accepted) and the removed key (not accepted)', () => {
  const upgrade = fromVersion('v1.0.0');
  expect([upgrade.from, upgrade.region]).toEqual(['v1.0.0', 'eu-west-1']);
  expect(upgrade.accepted).toEqual([
    {
      change: {
        logicalId: clusterId,
        resourceType: 'AWS::EKS::Cluster',
        impact: 'replaced',
        properties: ['KubernetesNetworkConfig'],
        addedInstead: [],
      },
      migration: MIGRATION,
    },
  ]);
  // addedInstead lists the keys the current version adds since v1.0.0: candidates for a renamed construct.
  expect(upgrade.unaccepted).toEqual([
    expect.objectContaining({
      logicalId: 'FormerKey',
      resourceType: 'AWS::KMS::Key',
      impact: 'removed',
      properties: [],
    }),
  ]);
});

test('the synth fails on the change nobody accepted, one line naming the upgrade, the resource and where to accept it', () => {
  const lines = thrownError(() => checkUpgrades(upgrades), UpgradeSafetyError).message.split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    new RegExp(
      `^Unsafe upgrade of hardened-eks from v1\\.0\\.0 to ${upgrades[0].to.replace(/\./g, '\\.')} \\(eu-west-1\\): ` +
        'AWS::KMS::Key FormerKey would be removed \\(its logical ID is gone[^)]*\\)+; ',
    ),
  );
  expect(lines[0]).toMatch(
    /keep the resource, or accept it in products\/hardened-eks\/release\.json current\.acceptedBreakingChanges \(\{ "resource": "FormerKey", "migration": "…" \}\)$/,
  );
});

test('accepting every breaking change lets the synth pass', () => {
  const accepted = upgrades.map((u) => ({
    ...u,
    accepted: [...u.accepted, ...u.unaccepted.map((change) => ({ change, migration: 'Re-encrypt with the new key.' }))],
    unaccepted: [],
  }));
  expect(() => checkUpgrades(accepted)).not.toThrow();
});

test('releases.md shows the accepted breaking change with its migration note, and the one that fails the synth', () => {
  const markdown = releasesMarkdown([hub], upgrades, outdir);
  const { diff } = fromVersion('v1.0.0');
  expect(markdown).toContain(
    `| v1.0.0 | eu-west-1 | ${diff.added} | ${diff.updated} | ${diff.replaced} | ${diff.removed} | 2 | 1 | 1 |`,
  );
  // A replaced cluster takes its node group along (its ClusterName changes): a warning.
  expect(markdown).toMatch(
    /Warnings:\n\n- from v1\.0\.0 \(eu-west-1\): AWS::EKS::Nodegroup \w+ would be replaced \(property ClusterName changes\)/,
  );
  expect(markdown).toContain(
    `- from v1.0.0 (eu-west-1): AWS::EKS::Cluster ${clusterId} would be replaced (property KubernetesNetworkConfig changes). Migration: ${MIGRATION}`,
  );
  expect(markdown).toContain(
    'Breaking changes not accepted (the synth fails):\n\n- from v1.0.0 (eu-west-1): AWS::KMS::Key FormerKey would be removed (its logical ID is gone',
  );
});
