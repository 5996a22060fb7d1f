import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run as runCli } from '../cli/cli-support';
import type { RecordedEvaluation } from '../../../nag-rules/eks-threat-model-pack';
import { Exemption } from '../../../nag-rules/exemptions/register';
import {
  EXPIRY_WARNING_DAYS,
  expiryWarnings,
  registerProblems,
  staleEntries,
} from '../../../nag-rules/exemptions/register-health';
import { clusterWith } from '../cli/cli-support';

const entry = (overrides: Partial<Exemption> = {}): Exemption => ({
  rule: 'EksThreatModel-CLU-1',
  resource: 'Cluster',
  reason: 'Migration',
  approvedBy: 'Jane Doe',
  approvedOn: '2026-11-01',
  expires: '2027-06-30',
  ticket: 'SEC-1',
  ...overrides,
});
const evaluation = (overrides: Partial<RecordedEvaluation> = {}): RecordedEvaluation => ({
  ruleId: 'EksThreatModel-CLU-1',
  controlId: 'CLU-1',
  logicalId: 'Cluster',
  resourceType: 'AWS::EKS::Cluster',
  status: 'fail',
  findings: [{ message: 'public' }],
  stackName: 'Product',
  constructPath: 'Catalog/Product/Cluster/Resource',
  ...overrides,
});
const RAN = new Set(['EksThreatModel-CLU-1', 'EksThreatModel-CLU-2']);

describe('staleEntries', () => {
  test('an entry whose rule fails on its resource waives something; by logical ID, construct path or the construct the synth applied it to', () => {
    expect(staleEntries([entry()], [evaluation()], RAN)).toEqual([]);
    expect(staleEntries([entry({ resource: 'Catalog/Product/Cluster/Resource' })], [evaluation()], RAN)).toEqual([]);
    expect(
      staleEntries([entry({ resource: 'Catalog/Product/Cluster' })], [evaluation()], RAN, ['Catalog/Product/Cluster']),
    ).toEqual([]);
  });

  test('an entry waives nothing when the rule passes there, fails elsewhere or on another rule', () => {
    for (const evaluations of [
      [evaluation({ status: 'pass', findings: [] })],
      [evaluation({ logicalId: 'Other', constructPath: 'Catalog/Product/Other/Resource' })],
      [evaluation({ ruleId: 'EksThreatModel-CLU-2', controlId: 'CLU-2' })],
      [],
    ]) {
      expect(staleEntries([entry()], evaluations, RAN)).toEqual([
        'exemptions[0] (EksThreatModel-CLU-1 on Cluster) waives nothing: EksThreatModel-CLU-1 does not fail on Cluster; remove the entry (the finding is fixed or the resource is gone)',
      ]);
    }
    expect(
      staleEntries([entry({ resource: 'Catalog/Product/Cluster' })], [evaluation()], RAN, [
        'Catalog/Product/Clusterish',
      ]),
    ).toHaveLength(1);
  });

  test('an entry whose rule did not run (another profile) is not judged', () => {
    expect(staleEntries([entry({ rule: 'EksThreatModel-DET-1' })], [], RAN)).toEqual([]);
  });
});

describe('expiryWarnings', () => {
  test(`warns from ${EXPIRY_WARNING_DAYS} days before the expiry to the day itself, not before, not after`, () => {
    const today = '2026-12-02';
    expect(expiryWarnings([entry({ expires: '2027-01-01' })], today)).toEqual([
      'exemptions[0] (EksThreatModel-CLU-1 on Cluster) expires on 2027-01-01, within 30 days: renew it with the SME or fix the finding',
    ]);
    expect(expiryWarnings([entry({ expires: '2026-12-02' })], today)).toHaveLength(1);
    expect(expiryWarnings([entry({ expires: '2027-01-02' })], today)).toEqual([]);
    expect(expiryWarnings([entry({ expires: '2026-12-01' })], today)).toEqual([]);
  });

  test('registerProblems refuses expired, unapproved and stale entries and warns about the expiring ones', () => {
    const problems = registerProblems(
      [
        entry({ expires: '2026-12-10' }),
        entry({ resource: 'Gone', approvedBy: ' ' }),
        entry({ expires: '2026-01-01', resource: 'Old' }),
      ],
      [evaluation()],
      RAN,
      '2026-12-02',
    );
    expect(problems.warnings).toEqual([
      expect.stringContaining('exemptions[0] (EksThreatModel-CLU-1 on Cluster) expires on 2026-12-10'),
    ]);
    expect(problems.errors).toEqual([
      'exemptions[1] (EksThreatModel-CLU-1 on Gone): has no approver (approvedBy)',
      'exemptions[2] (EksThreatModel-CLU-1 on Old): expired on 2026-01-01',
      expect.stringContaining('exemptions[1] (EksThreatModel-CLU-1 on Gone) waives nothing'),
      expect.stringContaining('exemptions[2] (EksThreatModel-CLU-1 on Old) waives nothing'),
    ]);
  });
});

describe('check --exemptions', () => {
  let dir: string;
  const run = (args: string[]) => runCli(args, dir);
  const register = (entries: Exemption[]) =>
    fs.writeFileSync(
      path.join(dir, 'register.yaml'),
      entries
        .map(
          (e) =>
            `- ${Object.entries(e)
              .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
              .join('\n  ')}`,
        )
        .join('\n'),
    );
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-health-'));
    fs.writeFileSync(path.join(dir, 'public.json'), JSON.stringify(clusterWith({ EndpointPublicAccess: true })));
  });

  test('fails with exit 2 on an entry that waives nothing, naming it on one line', () => {
    register([
      entry({ approvedOn: day(-1), expires: day(200) }),
      entry({ resource: 'NoSuchResource', approvedOn: day(-1), expires: day(200) }),
    ]);
    const result = run(['check', 'public.json', '--exemptions', 'register.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: register.yaml: exemptions[1] (EksThreatModel-CLU-1 on NoSuchResource) waives nothing: EksThreatModel-CLU-1 does not fail on NoSuchResource; remove the entry (the finding is fixed or the resource is gone)',
    );
    expect(result.stdout).toBe('');
  });

  test('warns about an entry expiring within 30 days and still applies it', () => {
    register([entry({ approvedOn: day(-1), expires: day(10) })]);
    const result = run(['check', 'public.json', '--exemptions', 'register.yaml']);
    expect(result.stderr).toBe(
      `warning: register.yaml: exemptions[0] (EksThreatModel-CLU-1 on Cluster) expires on ${day(10)}, within 30 days: renew it with the SME or fix the finding`,
    );
    expect(result.stdout).toContain('ACK  EksThreatModel-CLU-1 error Cluster');
  });
});
