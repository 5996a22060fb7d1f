import * as os from 'os';
import * as path from 'path';
import { ExpandedInputs, expandInputs } from './inputs';
import { parseCheckOptions } from './options';
import { WorkerPool } from './worker-pool';

/** The worker threads' module: beside this one, compiled (.js) or, in this repository's tests, the source (.ts). */
export const CHECK_WORKER = path.join(__dirname, `check-worker${path.extname(__filename)}`);

/** How many threads judge `inputs` templates with `--jobs` (default: the machine's cores): one per template at most. */
export function checkThreads(jobs: number | undefined, inputs: number): number {
  return Math.max(1, Math.min(jobs ?? os.availableParallelism(), inputs));
}

/** A `check` command line read before the pack loads: its template files, and the worker threads that will judge them. */
export interface StartedCheck {
  readonly expanded: ExpandedInputs;
  /** Absent when the run uses one thread. */
  readonly pool?: WorkerPool;
}

/**
 * Reads a `check` command line's files and starts the worker threads it will use, before the pack loads in this thread
 * so that they load it at the same time; undefined when the command line is not a valid check (the command then says
 * why). The command then judges these files: the file system is read once. This module loads no rule.
 */
export function startCheck(argv: readonly string[], cwd: string): StartedCheck | undefined {
  if (argv[0] !== 'check') return undefined;
  let options: ReturnType<typeof parseCheckOptions>;
  try {
    options = parseCheckOptions(argv.slice(1));
  } catch {
    return undefined;
  }
  if (options === 'help') return undefined;
  const expanded = expandInputs(options.files, cwd);
  const threads = checkThreads(options.jobs, expanded.inputs.length);
  return threads > 1 ? { expanded, pool: new WorkerPool(CHECK_WORKER, threads - 1) } : { expanded };
}
