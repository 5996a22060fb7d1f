import * as os from 'os';
import * as path from 'path';
import { expandInputs } from './inputs';
import { parseCheckOptions } from './options';
import { WorkerPool } from './worker-pool';

/** The worker threads' module: beside this one, compiled (.js) or, in this repository's tests, the source (.ts). */
export const CHECK_WORKER = path.join(__dirname, `check-worker${path.extname(__filename)}`);

/** How many threads judge `inputs` templates with `--jobs` (default: the machine's cores): one per template at most. */
export function checkThreads(jobs: number | undefined, inputs: number): number {
  return Math.max(1, Math.min(jobs ?? os.availableParallelism(), inputs));
}

/**
 * The worker threads a `check` command line will use, started before the pack loads in this thread so that they load
 * it at the same time; undefined when the run uses one thread or the command line is not a valid check (the command
 * then says why). This module loads no rule.
 */
export function startCheckWorkers(argv: readonly string[], cwd: string): WorkerPool | undefined {
  if (argv[0] !== 'check') return undefined;
  let options: ReturnType<typeof parseCheckOptions>;
  try {
    options = parseCheckOptions(argv.slice(1));
  } catch {
    return undefined;
  }
  if (options === 'help') return undefined;
  const threads = checkThreads(options.jobs, expandInputs(options.files, cwd).inputs.length);
  return threads > 1 ? new WorkerPool(CHECK_WORKER, threads - 1) : undefined;
}
