import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { THREAT_MODEL_JUNIT, THREAT_MODEL_SARIF } from '../../nag-rules/reports/write';
import { clusterWith } from '../nag-rules/cli/cli-support';

/**
 * The drop-in CI files: each is parsed and the command it declares is run here, offline, on a template with a public
 * EKS endpoint (must fail) and on a compliant-enough one (must pass under the file's failure level).
 */

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'eks-threat-model.js');
const read = (file: string) => YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

const PUBLIC_CLUSTER = clusterWith({ EndpointPublicAccess: true });
/** No rule of the misconfigurations profile fails on it. */
const QUEUE = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } } } };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-integrations-'));
  fs.mkdirSync(path.join(dir, 'cdk.out'));
});
const template = (name: string, body: object) => fs.writeFileSync(path.join(dir, name), JSON.stringify(body, null, 2));

function bash(script: string, env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('.github/workflows/ci.yml', () => {
  const workflow = read('.github/workflows/ci.yml');
  const steps: any[] = workflow.jobs.test.steps;

  test("runs the README's test command after npm ci", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const testCommand = /^(npm test)\s+# 2\./m.exec(readme)?.[1];
    expect(testCommand).toBe('npm test');
    expect(steps.filter((s) => s.run).map((s) => s.run)).toEqual(['npm ci', testCommand]);
  });

  test('uploads the SARIF and the JUnit report the synth writes into cdk.out, even when the tests fail', () => {
    const sarif = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    const junit = steps.find((s) => String(s.uses).startsWith('mikepenz/action-junit-report@'));
    expect(sarif.with.sarif_file).toBe(`cdk.out/${THREAT_MODEL_SARIF}`);
    expect(junit.with.report_paths).toBe(`cdk.out/${THREAT_MODEL_JUNIT}`);
    for (const step of [sarif, junit]) expect(step.if).toContain('!cancelled()');
    expect(workflow.jobs.test.permissions).toMatchObject({ 'security-events': 'write', checks: 'write' });
    // cdk.json's app is what `npm test`'s synth runs: bin/app.ts writes the reports into the assembly (cdk.out).
    expect(fs.readFileSync(path.join(ROOT, 'bin', 'app.ts'), 'utf8')).toContain(
      'writeThreatModelReports(outdir, evaluations',
    );
  });
});

describe('action.yml', () => {
  const action = read('action.yml');
  const step = action.runs.steps[0];
  /** The step's environment with the inputs substituted, as the runner does. */
  const env = (inputs: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(step.env as Record<string, string>).map(([k, v]) => [
        k,
        v.replace(
          /\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g,
          (_m, name: string) => inputs[name] ?? action.inputs[name].default ?? '',
        ),
      ]),
    );

  test('is a composite action with the inputs a consumer sets', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['templates', 'exemptions', 'formats', 'fail-on']),
    );
    expect(action.inputs.templates.required).toBe(true);
    expect(step.shell).toBe('bash');
  });

  test('its step fails on a public endpoint, writes the SARIF and JUnit it names as outputs, and passes a clean template', () => {
    template('cdk.out/public.template.json', PUBLIC_CLUSTER);
    template('cdk.out/queue.template.json', QUEUE);
    const outputs = path.join(dir, 'github-output');
    fs.writeFileSync(outputs, '');
    const failing = bash(step.run, {
      ...env({ templates: 'cdk.out/*.template.json' }),
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: outputs,
    });
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('FAIL EksThreatModel-CLU-1 error Cluster');
    expect(fs.readFileSync(outputs, 'utf8')).toBe(
      'sarif=eks-threat-model-report/threat-model.sarif\njunit=eks-threat-model-report/threat-model.junit.xml\n',
    );
    for (const file of ['threat-model.sarif', 'threat-model.junit.xml', 'eks-threat-model.txt'])
      expect(fs.existsSync(path.join(dir, 'eks-threat-model-report', file))).toBe(true);

    const passing = bash(step.run, {
      ...env({ templates: 'cdk.out/queue.template.json', out: 'clean' }),
      GITHUB_ACTION_PATH: ROOT,
    });
    expect(passing.stderr).toBe('');
    expect(passing.status).toBe(0);
  });

  test('passes the exemption register through', () => {
    template('public.json', PUBLIC_CLUSTER);
    fs.writeFileSync(
      path.join(dir, 'register.yaml'),
      `- rule: EksThreatModel-CLU-1\n  resource: Cluster\n  reason: migration\n  approvedBy: Jane Doe\n  approvedOn: "2026-01-01"\n  expires: "2999-01-01"\n  ticket: SEC-1\n`,
    );
    const result = bash(step.run, {
      ...env({ templates: 'public.json', exemptions: 'register.yaml' }),
      GITHUB_ACTION_PATH: ROOT,
    });
    expect(result.stdout).toContain('ACK  EksThreatModel-CLU-1 error Cluster');
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const [hook] = read('.pre-commit-hooks.yaml');

  test("declares a node hook whose entry is the package's command", () => {
    expect(hook).toMatchObject({ id: 'eks-threat-model', language: 'node' });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const command = hook.entry.split(' ')[0];
    expect(pkg.bin[command]).toBe('scripts/eks-threat-model.js');
    expect(new RegExp(hook.files).test('stacks/app.template.json')).toBe(true);
  });

  test('its entry, given the changed files as pre-commit does, fails on a public endpoint and passes a clean template', () => {
    template('public.template.json', PUBLIC_CLUSTER);
    template('queue.template.json', QUEUE);
    const args = hook.entry.split(' ').slice(1);
    const failing = spawnSync(process.execPath, [BIN, ...args, 'public.template.json', 'queue.template.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('FAIL EksThreatModel-CLU-1 error Cluster');
    expect(
      spawnSync(process.execPath, [BIN, ...args, 'queue.template.json'], { cwd: dir, encoding: 'utf8' }).status,
    ).toBe(0);
    // A hook leaves the working tree alone.
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk.out', 'public.template.json', 'queue.template.json']);
  });
});

describe('the GitLab CI snippet of nag-rules/README.md', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'nag-rules', 'README.md'), 'utf8');
  const snippet = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => YAML.parse(m[1]))
    .find((doc) => doc?.['eks-threat-model']?.script);
  const job = snippet?.['eks-threat-model'];

  test('is a job whose script runs the check and whose JUnit artifact is the file the check writes', () => {
    expect(job.script).toHaveLength(1);
    expect(job.script[0]).toMatch(/^npx eks-threat-model check /);
    expect(job.artifacts.reports.junit).toBe(`eks-threat-model-report/${THREAT_MODEL_JUNIT}`);
    expect(job.artifacts.when).toBe('always');
  });

  test('its script fails on a public endpoint and leaves the JUnit report where the artifact says', () => {
    template('cdk.out/public.template.json', PUBLIC_CLUSTER);
    const command = job.script[0].replace(/^npx eks-threat-model/, `"${process.execPath}" "${BIN}"`);
    const result = bash(command);
    expect(result.status).toBe(1);
    const junit = fs.readFileSync(path.join(dir, job.artifacts.reports.junit), 'utf8');
    expect(junit).toContain('name="CLU-1 Cluster"');
    expect(junit).toContain('[TH-1, EP-1, PV-1]');
    fs.rmSync(path.join(dir, 'cdk.out', 'public.template.json'));
    template('cdk.out/queue.template.json', QUEUE);
    expect(bash(command).status).toBe(0);
  });
});
