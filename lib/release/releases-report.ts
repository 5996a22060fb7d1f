import * as fs from 'fs';
import * as path from 'path';
import { CatalogStack, PublishedProduct } from '../catalog/catalog-stack';

/**
 * `releases.md`: for each product, every version with its status, the snapshot each region's hub publishes it from,
 * and what changed. Paths are relative to `root` (the repository).
 */
export function releasesMarkdown(hubs: CatalogStack[], root: string = process.cwd()): string {
  const lines = ['# Releases', ''];
  hubs[0].products.forEach((home, index) => {
    const regional = hubs.map((hub) => hub.products[index]);
    lines.push(`## ${home.definition.productName} (\`products/${home.folder}\`)`, '');
    lines.push(`| version | status | ${hubs.map((h) => `${h.catalogRegion.region} snapshot`).join(' | ')} | what changed |`);
    lines.push(`|---|---|${hubs.map(() => '---|').join('')}---|`);
    const { release } = home;
    const row = (name: string, status: string, description: string) =>
      `| ${name} | ${status} | ${regional.map((p) => snapshotCell(p, name, root)).join(' | ')} | ${cell(description)} |`;
    lines.push(row(release.current.name, 'current', release.current.description));
    for (const version of [...release.retained].reverse()) lines.push(row(version.name, version.status, version.description));
    lines.push('');
  });
  lines.push('Statuses: *current* is what consumers launch and update to; *active* can still be launched; *deprecated* can no',
    'longer be launched, but provisioned products on it can be updated; *inactive* can be neither launched nor updated to.', '');
  return lines.join('\n');
}

export function writeReleasesReport(outdir: string, hubs: CatalogStack[]): string {
  const file = path.join(outdir, 'releases.md');
  fs.writeFileSync(file, releasesMarkdown(hubs));
  return file;
}

function snapshotCell(product: PublishedProduct, version: string, root: string): string {
  const published = [...product.retained, product.current].find((v) => v.name === version);
  if (!published) return 'not offered (released before the region was added)';
  return `\`${path.relative(root, published.snapshotFile)}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
