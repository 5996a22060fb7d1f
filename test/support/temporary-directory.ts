// Every synth in the tests copies tens of MB of assets (the kubectl layer) into a temporary folder. All of them go
// under one folder per run (TMPDIR, which os.tmpdir() and the workers read), removed when the run ends.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export async function setup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-tests-'));
  process.env.HARDENED_EKS_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}

export async function teardown(): Promise<void> {
  const dir = process.env.HARDENED_EKS_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
