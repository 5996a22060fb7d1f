/**
 * The `eks-threat-model check` command measured from outside, next to cfn-guard with the Control Tower rules on the
 * same template (part of `npm run benchmark`; `-- --cli-only` runs only this). Nothing here asserts a time.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { controlTowerGuardCommand } from '../test/support/template-checkers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'nag-rules', 'dist', 'bin', 'eks-threat-model.js');

/** The compiled package's entry point (`npm run build`). */
const PACKAGE_ENTRY = path.join(ROOT, 'nag-rules', 'dist', 'index.js');

/** Evaluations before the timed ones: the first load the CEL engine and compile the rules' code. */
export const EVALUATION_WARM_UPS = 30;

/** Times the compiled package's evaluateTemplate on a template (argv: file, times); prints ms per template. */
const COMPILED_EVALUATE = `
const fs = require('fs');
const { ALL_RULES, evaluateTemplate } = require(${JSON.stringify(PACKAGE_ENTRY)});
const [file, times] = process.argv.slice(1);
const template = JSON.parse(fs.readFileSync(file, 'utf8'));
for (let i = 0; i < ${EVALUATION_WARM_UPS}; i++) evaluateTemplate(template, ALL_RULES);
const start = performance.now();
for (let i = 0; i < Number(times); i++) evaluateTemplate(template, ALL_RULES);
console.log((performance.now() - start) / Number(times));
`;

let built = false;

/** Builds the package (`npm run build`: nag-rules/dist), once per benchmark run; returns its compiled entry point. */
export function buildPackage(): string {
  if (!built) {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the package does not build:\n${build.stdout}${build.stderr}`);
    built = true;
  }
  return PACKAGE_ENTRY;
}

interface Timed {
  readonly wallS: number;
  /** CPU seconds of the child (user + system), from /proc: what the run cost whatever else the machine did. */
  readonly cpuS?: number;
  readonly status: number | null;
}

/** CPU seconds of this process's waited-for children (Linux /proc; clock ticks of 1/100 s). */
function childrenCpuSeconds(): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of stat(5), 14 and 15 after the name and state.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function timed(command: string, args: string[], cwd: string): Timed {
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const run = spawnSync(command, args, { cwd, stdio: 'ignore' });
  const wallS = (performance.now() - start) / 1000;
  if (run.error) throw run.error;
  const cpuAfter = childrenCpuSeconds();
  return {
    wallS,
    status: run.status,
    ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuS: cpuAfter - cpuBefore } : {}),
  };
}

function median(runs: Timed[]): Timed {
  const sorted = [...runs].sort((a, b) => a.wallS - b.wallS);
  return sorted[Math.floor(sorted.length / 2)];
}

const seconds = (s: number | undefined): string => (s === undefined ? 'n/a' : s.toFixed(2));

/**
 * Builds the package (the command runs compiled), then measures on `templateFile`: a bare node reading and parsing it,
 * the command's cold start on it (median of `coldRuns`), its throughput on `copies` copies in one directory with every
 * core and with one (medians of three), and cfn-guard with every Control Tower rule once. Returns the table, ratios to
 * cfn-guard included.
 */
export function benchmarkCli(templateFile: string, options: { coldRuns?: number; copies?: number } = {}): string {
  const coldRuns = options.coldRuns ?? 5;
  const copies = options.copies ?? 200;
  buildPackage();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-benchmark-'));
  try {
    const template = path.join(work, 'product.template.json');
    fs.copyFileSync(templateFile, template);
    const many = path.join(work, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < copies; i++) fs.copyFileSync(template, path.join(many, `product-${i}.template.json`));
    const resources = Object.keys(JSON.parse(fs.readFileSync(template, 'utf8')).Resources).length;

    const parse = median(
      Array.from({ length: coldRuns }, () =>
        timed(
          process.execPath,
          ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(template)}, 'utf8'))`],
          work,
        ),
      ),
    );
    const cold = median(
      Array.from({ length: coldRuns }, () => timed(process.execPath, [CLI, 'check', template], work)),
    );
    const cores = os.availableParallelism();
    // Runs over many templates: the median of three, as a shared machine moves single runs by a tenth.
    const parallel = median(Array.from({ length: 3 }, () => timed(process.execPath, [CLI, 'check', many], work)));
    const single = median(
      Array.from({ length: 3 }, () => timed(process.execPath, [CLI, 'check', many, '--jobs', '1'], work)),
    );
    const compiledEvaluate = spawnSync(process.execPath, ['-e', COMPILED_EVALUATE, template, String(copies)], {
      cwd: work,
      encoding: 'utf8',
    });
    const compiledMs = Number(compiledEvaluate.stdout.trim());
    const guardCommand = controlTowerGuardCommand(template);
    const guard = timed(guardCommand.command, guardCommand.args, work);

    const perSecond = (run: Timed, templates: number) => templates / run.wallS;
    const rows: [string, Timed, number][] = [
      ['node: read and parse the template (reference)', parse, 1],
      ['eks-threat-model check, 1 template (cold start)', cold, 1],
      [`eks-threat-model check, ${copies} templates, ${cores} thread(s)`, parallel, copies],
      [`eks-threat-model check, ${copies} templates, --jobs 1`, single, copies],
      ['cfn-guard + Control Tower rules, 1 template', guard, 1],
    ];
    const table = [
      ['run', 'wall s', 'CPU s', 'templates/s', 'x cfn-guard (templates/s)', 'exit'],
      ...rows.map(([label, run, templates]) => [
        label,
        seconds(run.wallS),
        seconds(run.cpuS),
        perSecond(run, templates).toFixed(1),
        run === parse ? '-' : (perSecond(run, templates) / perSecond(guard, 1)).toFixed(1),
        String(run.status),
      ]),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    return [
      `The eks-threat-model command (compiled) on the product template (${resources} resources), from outside; cold start the median of ${coldRuns} runs, ${copies} templates the median of 3` +
        ` (${cores} cores, load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})\n`,
      table.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n'),
      `\nCold start: ${seconds(cold.wallS)} s, ${(guard.wallS / cold.wallS).toFixed(0)}x faster than cfn-guard with the Control Tower rules ` +
        `(${seconds(guard.wallS)} s); throughput on ${cores} core(s): ${perSecond(parallel, copies).toFixed(1)} templates/s` +
        ` (CPU ${cold.cpuS === undefined || parallel.cpuS === undefined ? 'n/a' : `${((parallel.cpuS / copies) * 1000).toFixed(0)} ms`} per template).`,
      `evaluateTemplate of the compiled package (what an installed package and the command run), ${copies} times in a fresh ` +
        `process after a warm-up: ${Number.isFinite(compiledMs) ? `${compiledMs.toFixed(2)} ms per template, ${(1000 / compiledMs).toFixed(1)} templates/s` : `n/a (${compiledEvaluate.stderr.trim()})`}.`,
    ].join('\n');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
