/**
 * Usage: npm run rules-md -- [--check]
 *
 * Writes nag-rules/RULES.md from the pack's rules (ALL_RULES) and the controls matrix (CONTROLS).
 * With --check, writes nothing and exits 1 when the file is missing or differs from what would be generated (CI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRulesMarkdown, RULES_MD_COMMAND } from '@hardened-eks/eks-threat-model/reports';

export const RULES_MD = path.join(__dirname, '..', 'nag-rules', 'RULES.md');

function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: npm run rules-md -- [--check]`);
    return 2;
  }
  const expected = renderRulesMarkdown();
  const relative = path.relative(process.cwd(), RULES_MD);
  if (argv.includes('--check')) {
    const current = fs.existsSync(RULES_MD) ? fs.readFileSync(RULES_MD, 'utf8') : undefined;
    if (current === expected) {
      console.log(`${relative} is up to date.`);
      return 0;
    }
    console.error(
      `${relative} is ${current === undefined ? 'missing' : 'stale'}: run \`${RULES_MD_COMMAND}\` and commit the result.`,
    );
    return 1;
  }
  fs.writeFileSync(RULES_MD, expected);
  console.log(`Wrote ${relative}.`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
