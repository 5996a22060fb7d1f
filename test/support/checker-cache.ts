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

/** How long a claim on an entry holds before it counts as abandoned (its process died): longer than any check runs. */
const CLAIM_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 100;

/**
 * Claims the entry for this checker, key and content: true when this process is to compute it. While another process
 * holds a fresh claim (it is computing the same check: `npm test` runs the template checks beside jest), false.
 */
export function claimEntry(checker: string, key: readonly string[], content: Buffer): boolean {
  if (!enabled()) return true;
  const claim = `${entryFile(checker, key, content)}.claim`;
  fs.mkdirSync(path.dirname(claim), { recursive: true });
  try {
    fs.writeFileSync(claim, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const age = Date.now() - (fs.statSync(claim, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age < CLAIM_TIMEOUT_MS) return false;
    fs.rmSync(claim, { force: true });
    return claimEntry(checker, key, content);
  }
}

/** Gives up this process's claim on an entry (stored or failed). */
export function releaseEntry(checker: string, key: readonly string[], content: Buffer): void {
  if (enabled()) fs.rmSync(`${entryFile(checker, key, content)}.claim`, { force: true });
}

/** Whether another process still holds a fresh claim on the entry. */
function claimed(checker: string, key: readonly string[], content: Buffer): boolean {
  const claim = fs.statSync(`${entryFile(checker, key, content)}.claim`, { throwIfNoEntry: false });
  return claim !== undefined && Date.now() - claim.mtimeMs < CLAIM_TIMEOUT_MS;
}

/**
 * The stored result, or `run()`'s, stored. When another process is computing the same entry, waits for its result
 * (or for its claim to go without one, then computes it here).
 */
export function cachedCheck<T>(checker: string, key: readonly string[], content: Buffer, run: () => T): T {
  const known = cachedResult<T>(checker, key, content);
  if (known !== undefined) return known;
  if (!claimEntry(checker, key, content)) {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (claimed(checker, key, content)) Atomics.wait(pause, 0, 0, POLL_MS);
    return cachedCheck(checker, key, content, run);
  }
  try {
    const result = run();
    storeResult(checker, key, content, result);
    return result;
  } finally {
    releaseEntry(checker, key, content);
  }
}

/** `cachedCheck` for an asynchronous check: waits without blocking while another process computes the entry. */
export async function cachedCheckAsync<T>(
  checker: string,
  key: readonly string[],
  content: Buffer,
  run: () => Promise<T>,
): Promise<T> {
  const known = cachedResult<T>(checker, key, content);
  if (known !== undefined) return known;
  if (!claimEntry(checker, key, content)) {
    while (claimed(checker, key, content)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return cachedCheckAsync(checker, key, content, run);
  }
  try {
    const result = await run();
    storeResult(checker, key, content, result);
    return result;
  } finally {
    releaseEntry(checker, key, content);
  }
}
