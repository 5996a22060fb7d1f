import * as fs from 'fs';
import * as path from 'path';
import { CatalogStack, PublishedProduct } from '../catalog/catalog-stack';
import { UpgradeAssessment } from './upgrade-assessment';
import { describeChange } from './upgrade-safety';

/**
 * `releases.md`: for each product, every version with its status, the snapshot each region's hub publishes it from,
 * and what changed. Paths are relative to `root` (the repository).
 */
export function releasesMarkdown(
  hubs: CatalogStack[],
  upgrades: UpgradeAssessment[],
  root: string = process.cwd(),
): string {
  const lines = ['# Releases', ''];
  hubs[0].products.forEach((home, index) => {
    const regional = hubs.map((hub) => hub.products[index]);
    lines.push(`## ${home.definition.productName} (\`products/${home.folder}\`)`, '');
    lines.push(
      `| version | status | ${hubs.map((h) => `${h.catalogRegion.region} snapshot`).join(' | ')} | what changed |`,
    );
    lines.push(`|---|---|${hubs.map(() => '---|').join('')}---|`);
    const { release } = home;
    const row = (name: string, status: string, description: string) =>
      `| ${name} | ${status} | ${regional.map((p) => snapshotCell(p, name, root)).join(' | ')} | ${cell(description)} |`;
    lines.push(row(release.current.name, 'current', release.current.description));
    for (const version of release.retained) lines.push(row(version.name, version.status, version.description));
    lines.push(
      '',
      ...upgradeSection(
        release.current.name,
        upgrades.filter((u) => u.product.folder === home.folder),
      ),
    );
  });
  lines.push(
    'Statuses: *current* is what consumers launch and update to; *active* can still be launched; *deprecated* can no',
    'longer be launched, but provisioned products on it can be updated; *inactive* can be neither launched nor updated to.',
    '',
  );
  return lines.join('\n');
}

export function writeReleasesReport(outdir: string, hubs: CatalogStack[], upgrades: UpgradeAssessment[]): string {
  const file = path.join(outdir, 'releases.md');
  fs.writeFileSync(file, releasesMarkdown(hubs, upgrades));
  return file;
}

/** The upgrade to the current version from each retained one: resource counts, breaking changes, warnings. */
function upgradeSection(current: string, upgrades: UpgradeAssessment[]): string[] {
  const lines = [`### Upgrades to ${current}`, ''];
  if (upgrades.length === 0) return [...lines, 'No retained version to upgrade from.', ''];
  lines.push(
    "Computed with @aws-cdk/cloudformation-diff from each retained version's snapshot to the current template. A stateful",
    'resource (cluster, KMS key, log group, bucket, repository, VPC, subnet, or one kept on deletion) that would be replaced or removed',
    'fails the synth unless release.json accepts it with a migration note; a replaced node group is a warning.',
    '',
  );
  lines.push(
    '| from | region | added | updated | replaced | removed | stateful replaced or removed | accepted | node-group warnings |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const u of upgrades) {
    const d = u.diff;
    lines.push(
      `| ${u.from} | ${u.region} | ${d.added} | ${d.updated} | ${d.replaced} | ${d.removed} | ${d.breaking.length} | ${u.accepted.length} | ${d.warnings.length} |`,
    );
  }
  lines.push('');
  const list = (title: string, items: string[]) => (items.length ? [title, '', ...items.map((i) => `- ${i}`), ''] : []);
  lines.push(
    ...list(
      'Accepted breaking changes:',
      upgrades.flatMap((u) =>
        u.accepted.map(
          ({ change, migration }) => `from ${u.from} (${u.region}): ${describeChange(change)}. Migration: ${migration}`,
        ),
      ),
    ),
  );
  lines.push(
    ...list(
      'Breaking changes not accepted (the synth fails):',
      upgrades.flatMap((u) => u.unaccepted.map((change) => `from ${u.from} (${u.region}): ${describeChange(change)}`)),
    ),
  );
  lines.push(
    ...list(
      'Warnings:',
      upgrades.flatMap((u) =>
        u.diff.warnings.map((change) => `from ${u.from} (${u.region}): ${describeChange(change)}`),
      ),
    ),
  );
  return lines;
}

function snapshotCell(product: PublishedProduct, version: string, root: string): string {
  const published = [...product.retained, product.current].find((v) => v.name === version);
  if (!published) return 'not offered (released before the region was added)';
  return `\`${path.relative(root, published.snapshotFile)}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
