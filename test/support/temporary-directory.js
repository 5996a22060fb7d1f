// Every synth in the tests copies tens of MB of assets (the kubectl layer) into a temporary folder. All of them go
// under one folder per run (TMPDIR, which os.tmpdir() and the workers read), removed when the run ends.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports.setup = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-tests-'));
  process.env.HARDENED_EKS_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};

module.exports.teardown = async () => {
  const dir = process.env.HARDENED_EKS_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
