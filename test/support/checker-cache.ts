import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Results of the external template checkers (cfn-lint, cfn-guard), kept by what determines them: the checker and its
 * version and options (`key`) and the template's bytes. The jest run and `npm run check-templates` judge the same
 * synthesized templates; with this each distinct template is checked once. The cache sits in node_modules/.cache
 * (gone with a fresh install); HARDENED_EKS_CHECKER_CACHE=off turns it off.
 */
export const CACHE_DIRECTORY = path.join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'hardened-eks-template-checks',
);

function enabled(): boolean {
  return process.env.HARDENED_EKS_CHECKER_CACHE !== 'off';
}

function entryFile(checker: string, key: readonly string[], content: Buffer): string {
  const digest = crypto.createHash('sha256').update(JSON.stringify(key)).update('\0').update(content).digest('hex');
  return path.join(CACHE_DIRECTORY, checker, `${digest}.json`);
}

/** The stored result for this checker, key and template content, if any. */
export function cachedResult<T>(checker: string, key: readonly string[], content: Buffer): T | undefined {
  if (!enabled()) return undefined;
  const file = entryFile(checker, key, content);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Stores a result (written whole, then renamed, so a concurrent reader never sees half a file). */
export function storeResult<T>(checker: string, key: readonly string[], content: Buffer, result: T): void {
  if (!enabled()) return;
  const file = entryFile(checker, key, content);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify(result));
  fs.renameSync(partial, file);
}

/** The stored result, or `run()`'s, stored. */
export function cachedCheck<T>(checker: string, key: readonly string[], content: Buffer, run: () => T): T {
  const known = cachedResult<T>(checker, key, content);
  if (known !== undefined) return known;
  const result = run();
  storeResult(checker, key, content, result);
  return result;
}
