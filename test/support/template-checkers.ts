import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cachedCheck, cachedCheckAsync, cachedResult, storeResult } from './checker-cache';
import { pythonTool, pythonToolsVersion } from './python-tools';

export interface GuardFinding {
  ruleFile: string;
  ruleName: string;
  controlId?: string;
  logicalId?: string;
  message: string;
}

export interface LintFinding {
  level: 'error' | 'warning' | 'informational';
  rule: string;
  message: string;
  path: string;
  file: string;
}

const CFNGUARD_PKG = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const CT_RULES_DIR = path.join(CFNGUARD_PKG, 'rules', 'control-tower', 'cfn-guard');
const CT_METADATA_DIR = path.join(CFNGUARD_PKG, 'rules', 'control-tower', 'metadata');

/** Same os/arch directory choice as the package's CfnGuardValidator. */
function guardBinary(): string {
  const platform = ({ linux: 'ubuntu', darwin: 'macos' } as Record<string, string>)[os.platform()];
  const arch = ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[os.arch()];
  if (!platform || !arch) throw new Error(`cfn-guard is not bundled for ${os.platform()}/${os.arch()}`);
  return path.join(CFNGUARD_PKG, 'bin', platform, arch, 'cfn-guard');
}

/** cfn-guard's arguments to validate a template against rule files or folders, with structured JSON output. */
function guardArguments(ruleArgs: readonly string[], templatePath: string): string[] {
  return [
    'validate',
    ...ruleArgs.flatMap((r) => ['--rules', r]),
    '--data',
    templatePath,
    '--output-format',
    'json',
    '--show-summary',
    'none',
    '--structured',
  ];
}

/**
 * The command line of cfn-guard with every bundled Control Tower rule on a template (the checks give it only the rule
 * files that can apply to the template, with the same findings).
 */
export function controlTowerGuardCommand(templatePath: string): { command: string; args: string[] } {
  return { command: guardBinary(), args: guardArguments([CT_RULES_DIR], templatePath) };
}

/** Control Tower guard findings of a template with every bundled rule file given to cfn-guard (uncached). */
export function runControlTowerGuardWithEveryRule(templatePath: string): GuardFinding[] {
  return runGuard(templatePath, [CT_RULES_DIR]);
}

interface RuleInfo {
  file: string;
  relFile: string;
  stem: string;
  ruleName: string;
  controlId?: string;
  /** The resource types the file's rules select (`AWS::S3::Bucket`…). */
  resourceTypes: string[];
}

let ruleIndex: RuleInfo[] | undefined;

/**
 * Guard's output names only the rule, not the file it came from, so map each bundled
 * file's primary rule (the one with a `when` guard; helper rules are parameterized) to its file
 * and to the CT id from the sibling metadata file.
 */
function controlTowerRules(): RuleInfo[] {
  ruleIndex ??= fs
    .readdirSync(CT_RULES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.guard'))
    .sort()
    .map((relFile) => {
      const file = path.join(CT_RULES_DIR, relFile);
      const stem = path.basename(relFile, '.guard');
      const text = fs.readFileSync(file, 'utf8');
      const ruleName = /^rule\s+(\w+)\s+when\b/m.exec(text)?.[1] ?? stem;
      const resourceTypes = [...new Set(text.match(/\bAWS::\w+::\w+\b/g) ?? [])];
      const metadataFile = path.join(CT_METADATA_DIR, path.dirname(relFile), `${stem}.metadata.json`);
      const controlId: string | undefined = fs.existsSync(metadataFile)
        ? JSON.parse(fs.readFileSync(metadataFile, 'utf8')).Id
        : undefined;
      return { file, relFile, stem, ruleName, controlId, resourceTypes };
    });
  return ruleIndex;
}

/** Collects logical ids of traversed template paths and the first custom message in a guard result subtree. */
function scanChecks(
  node: unknown,
  found: { logicalIds: Set<string>; customMessage?: string; errorMessage?: string },
): void {
  if (Array.isArray(node)) {
    node.forEach((n) => {
      scanChecks(n, found);
    });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  // A traversed node ({ path, value }): its value is template data, so don't descend into it.
  if (typeof obj.path === 'string' && 'value' in obj) {
    const id = /^\/Resources\/([^/]+)/.exec(obj.path)?.[1];
    if (id) found.logicalIds.add(id);
    return;
  }
  const messages = obj.messages as { custom_message?: string | null; error_message?: string | null } | undefined;
  if (messages?.custom_message?.trim()) found.customMessage ??= messages.custom_message;
  if (messages?.error_message?.trim()) found.errorMessage ??= messages.error_message;
  Object.values(obj).forEach((v) => {
    scanChecks(v, found);
  });
}

/** Description line of a Control Tower style "[CT.X]: description\n[FIX]: ..." message. */
function describe(customMessage: string): { controlId?: string; description: string } {
  const line =
    customMessage
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('[FIX]')) ?? customMessage.trim();
  const m = /^\[(CT\.[^\]]+)\]:\s*(.*)$/.exec(line);
  return m ? { controlId: m[1], description: m[2] } : { description: line };
}

