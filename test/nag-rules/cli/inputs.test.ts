import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLEAN_TYPE, clusterWith, run } from './cli-support';

let dir: string;
const write = (name: string, content: string | object): void => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
};
const PUBLIC = clusterWith({ EndpointPublicAccess: true });
const CLEAN = { Resources: { Handle: { Type: CLEAN_TYPE } } };

/** What a refused run gives: exit code 2, nothing on standard output, the reason on standard error. */
const refused = (stderr: string) => ({ code: 2, stdout: '', stderr });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-threat-model-inputs-'));
});

/** The violations the CLI counts on PUBLIC checked alone (whatever the rules find on it, CLU-1 among them). */
function violationsOfPublic(): number {
  write('alone/public.json', PUBLIC);
  const count = /1 template\(s\), profile product: (\d+) finding\(s\)/.exec(
    run(['check', 'alone/public.json'], dir).stdout,
  );
  expect(count).not.toBeNull();
  return Number(count![1]);
}

describe('a directory', () => {
  test('stands for its templates, subfolders included; other JSON and YAML there, dependencies and CDK assets are left out', () => {
    write('infra/public.json', PUBLIC);
    write('infra/nested/clean.yaml', `Resources:\n  Handle:\n    Type: ${CLEAN_TYPE}\n`);
    write('infra/manifest.json', { version: '48.0.0', artifacts: {} });
    write('infra/node_modules/dependency/public.json', PUBLIC);
    write('infra/asset.0123abcd/public.json', PUBLIC);
    write('infra/asset.4567cdef.json', PUBLIC);
    write('infra/notes.txt', 'not a template');
    const result = run(['check', 'infra'], dir);
    // manifest.json is JSON but no template: skipped, and said so on standard error (standard output is the report).
    expect(result.stderr).toBe(
      'note: skipped 1 file(s) found in a directory or by a pattern that are not CloudFormation templates',
    );
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('infra/'))).toEqual([
      'infra/nested/clean.yaml',
      'infra/public.json',
    ]);
    expect(result.stdout).toContain('FAIL EksThreatModel-CLU-1 error Cluster');
    expect(result.stdout).toContain(`2 template(s), profile product: ${violationsOfPublic()} finding(s)`);
  });

  test('a broken JSON file found there is an error naming it, not a skipped file', () => {
    write('infra/public.json', PUBLIC);
    write('infra/broken.json', '{ "Resources": ');
    const result = run(['check', 'infra'], dir);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: infra\/broken\.json: not valid JSON or YAML: /);
  });

  test('without templates exits 2 with one line', () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(run(['check', 'empty'], dir)).toEqual(
      refused('error: empty: no template file in this directory (*.json, *.yaml, *.yml, *.template)'),
    );
    write('other/package.json', { name: 'not-a-template' });
    expect(run(['check', 'other'], dir)).toEqual(
      refused('error: other: no CloudFormation template among the files found'),
    );
  });
});

describe('a glob', () => {
  test('checks the files it matches, each once even when also named directly', () => {
    write('templates/a.json', PUBLIC);
    write('templates/b.json', CLEAN);
    write('templates/c.yaml', PUBLIC);
    const result = run(['check', 'templates/*.json', 'templates/a.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('templates/'))).toEqual([
      'templates/a.json',
      'templates/b.json',
    ]);
  });

  test('that matches nothing exits 2 naming the pattern', () => {
    write('templates/a.json', PUBLIC);
    expect(run(['check', 'templates/*.yaml'], dir)).toEqual(
      refused('error: templates/*.yaml: no file matches this pattern'),
    );
  });
});

