/**
 * Usage: npm run check-templates (or npx tsx scripts/check-templates.ts [cdk.out])
 *
 * Runs cfn-lint and the bundled Control Tower guard rules on every synthesized template (hubs, products,
 * organization, launch-role and account-baseline stacks). Exits 1 on cfn-lint errors or unacknowledged guard findings,
 * 2 when there is nothing to check. Acknowledgements: nag-rules/guard-acknowledgements.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type GuardFinding,
  runCfnLint,
  runControlTowerGuardOnEach,
  synthesizedTemplates,
} from '../test/support/template-checkers';

interface Acknowledgement {
  rule: string;
  logicalId?: string;
  reason: string;
}

// GUARD_ACKNOWLEDGEMENTS overrides the file (used to exercise the script without touching the real one).
const ACK_FILE =
  process.env.GUARD_ACKNOWLEDGEMENTS ?? path.join(__dirname, '..', 'nag-rules', 'guard-acknowledgements.json');

function loadAcknowledgements(): Acknowledgement[] {
  if (!fs.existsSync(ACK_FILE)) return [];
  const entries: unknown = JSON.parse(fs.readFileSync(ACK_FILE, 'utf8'));
  if (!Array.isArray(entries)) throw new Error(`${ACK_FILE} must contain a JSON array`);
  entries.forEach((e, i) => {
    const ok =
      e &&
      typeof e === 'object' &&
      typeof e.rule === 'string' &&
      e.rule.trim() &&
      typeof e.reason === 'string' &&
      e.reason.trim() &&
      (e.logicalId === undefined || typeof e.logicalId === 'string');
    if (!ok) throw new Error(`${ACK_FILE} entry ${i} ${JSON.stringify(e)} needs a non-empty "rule" and "reason"`);
  });
  return entries as Acknowledgement[];
}

function acknowledgementFor(f: GuardFinding, acks: Acknowledgement[]): Acknowledgement | undefined {
  return acks.find(
    (a) =>
      (a.rule === f.ruleName || a.rule === f.controlId) && (a.logicalId === undefined || a.logicalId === f.logicalId),
  );
}

async function main(): Promise<number> {
  const outdir = process.argv[2] ?? 'cdk.out';
  const templates = fs.existsSync(outdir) ? synthesizedTemplates(outdir) : [];
  if (templates.length === 0) {
    console.error(`No synthesized templates (*.template.json) in ${outdir}; run \`npm run synth\` first.`);
    return 2;
  }

  let acks: Acknowledgement[];
  try {
    acks = loadAcknowledgements();
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const usedAcks = new Set<Acknowledgement>();
  // The guard runs (tens of seconds on a product template) go on in the background, on every core, while cfn-lint runs.
  const guarded = runControlTowerGuardOnEach(templates);
  const lint = runCfnLint(templates);
  const guardFindings = await guarded;
  let failed = false;

  for (const [index, template] of templates.entries()) {
    console.log(`\n${template}`);
    const mine = lint.filter((f) => path.resolve(f.file) === path.resolve(template));
    const errors = mine.filter((f) => f.level === 'error');
    const warnings = mine.filter((f) => f.level === 'warning');
    const warningRules = [...new Set(warnings.map((w) => w.rule))].map(
      (r) => `${r}×${warnings.filter((w) => w.rule === r).length}`,
    );
    console.log(
      `  cfn-lint: ${errors.length} error(s), ${warnings.length} warning(s)${warningRules.length ? ` [${warningRules.join(', ')}]` : ''}`,
    );
    for (const e of errors) console.log(`    ${e.rule} ${e.path}: ${e.message}`);
    if (errors.length) failed = true;

    const findings = guardFindings[index];
    const open = findings.filter((f) => !acknowledgementFor(f, acks));
    console.log(`  guard: ${findings.length} finding(s), ${open.length} unacknowledged`);
    for (const f of findings) {
      const ack = acknowledgementFor(f, acks);
      const label = `${f.controlId ?? '-'} ${f.ruleName} ${f.logicalId ?? '(template)'}`;
      if (ack) {
        usedAcks.add(ack);
        console.log(`    ack   ${label}: ${ack.reason}`);
      } else {
        console.log(`    FAIL  ${label}: ${f.message}`);
      }
    }
    if (open.length) failed = true;
  }

  for (const a of acks.filter((a) => !usedAcks.has(a))) {
    console.log(`\nnote: acknowledgement ${JSON.stringify(a)} matched no finding`);
  }
  console.log(failed ? '\nTemplate checks FAILED' : '\nTemplate checks passed');
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
