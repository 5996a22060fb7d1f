import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CAPTURED_ARTIFACTS, captureVolatileArtifactsRunbook } from '../../lib/response/runbooks/capture-volatile-artifacts';

/** The IR-6 shell script as Run Command gets it, with Automation's {{ }} references filled in. */
function captureScript(values: Record<string, string>): string {
  const document = captureVolatileArtifactsRunbook({
    automationRoleArn: 'arn:aws:iam::111122223333:role/hardened-eks/Automation', clusterName: 'payments',
    evidenceBucketName: 'evidence', avmlObjectKey: 'tools/avml', avmlSha256: '',
  });
  const step = document.mainSteps.find((s) => s.action === 'aws:runCommand')!;
  const script = ((step.inputs as any).Parameters.commands as string[]).join('\n');
  return script.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for {{ ${name} }}`);
    return values[name];
  });
}

/** Runs the script on this machine with fakes for the node's tools; returns what curl uploaded, in order. */
function runCapture(options: { captureMemory: boolean; avmlChecksum?: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'uploads.log');
  const avml = '#!/bin/sh\necho "memory image" > "$2"\n';
  const fake = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  for (const tool of ['ps', 'ss', 'ip', 'ctr', 'last', 'lsmod']) fake(tool, `echo "${tool} $*"`);
  // This machine's disk is not a node's: report room for its memory image.
  fake('df', 'echo Avail; echo 999999999');
  // curl: a download writes the fake AVML (-o), an upload records the file and its Content-MD5 header (-T … -H …).
  fake('curl', `out=""; file=""; md5=""
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift;; -T) file=$2; shift;; -H) md5=$2; shift;; esac; shift; done
if [ -n "$out" ]; then printf '%s' '${avml.replace(/\n/g, '\\n')}' | sed 's/\\\\n/\\n/g' > "$out"; else echo "$file|$md5" >> "${log}"; fi`);
  const avmlSha = createHash('sha256').update(avml).digest('hex');
  const urls = CAPTURED_ARTIFACTS.map((a) => `${a} https://evidence.s3.eu-west-1.amazonaws.com/incidents/INC-1/i-0123/${a}?sig`).join('\n');
  const script = captureScript({
    CaptureMemory: String(options.captureMemory), AvmlSha256: options.avmlChecksum ?? avmlSha,
    'PresignUrls.AvmlUrl': 'https://evidence.s3.eu-west-1.amazonaws.com/tools/avml?sig', 'PresignUrls.UploadUrls': urls,
  });
  const file = path.join(dir, 'capture.sh');
  fs.writeFileSync(file, script);
  const result = spawnSync('bash', [file], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: dir }, encoding: 'utf8' });
  const uploads = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split('|')) : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, uploads };
}

const hasTools = ['bash', 'openssl', 'split', 'sha256sum'].every((tool) => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0);
// The script writes under /var/tmp like on a node; skip where that is not writable.
const canWrite = (() => { try { execFileSync('bash', ['-c', 'd=$(mktemp -d /var/tmp/t.XXXX) && rmdir "$d"']); return true; } catch { return false; } })();
const maybe = hasTools && canWrite ? test : test.skip;

describe('IR-6 capture script, run with fake node tools', () => {
  maybe('captures memory as one part (small image) and every text artifact, each with Content-MD5, the manifest last', () => {
    const { status, stderr, uploads } = runCapture({ captureMemory: true });
    expect([status, stderr]).toEqual([0, '']);
    const names = uploads.map(([name]) => name);
    expect(names).toEqual(CAPTURED_ARTIFACTS.filter((a) => !a.startsWith('memory.lime.part') || a === 'memory.lime.part00'));
    for (const [, header] of uploads) expect(header).toMatch(/^Content-MD5: [A-Za-z0-9+/]{22}==$/);
  });
  maybe('without memory capture, no memory part is uploaded and no AVML is needed', () => {
    const { status, uploads } = runCapture({ captureMemory: false, avmlChecksum: '' });
    expect(status).toBe(0);
    expect(uploads.map(([name]) => name).some((n) => n.startsWith('memory'))).toBe(false);
    expect(uploads[uploads.length - 1][0]).toBe('manifest.sha256');
  });
  maybe('a wrong AVML checksum stops the capture before anything is uploaded', () => {
    const { status, stderr, uploads } = runCapture({ captureMemory: true, avmlChecksum: 'a'.repeat(64) });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/CAPTURE FAILED: AVML SHA-256 mismatch/);
    expect(uploads).toEqual([]);
  });
  maybe('an empty checksum with memory capture on fails with what to do', () => {
    const { status, stderr } = runCapture({ captureMemory: true, avmlChecksum: '' });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/AvmlSha256 is empty/);
  });
});