describe('worker threads', () => {
  test("judge with the run's profile and evidence floor, as one thread does", () => {
    const logs = { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } } };
    for (let i = 0; i < 4; i++) write(`floor/t${i}.json`, i % 2 ? PUBLIC : logs);
    const strict = ['check', 'floor', '--evidence-retention-days', '400'];
    const threaded = run([...strict, '--jobs', '2'], dir);
    expect(threaded).toEqual(run([...strict, '--jobs', '1'], dir));
    expect(threaded.stdout.match(/FAIL EksThreatModel-DET-7 /g)).toHaveLength(2);
    // The misconfigurations profile leaves out the missing-control rules (DET-7 is one) in every thread.
    const misconfigurations = run([...strict, '--jobs', '2', '--profile', 'misconfigurations'], dir);
    expect(misconfigurations).toEqual(run([...strict, '--jobs', '1', '--profile', 'misconfigurations'], dir));
    expect(misconfigurations.stdout).not.toContain('DET-7');
    expect(misconfigurations.stdout).toContain('FAIL EksThreatModel-CLU-1 ');
  });

  test('judge many templates exactly as one thread does, in the order given', () => {
    for (let i = 0; i < 12; i++) write(`many/t${String(i).padStart(2, '0')}.json`, i % 3 === 0 ? PUBLIC : CLEAN);
    const threaded = run(['check', 'many', '--jobs', '3'], dir);
    const single = run(['check', 'many', '--jobs', '1'], dir);
    expect(threaded).toEqual(single);
    expect(threaded.code).toBe(1);
    expect(threaded.stdout).toContain(`12 template(s), profile product: ${4 * violationsOfPublic()} finding(s)`);
    expect(threaded.stdout.indexOf('many/t00.json')).toBeLessThan(threaded.stdout.indexOf('many/t11.json'));
  });

  test('acknowledge findings by the exemption register as one thread does, in the printed lines and the JSON report', () => {
    for (let i = 0; i < 6; i++) write(`acked/t${i}.json`, i % 2 ? PUBLIC : CLEAN);
    write(
      'register.yaml',
      '- rule: EksThreatModel-CLU-1\n  resource: Cluster\n  reason: Public endpoint during the migration\n' +
        "  approvedBy: Jane Doe\n  approvedOn: '2026-02-01'\n  expires: '2999-06-30'\n  ticket: SEC-1\n",
    );
    const report = (jobs: string) => {
      const result = run(['check', 'acked', '--exemptions', 'register.yaml', '--jobs', jobs, '--format', 'json'], dir);
      return { ...result, stdout: JSON.parse(result.stdout) };
    };
    const threaded = report('2');
    expect(threaded).toEqual(report('1'));
    const acknowledged = threaded.stdout.findings.filter((finding: any) => finding.acknowledged !== undefined);
    // CLU-1's finding (the public endpoint) on each of the three public templates.
    expect(acknowledged.map((finding: any) => `${finding.template} ${finding.ruleId}`)).toEqual(
      ['acked/t1.json', 'acked/t3.json', 'acked/t5.json'].map((template) => `${template} EksThreatModel-CLU-1`),
    );
    expect(acknowledged[0].acknowledged).toContain('ticket SEC-1');
    expect(threaded.stdout.summary).toMatchObject({ templates: 6, acknowledged: 3 });
  });

  test('an unusable template found by a thread stops the run before anything is printed or written', () => {
    for (let i = 0; i < 6; i++) write(`many/t${i}.json`, PUBLIC);
    write('many/t3.json', { Resources: { Cluster: { Properties: {} } } });
    const result = run(['check', 'many', '--jobs', '2', '--out', 'reports'], dir);
    expect(result).toEqual({ code: 2, stdout: '', stderr: "error: many/t3.json: resource 'Cluster' has no Type" });
    expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false);
  });

  test('--jobs takes a positive whole number', () => {
    write('a.json', PUBLIC);
    expect(run(['check', 'a.json', '--jobs', 'many'], dir)).toEqual(
      refused("eks-threat-model check: --jobs: 'many' is not a positive whole number"),
    );
    expect(run(['check', 'a.json', '--jobs', '0'], dir).code).toBe(2);
  });
});