/**
 * Control Tower guard findings of a template. cfn-guard with every bundled rule takes tens of seconds on a product
 * template, and the tests and `check-templates` judge the same templates: results are kept by the template's content,
 * the options and the package's version (test/support/checker-cache.ts), so each distinct template is judged once.
 */
export function runControlTowerGuard(templatePath: string, opts: { disabledRules?: string[] } = {}): GuardFinding[] {
  const content = fs.readFileSync(templatePath);
  return cachedCheck('cfn-guard', [guardVersion(), ...(opts.disabledRules ?? []).sort()], content, () => {
    const ruleArgs = enabledRuleArguments(controlTowerRules(), opts, content);
    return ruleArgs.length ? runGuard(templatePath, ruleArgs) : [];
  });
}

function guardVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(CFNGUARD_PKG, 'package.json'), 'utf8')).version;
}

/** cfn-guard's findings on a template with these rule files or folders (uncached). */
function runGuard(templatePath: string, ruleArgs: readonly string[]): GuardFinding[] {
  const proc = spawnSync(guardBinary(), guardArguments(ruleArgs, templatePath), {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (proc.error) throw proc.error;
  return guardFindings(templatePath, controlTowerRules(), proc.status, proc.stdout, proc.stderr);
}

/**
 * Control Tower guard findings of several templates, each as `runControlTowerGuard` gives them.
 * The templates not in the cache are checked `concurrency` at a time (one another process is checking already is
 * waited for); cfn-guard writes into files rather than pipes, so a caller that blocks meanwhile (a cfn-lint run, say)
 * does not stall them.
 */
export async function runControlTowerGuardOnEach(
  templatePaths: readonly string[],
  concurrency = os.availableParallelism(),
): Promise<GuardFinding[][]> {
  const key = [guardVersion()];
  const contents = templatePaths.map((file) => fs.readFileSync(file));
  const results = contents.map((content) => cachedResult<GuardFinding[]>('cfn-guard', key, content));
  const missing = templatePaths.map((_, i) => i).filter((i) => results[i] === undefined);
  const rules = controlTowerRules();
  const outputs = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-guard-'));
  const checkNext = async (): Promise<void> => {
    for (let i = missing.shift(); i !== undefined; i = missing.shift()) {
      const [stdout, stderr] = ['out', 'err'].map((stream) => path.join(outputs, `${i}.${stream}`));
      results[i] = await cachedCheckAsync('cfn-guard', key, contents[i], async () => {
        const ruleArgs = enabledRuleArguments(rules, {}, contents[i]);
        if (ruleArgs.length === 0) return [];
        const status = await runIntoFiles(guardBinary(), guardArguments(ruleArgs, templatePaths[i]), stdout, stderr);
        return guardFindings(
          templatePaths[i],
          rules,
          status,
          fs.readFileSync(stdout, 'utf8'),
          fs.readFileSync(stderr, 'utf8'),
        );
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, checkNext));
  } finally {
    fs.rmSync(outputs, { recursive: true, force: true });
  }
  return results as GuardFinding[][];
}

/** Runs a command with its standard output and error written into files; resolves with its exit status. */
function runIntoFiles(command: string, args: string[], stdout: string, stderr: string): Promise<number | null> {
  const out = fs.openSync(stdout, 'w');
  const err = fs.openSync(stderr, 'w');
  return new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', out, err] });
    child.on('error', reject);
    child.on('close', (status) => resolve(status));
  }).finally(() => {
    fs.closeSync(out);
    fs.closeSync(err);
  });
}

/** The rule files to give cfn-guard for a template (its content): those `opts` leaves enabled that can apply to it. */
function enabledRuleArguments(rules: RuleInfo[], opts: { disabledRules?: string[] }, template: Buffer): string[] {
  const disabled = new Set(opts.disabledRules ?? []);
  const types = templateResourceTypes(template);
  return rules
    .filter((r) => ![r.stem, r.ruleName, r.controlId].some((k) => k && disabled.has(k)))
    .filter((r) => appliesToTemplate(r, types))
    .map((r) => r.file);
}

/**
 * Whether a Control Tower rule file can judge a template with these resource types. Each of its rules applies only
 * `when %<the template's resources of its type> not empty` (or to a CloudFormation hook's document of its type), so a
 * file whose types the template lacks can only skip: cfn-guard is given the others alone, a third of the files for the
 * product template and a third of the time, with the same findings (test/support/template-checkers.test.ts compares
 * both). A file that names no type is always given; so is every file for a template that cannot be read.
 */
function appliesToTemplate(rule: RuleInfo, types: Set<string> | undefined): boolean {
  return types === undefined || rule.resourceTypes.length === 0 || rule.resourceTypes.some((t) => types.has(t));
}

/** The resource types of a JSON template's content, or undefined when it cannot be read as one. */
function templateResourceTypes(content: Buffer): Set<string> | undefined {
  try {
    const template = JSON.parse(content.toString('utf8'));
    if (!template || typeof template.Resources !== 'object' || template.Resources === null) return undefined;
    return new Set(
      Object.values<any>(template.Resources)
        .map((r) => r?.Type)
        .filter((t) => typeof t === 'string'),
    );
  } catch {
    return undefined;
  }
}

/** The findings in cfn-guard's structured output for one template. */
function guardFindings(
  templatePath: string,
  rules: RuleInfo[],
  status: number | null,
  stdout: string,
  stderr: string,
): GuardFinding[] {
  // 0 = compliant, 19 = non-compliant; the package's plugin also accepts 5.
  if (![0, 5, 19].includes(status ?? -1)) {
    throw new Error(`cfn-guard exited with ${status} on ${templatePath}:\n${stderr}`);
  }
  let results: Array<{
    not_compliant?: Record<string, { Rule?: { name: string } }> | Array<{ Rule?: { name: string } }>;
  }>;
  try {
    results = JSON.parse(stdout);
    if (!Array.isArray(results)) throw new Error('expected a JSON array');
  } catch (e) {
    throw new Error(`cfn-guard output for ${templatePath} is not parsable (${e}):\n${stdout}\n${stderr}`);
  }

  const byName = new Map(rules.map((r) => [r.ruleName, r]));
  const findings: GuardFinding[] = [];
  for (const result of results) {
    // not_compliant is an empty object rather than an array when there is nothing to report.
    for (const { Rule: rule } of Object.values(result.not_compliant ?? {})) {
      if (!rule) continue;
      const found = { logicalIds: new Set<string>() } as Parameters<typeof scanChecks>[1];
      scanChecks(rule, found);
      const info = byName.get(rule.name);
      const { controlId, description } = found.customMessage
        ? describe(found.customMessage)
        : { controlId: undefined, description: found.errorMessage?.trim() ?? 'non-compliant' };
      const base = {
        ruleFile: info?.relFile ?? '',
        ruleName: rule.name,
        controlId: info?.controlId ?? controlId,
        message: description,
      };
      const ids = [...found.logicalIds].sort();
      findings.push(...(ids.length ? ids.map((logicalId) => ({ ...base, logicalId })) : [base]));
    }
  }
  return findings;
}

/**
 * cfn-lint findings of templates, from the project's pinned cfn-lint (scripts/python-tools.sh). One cfn-lint run for
 * every template whose findings are not known yet; results are kept by content like the guard's.
 */
export function runCfnLint(templatePaths: string[], opts: { ignoreChecks?: string[] } = {}): LintFinding[] {
  const key = [pythonToolsVersion(), ...(opts.ignoreChecks ?? []).sort()];
  const contents = templatePaths.map((file) => fs.readFileSync(file));
  const known = contents.map((content) => cachedResult<LintFinding[]>('cfn-lint', key, content));
  const missing = templatePaths.filter((_, i) => known[i] === undefined);
  const fresh = missing.length ? runCfnLintUncached(missing, opts) : [];
  return templatePaths.flatMap((file, i) => {
    let findings = known[i];
    if (findings === undefined) {
      findings = fresh.filter((f) => path.resolve(f.file) === path.resolve(file));
      storeResult('cfn-lint', key, contents[i], findings);
    }
    return findings.map((f) => ({ ...f, file }));
  });
}

function runCfnLintUncached(templatePaths: string[], opts: { ignoreChecks?: string[] }): LintFinding[] {
  const args = ['--format', 'json'];
  if (opts.ignoreChecks?.length) args.push('--ignore-checks', ...opts.ignoreChecks);
  const [python, entry] = pythonTool('cfnlint.runner:main', 'cfn-lint');
  const proc = spawnSync(python, [...entry, ...args, '--', ...templatePaths], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (proc.error) throw new Error(`cfn-lint could not run: ${proc.error.message}`);
  // The exit code is a bit mask of levels found (2 error, 4 warning, 8 informational); anything else is a crash.
  if (proc.status === null || (proc.status & ~0b1110) !== 0) {
    throw new Error(`cfn-lint exited with ${proc.status ?? proc.signal}:\n${proc.stderr}${proc.stdout}`);
  }
  let matches: Array<{
    Filename: string | null;
    Level: string;
    Message: string;
    Location: { Path: Array<string | number> | null };
    Rule: { Id: string };
  }>;
  try {
    matches = JSON.parse(proc.stdout || '[]');
  } catch (e) {
    throw new Error(`cfn-lint output is not parsable (${e}):\n${proc.stdout}\n${proc.stderr}`);
  }
  return matches.map((m) => ({
    level: m.Level.toLowerCase() as LintFinding['level'],
    rule: m.Rule.Id,
    message: m.Message,
    path: (m.Location.Path ?? []).join('/'),
    file: m.Filename ?? '',
  }));
}

/** Stack templates (including nested stages' assembly-* dirs) and ProductStack templates; asset.* dirs are skipped. */
export function synthesizedTemplates(outdir: string): string[] {
  return fs
    .readdirSync(outdir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(outdir, e.name);
      if (e.isDirectory()) return e.name.startsWith('assembly-') ? synthesizedTemplates(full) : [];
      return e.isFile() && e.name.endsWith('.template.json') ? [full] : [];
    })
    .sort();
}
