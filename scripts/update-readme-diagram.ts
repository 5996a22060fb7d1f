/**
 * Usage: npx cdk synth --quiet && npm run readme-diagram
 *
 * Copies the shipped product's security view (the Mermaid diagram of cdk.out/security-views/<product>/data-flow.md,
 * written by the last synth) into README.md, between the security-view markers. A test fails when the README's
 * diagram no longer has the product's components and flows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_FLOW_MD, PRODUCT_VIEWS_FOLDER } from '@hardened-eks/eks-threat-model/reports';

const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const BEGIN = '<!-- security-view:begin (npm run readme-diagram) -->';
export const END = '<!-- security-view:end -->';

/** The first Mermaid block of a Markdown text. */
export function mermaidBlock(markdown: string): string | undefined {
  return /^```mermaid\n([\s\S]*?)^```$/m.exec(markdown)?.[1];
}

function main(argv: readonly string[]): number {
  const outdir = path.resolve(argv[0] ?? path.join(ROOT, 'cdk.out'));
  const views = path.join(outdir, PRODUCT_VIEWS_FOLDER);
  const product = fs.existsSync(views)
    ? fs.readdirSync(views).find((name) => name.includes('HardenedEksProduct'))
    : undefined;
  if (!product) {
    console.error(
      `readme-diagram: no security view of the hardened-eks product in ${views}; run \`npx cdk synth --quiet\` first`,
    );
    return 2;
  }
  const mermaid = mermaidBlock(fs.readFileSync(path.join(views, product, DATA_FLOW_MD), 'utf8'));
  const readme = fs.readFileSync(README, 'utf8');
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (mermaid === undefined || begin < 0 || end < begin) {
    console.error(
      `readme-diagram: ${mermaid === undefined ? 'no Mermaid block in the security view' : `README.md lacks the markers ${BEGIN} … ${END}`}`,
    );
    return 2;
  }
  fs.writeFileSync(
    README,
    `${readme.slice(0, begin + BEGIN.length)}\n\`\`\`mermaid\n${mermaid}\`\`\`\n${readme.slice(end)}`,
  );
  console.log(`Wrote the security view of ${product} into README.md.`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
