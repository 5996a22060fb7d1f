import { CliIo, main } from '../../../nag-rules/cli/check';

/** Runs the CLI in-process in `cwd`; returns its exit code and what it printed. */
export function runCli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd };
  const code = main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
