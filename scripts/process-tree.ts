import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** What a command cost: wall time, exit status and the peak resident memory of its whole process tree. */
export interface MeasuredRun {
  readonly ms: number;
  readonly status: number | null;
  /** Peak of the summed RSS of the command and all its descendants, sampled every 100 ms; undefined without /proc. */
  readonly peakBytes?: number;
}

/** Summed RSS of a process and its descendants, from /proc (Linux). */
function treeRss(root: number): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  const pageSize = 4096;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start past the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * pageSize);
      const siblings = children.get(ppid);
      if (siblings) siblings.push(pid);
      else children.set(ppid, [pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs a command to its end (output discarded unless `inherit`), measuring it. */
export function measure(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean } = {},
): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.inherit ? 'inherit' : 'ignore',
    });
    let peak: number | undefined;
    const sample = () => {
      const now = child.pid === undefined ? undefined : treeRss(child.pid);
      if (now !== undefined) peak = Math.max(peak ?? 0, now);
    };
    const timer = setInterval(sample, 100);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', (status) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - start, status, peakBytes: peak });
    });
  });
}
