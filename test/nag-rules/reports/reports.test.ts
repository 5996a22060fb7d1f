import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMPLIANT, ThreatModelRule } from '../../../nag-rules/core/rule';
import type { RecordedEvaluation } from '../../../nag-rules/eks-threat-model-pack';
import { acknowledgementReason, Exemption } from '../../../nag-rules/exemptions/register';
import { cisFrameworkMapping } from '../../../nag-rules/frameworks/frameworks';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { THREATS } from '../../../nag-rules/matrix/threat-model';
import { ALL_RULES } from '../../../nag-rules/rules';
import {
  buildControlsMatrix,
  buildSarif,
  CONTROL_STATUSES,
  locateTemplateFiles,
  renderControlsMatrixMarkdown,
  writeThreatModelReports,
} from '../../../nag-rules/reports';
import { approvalStatus, parseMatrixApproval, renderMatrixApproval } from '../../../nag-rules/matrix/approval';
import { digestMatrix, matrixContent, matrixVersion } from '../../../nag-rules/matrix/matrix-content';
import { expectValidSarif, sarifProblems } from './sarif-shape';

/** Stand-in rules for three controls of the real matrix, so that the expectations do not depend on the pack's rules. */
const rule = (
  controlId: string,
  level: 'error' | 'warning',
  threats: string[],
  resourceTypes: string[],
): ThreatModelRule => ({
  controlId,
  level,
  kind: 'misconfiguration',
  threats,
  resourceTypes,
  description: `${controlId} holds`,
  explanation: `Why ${controlId} matters.`,
  evaluate: () => COMPLIANT,
});
const RULES = [
  rule('CLU-1', 'error', ['TH-1', 'EP-1', 'PV-1'], ['AWS::EKS::Cluster']),
  rule('NET-1', 'error', ['TH-1', 'EP-1', 'EP-3', 'AC-1'], ['AWS::EC2::SecurityGroup']),
  rule('CLU-3', 'warning', ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'], ['AWS::EKS::Cluster']),
];
const ACK =
  'Public SG for the migration, limited by NACLs (approved by Jane Doe (security SME) on 2026-02-01, expires 2026-06-30, ticket SEC-1234)';
const ACKED_SG_ENTRY: Exemption = {
  rule: 'EksThreatModel-NET-1',
  resource: 'Catalog/Product/AckedSg',
  reason: 'Public SG for the migration, limited by NACLs',
  approvedBy: 'Jane Doe (security SME)',
  approvedOn: '2026-02-01',
  expires: '2026-06-30',
  ticket: 'SEC-1234',
};
const CLUSTER_ENTRY: Exemption = {
  rule: 'EksThreatModel-CLU-3',
  resource: 'Cluster',
  reason: 'Logs go to the central account',
  approvedBy: 'Bob',
  approvedOn: '2026-01-01',
  expires: '2026-12-31',
  ticket: 'SEC-9',
};

const evaluation = (
  e: Partial<RecordedEvaluation> & Pick<RecordedEvaluation, 'controlId' | 'logicalId' | 'status'>,
): RecordedEvaluation => ({
  ruleId: `EksThreatModel-${e.controlId}`,
  resourceType: 'AWS::EKS::Cluster',
  findings: [],
  stackName: 'Product',
  constructPath: `Catalog/Product/${e.logicalId}/Resource`,
  ...e,
});
const EVALUATIONS: RecordedEvaluation[] = [
  evaluation({ controlId: 'CLU-1', logicalId: 'Cluster', status: 'pass' }),
  evaluation({
    controlId: 'NET-1',
    logicalId: 'OpenSg',
    resourceType: 'AWS::EC2::SecurityGroup',
    status: 'fail',
    findings: [{ message: 'ingress from 0.0.0.0/0 on 443' }],
  }),
  evaluation({
    controlId: 'NET-1',
    logicalId: 'AckedSg',
    resourceType: 'AWS::EC2::SecurityGroup',
    status: 'fail',
    findings: [{ message: 'ingress from ::/0 on 443' }],
    acknowledged: ACK,
    exemption: ACKED_SG_ENTRY,
  }),
  evaluation({
    controlId: 'CLU-3',
    logicalId: 'Cluster',
    status: 'fail',
    findings: [{ message: 'LogTypes depends on a parameter', unresolved: true }],
    acknowledged: acknowledgementReason(CLUSTER_ENTRY),
    exemption: CLUSTER_ENTRY,
  }),
];
const OPTIONS = { rules: RULES };

describe('controls matrix (data)', () => {
  const report = buildControlsMatrix(EVALUATIONS, OPTIONS);
  const row = (id: string) => report.controls.find((c) => c.controlId === id)!;

  test('a control is pass, fail (any unacknowledged failure), exempt (only acknowledged failures) or not-evaluated', () => {
    expect(row('CLU-1')).toMatchObject({
      status: 'pass',
      rules: [{ ruleId: 'EksThreatModel-CLU-1', level: 'error' }],
      resources: { pass: 1, fail: 0, exempt: 0 },
    });
    expect(row('NET-1')).toMatchObject({ status: 'fail', resources: { pass: 0, fail: 1, exempt: 1 } });
    expect(row('CLU-3')).toMatchObject({ status: 'exempt', resources: { fail: 0, exempt: 1 } });
    expect(row('NET-2')).toMatchObject({
      status: 'not-evaluated',
      rules: [],
      reason: 'No rule of the pack checks this control yet.',
    });
  });

  test('process-only controls are not evaluated and carry their reason', () => {
    expect(row('DET-4')).toMatchObject({ status: 'not-evaluated', processOnly: true, category: 'detective' });
    expect(row('DET-4').reason).toContain(CONTROLS.find((c) => c.id === 'DET-4')!.processOnly);
  });

  test('exempt rows keep the acknowledgement reason, and the register entry behind it', () => {
    expect(row('CLU-3').exemptions).toEqual([
      expect.objectContaining({
        logicalId: 'Cluster',
        entry: expect.objectContaining({ approvedBy: 'Bob', expires: '2026-12-31', ticket: 'SEC-9' }),
      }),
    ]);
    expect(row('NET-1').exemptions).toEqual([
      expect.objectContaining({
        logicalId: 'AckedSg',
        reason: ACK,
        entry: expect.objectContaining({ approvedBy: 'Jane Doe (security SME)', expires: '2026-06-30' }),
      }),
    ]);
  });

  test('totals count every control of the matrix once; threat totals count the controls of that threat', () => {
    expect(report.totals).toEqual({ pass: 1, fail: 1, exempt: 1, 'not-evaluated': CONTROLS.length - 3 });
    const th1 = report.threats.find((t) => t.id === 'TH-1')!;
    const th1Controls = CONTROLS.filter((c) => c.protects.includes('TH-1'));
    expect(Object.values(th1.totals).reduce((a, b) => a + b, 0)).toBe(th1Controls.length);
    expect(th1.totals).toMatchObject({ pass: 1, fail: 1, exempt: 1 });
    // TH-4 has CLU-3 (exempt) but neither CLU-1 nor NET-1.
    expect(report.threats.find((t) => t.id === 'TH-4')!.totals).toMatchObject({ pass: 0, fail: 0, exempt: 1 });
  });

  test('each threat section has its STRIDE classes, actors, entry and exfiltration points, and controls by category in CC order', () => {
    expect(report.threats.map((t) => t.id)).toEqual(['TH-1', 'TH-2', 'TH-3', 'TH-4']);
    const th1 = report.threats[0];
    expect(th1.stride).toEqual(THREATS[0].stride);
    expect(th1.actors).toEqual([
      { id: 'AC-1', title: 'External attacker' },
      { id: 'AC-4', title: 'Malicious user or stolen credentials' },
    ]);
    expect(th1.entryPoints.map((e) => e.id)).toEqual(['EP-1', 'EP-2', 'EP-3']);
    expect(th1.exfiltrationPoints.map((e) => e.id)).toEqual(['EX-1']);
    expect(th1.categories.map((g) => g.category)).toEqual(['preventive', 'detective', 'remediative', 'corrective']);
    expect(th1.categories[0].controls.map((c) => c.controlId)).toContain('CLU-1');
  });

  test('violations list every failing evaluation with its resource, acknowledged ones as exempt', () => {
    expect(report.violations.map((v) => [v.status, v.ruleId, v.logicalId, v.constructPath])).toEqual([
      ['fail', 'EksThreatModel-NET-1', 'OpenSg', 'Catalog/Product/OpenSg/Resource'],
      ['exempt', 'EksThreatModel-NET-1', 'AckedSg', 'Catalog/Product/AckedSg/Resource'],
      ['exempt', 'EksThreatModel-CLU-3', 'Cluster', 'Catalog/Product/Cluster/Resource'],
    ]);
    expect(report.violations[2].findings).toEqual([{ message: 'LogTypes depends on a parameter', unresolved: true }]);
    expect(report.evaluations).toEqual({ total: 4, pass: 1, fail: 1, exempt: 2, notApplicable: 0 });
  });

  test('register entries add what the acknowledgement does not say', () => {
    const withRegister = buildControlsMatrix(
      [
        {
          ...EVALUATIONS[2],
          acknowledged: 'Public SG for the migration',
          exemption: {
            rule: 'EksThreatModel-NET-1',
            resource: 'Catalog/Product/AckedSg',
            reason: 'x',
            approvedBy: 'Ann',
            approvedOn: '2026-01-01',
            expires: '2026-09-30',
            ticket: 'SEC-7',
          },
        },
      ],
      OPTIONS,
    );
    expect(withRegister.violations[0].exemption).toMatchObject({
      entry: { approvedBy: 'Ann', expires: '2026-09-30', ticket: 'SEC-7' },
      reason: 'Public SG for the migration',
    });
    expect(renderControlsMatrixMarkdown(withRegister)).toContain(
      'Public SG for the migration (approved by Ann, expires 2026-09-30, ticket SEC-7)',
    );
  });

  test("with the pack's real rules (however many), every control of the matrix has exactly one status", () => {
    const real = buildControlsMatrix([], {});
    const rows = real.controls.filter((c) => c.category !== 'unlisted');
    expect(rows.map((c) => c.controlId)).toEqual(CONTROLS.map((c) => c.id));
    expect(CONTROL_STATUSES.reduce((n, s) => n + real.totals[s], 0)).toBe(real.controls.length);
    for (const r of ALL_RULES)
      expect(real.controls.some((c) => c.rules.some((x) => x.ruleId === `EksThreatModel-${r.controlId}`))).toBe(true);
  });

  test('an evaluation whose control is not in the matrix is still reported', () => {
    const odd = buildControlsMatrix(
      [evaluation({ controlId: 'ZZZ-1', logicalId: 'X', status: 'fail', findings: [{ message: 'odd' }] })],
      OPTIONS,
    );
    expect(odd.controls.find((c) => c.controlId === 'ZZZ-1')).toMatchObject({ category: 'unlisted', status: 'fail' });
    expect(odd.violations.map((v) => v.ruleId)).toEqual(['EksThreatModel-ZZZ-1']);
  });
});

describe('controls-matrix.md', () => {
  const markdown = renderControlsMatrixMarkdown(buildControlsMatrix(EVALUATIONS, OPTIONS));

  test('has a section per threat with its STRIDE classes, actors and entry/exfiltration points, and its totals', () => {
    for (const threat of THREATS) {
      expect(markdown).toContain(`## ${threat.id}: ${threat.title}`);
      expect(markdown).toContain(`- STRIDE: ${threat.stride.join(', ')}`);
      expect(markdown).toMatch(
        new RegExp(`Totals for ${threat.id}: pass \\d+ · fail \\d+ · exempt \\d+ · not-evaluated \\d+`),
      );
    }
    expect(markdown).toContain('- Actors: AC-1 (External attacker); AC-4 (Malicious user or stolen credentials)');
    expect(markdown).toContain('- Entry points: none'); // TH-4
    expect(markdown).toContain(`| not-evaluated | ${CONTROLS.length - 3} |`);
  });

  test('rows show rule, status and, for exempt ones, the acknowledgement; process-only rows show their reason', () => {
    expect(markdown).toContain(
      '| CLU-1 | Kubernetes API endpoint private only | EksThreatModel-CLU-1 (error) | pass | 1 passing |',
    );
    expect(markdown).toMatch(
      /\| NET-1 \| .* \| EksThreatModel-NET-1 \(error\) \| \*\*fail\*\* \| 1 failing, 1 exempt\. Acknowledged: AckedSg: Public SG for the migration/,
    );
    expect(markdown).toMatch(
      /\| CLU-3 \| .* \| exempt \| 1 exempt\. Acknowledged: Cluster: Logs go to the central account \(approved by Bob/,
    );
    expect(markdown).toMatch(
      /\| DET-4 \| Periodic Amazon Inspector .* \| process only \| not-evaluated \| Process only: Amazon Inspector is activated/,
    );
  });

  test('the violations section lists each failing resource, with unresolved findings marked', () => {
    const violations = markdown.slice(markdown.indexOf('## Violations'));
    expect(violations).toContain(
      '| **fail** | EksThreatModel-NET-1 | error | TH-1, EP-1, EP-3, AC-1 | Product | OpenSg (AWS::EC2::SecurityGroup) | Catalog/Product/OpenSg/Resource | ingress from 0.0.0.0/0 on 443 |',
    );
    expect(violations).toContain('[unresolved] LogTypes depends on a parameter');
    expect(violations.match(/^\| (\*\*fail\*\*|exempt) \|/gm)).toHaveLength(3);
  });

  test('says who approved which version of the matrix, and when the matrix is not that version', () => {
    const approval = parseMatrixApproval(
      renderMatrixApproval(
        { approvedBy: 'Jane Doe', approvedOn: '2026-11-30', ticket: 'SEC-42' },
        digestMatrix(matrixContent()),
      ),
      'test',
      '2026-12-01',
    );
    const approved = buildControlsMatrix(EVALUATIONS, { ...OPTIONS, approval: approvalStatus(approval) });
    const version = matrixVersion(approval.digest);
    expect(approved.approval).toEqual({
      approvedBy: 'Jane Doe',
      approvedOn: '2026-11-30',
      ticket: 'SEC-42',
      version,
      digest: approval.digest,
      currentVersion: version,
      changes: [],
    });
    expect(renderControlsMatrixMarkdown(approved)).toContain(
      `Matrix version \`${version}\`, approved by Jane Doe on 2026-11-30 (ticket SEC-42).`,
    );

    const changed = buildControlsMatrix(EVALUATIONS, {
      ...OPTIONS,
      approval: approvalStatus(approval, { controls: CONTROLS.filter((c) => c.id !== 'COR-1') }),
    });
    expect(changed.approval?.changes).toEqual(['control COR-1 removed']);
    expect(renderControlsMatrixMarkdown(changed)).toMatch(
      new RegExp(
        `\\*\\*Matrix version \`[0-9a-f]{12}\` is not approved\\.\\*\\* The approved version \`${version}\` was approved by Jane Doe .*; changed since: control COR-1 removed\\.`,
      ),
    );
    expect(markdown).toContain('No approval record of the matrix was given.');
  });

  test('table cells escape pipes and line breaks', () => {
    const odd = renderControlsMatrixMarkdown(
      buildControlsMatrix(
        [evaluation({ controlId: 'CLU-1', logicalId: 'C', status: 'fail', findings: [{ message: 'a|b\nc' }] })],
        OPTIONS,
      ),
    );
    expect(odd).toContain('a\\|b<br>c');
  });
});

describe('hardening backlog (end of controls-matrix.md)', () => {
  const report = buildControlsMatrix(EVALUATIONS, OPTIONS);
  const markdown = renderControlsMatrixMarkdown(report);
  const backlog = markdown.slice(markdown.indexOf('## Hardening backlog'));

  test('is the last section of the report', () => {
    expect(markdown.indexOf('## Hardening backlog')).toBeGreaterThan(markdown.indexOf('## Violations'));
    expect(backlog.slice(3)).not.toMatch(/^## /m);
  });

  test('lists exempt controls soonest expiry first, with approver and ticket', () => {
    expect(report.backlog.exemptions.map((x) => [x.entry?.expires, x.controlId, x.resource])).toEqual([
      ['2026-06-30', 'NET-1', 'AckedSg'],
      ['2026-12-31', 'CLU-3', 'Cluster'],
    ]);
    expect(backlog).toContain('| 2026-06-30 | NET-1 | AckedSg | Product | Jane Doe (security SME) | SEC-1234 |');
  });

  test('lists process-only controls with their owner', () => {
    expect(report.backlog.processOnly.map((p) => [p.controlId, p.owner])).toEqual(
      CONTROLS.filter((c) => c.processOnly).map((c) => [c.id, c.owner]),
    );
    expect(backlog).toMatch(
      /\| DET-4 \| Periodic Amazon Inspector .* \| Platform team \| Amazon Inspector is activated/,
    );
  });

  test('lists unresolved findings, acknowledged or not', () => {
    expect(report.backlog.unresolved).toEqual([
      {
        controlId: 'CLU-3',
        ruleId: 'EksThreatModel-CLU-3',
        resource: 'Cluster',
        stackName: 'Product',
        status: 'exempt',
        message: 'LogTypes depends on a parameter',
      },
    ]);
    expect(backlog).toContain('| CLU-3 | exempt | Cluster | Product | LogTypes depends on a parameter |');
  });

  test('lists the recommendations a framework mapping leaves uncovered, and says when there is no mapping', () => {
    expect(backlog).toContain('No framework mapping is defined for the matrix yet');
    const mapped = buildControlsMatrix(EVALUATIONS, {
      ...OPTIONS,
      frameworks: [
        {
          framework: 'CIS EKS 1.8',
          recommendations: [
            { id: '5.4.2', title: 'Private endpoint', controls: ['CLU-1'] },
            { id: '4.1.8', title: 'Limit bind, impersonate and escalate', controls: [] },
            { id: '9.9', title: 'Mapped to a control the matrix does not have', controls: ['ZZZ-1'] },
          ],
        },
      ],
    });
    expect(mapped.backlog.frameworkGaps.map((g) => g.id)).toEqual(['4.1.8', '9.9']);
    expect(renderControlsMatrixMarkdown(mapped)).toContain(
      '| CIS EKS 1.8 | 4.1.8 | Limit bind, impersonate and escalate |',
    );
  });

  test('says None where nothing is open', () => {
    const clean = renderControlsMatrixMarkdown(
      buildControlsMatrix([EVALUATIONS[0]], { ...OPTIONS, controls: CONTROLS.filter((c) => !c.processOnly) }),
    );
    expect(clean.slice(clean.indexOf('## Hardening backlog')).match(/^None\.$/gm)).toHaveLength(3);
  });
});

describe('threat-model.sarif', () => {
  const sarif = buildSarif(EVALUATIONS, {
    ...OPTIONS,
    outdir: '/work/out',
    templateFiles: { Product: '/work/cdk.out/Product.product.template.json' },
  });

  test('is structurally valid SARIF 2.1.0', () => {
    expectValidSarif(sarif);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.name).toBe('EksThreatModel');
  });

  test('every rule is a driver rule with its control, threats and level', () => {
    expect(
      sarif.runs[0].tool.driver.rules.map((r) => [
        r.id,
        r.properties.controlId,
        r.properties.level,
        r.defaultConfiguration.level,
      ]),
    ).toEqual([
      ['EksThreatModel-CLU-1', 'CLU-1', 'error', 'error'],
      ['EksThreatModel-NET-1', 'NET-1', 'error', 'error'],
      ['EksThreatModel-CLU-3', 'CLU-3', 'warning', 'warning'],
    ]);
    expect(sarif.runs[0].tool.driver.rules[0].properties.threats).toEqual(['TH-1', 'EP-1', 'PV-1']);
  });

  test('results are the failing evaluations; acknowledged ones carry an external suppression with the reason', () => {
    const results = sarif.runs[0].results;
    expect(
      results.map((r) => [r.ruleId, r.level, r.locations[0].logicalLocations[0].name, r.suppressions?.length ?? 0]),
    ).toEqual([
      ['EksThreatModel-NET-1', 'error', 'OpenSg', 0],
      ['EksThreatModel-NET-1', 'error', 'AckedSg', 1],
      ['EksThreatModel-CLU-3', 'warning', 'Cluster', 1],
    ]);
    expect(results[1].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: ACK }]);
    expect(results[0].message.text).toBe('[TH-1, EP-1, EP-3, AC-1] OpenSg: NET-1 holds: ingress from 0.0.0.0/0 on 443');
    expect(results[2].message.text).toContain('[unresolved] LogTypes depends on a parameter');
    expect(results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('Catalog/Product/OpenSg/Resource');
  });

  test('the artifact is the template file relative to the output directory, else the stack name', () => {
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      '../cdk.out/Product.product.template.json',
    );
    const bare = buildSarif(EVALUATIONS, OPTIONS);
    expect(bare.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('Product');
  });

  test('a failing evaluation of a rule outside the rule set still gets a driver rule', () => {
    const odd = buildSarif([evaluation({ controlId: 'ZZZ-1', logicalId: 'X', status: 'fail' })], OPTIONS);
    expectValidSarif(odd);
    expect(odd.runs[0].results[0].ruleId).toBe('EksThreatModel-ZZZ-1');
  });

  test("with the pack's real rules the log is valid and lists every rule", () => {
    const real = buildSarif([]);
    expectValidSarif(real);
    expect(real.runs[0].tool.driver.rules).toHaveLength(ALL_RULES.length);
    expect(real.runs[0].results).toEqual([]);
  });
});

describe('writeThreatModelReports', () => {
  test('writes the three documents; the JSON is the matrix data and its totals match its rows', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
    fs.writeFileSync(path.join(outdir, 'Product.product.template.json'), '{}');
    const written = writeThreatModelReports(path.join(outdir, 'threat-model'), EVALUATIONS, {
      ...OPTIONS,
      templateDirectory: outdir,
    });
    expect(fs.readdirSync(path.join(outdir, 'threat-model')).sort()).toEqual([
      'controls-matrix.json',
      'controls-matrix.md',
      'runbooks',
      'threat-model.junit.xml',
      'threat-model.sarif',
    ]);
    const json = JSON.parse(fs.readFileSync(written.files.json, 'utf8'));
    // The written matrix carries the CIS EKS mapping of the matrix (its coverage gaps are in the backlog).
    expect(json).toEqual(
      JSON.parse(
        JSON.stringify(buildControlsMatrix(EVALUATIONS, { ...OPTIONS, frameworks: [cisFrameworkMapping(CONTROLS)] })),
      ),
    );
    expect(json.backlog.frameworkGaps).toContainEqual({
      framework: 'CIS Amazon EKS Benchmark 1.8.0',
      id: '4.4.2',
      title: 'Consider external secret storage',
    });
    expect(json.controls.find((c: { controlId: string }) => c.controlId === 'CLU-1')).toMatchObject({
      cisEks: ['5.4.1', '5.4.2'],
      nist80053: ['SC-7', 'AC-17'],
    });
    for (const status of CONTROL_STATUSES)
      expect(json.totals[status]).toBe(json.controls.filter((c: { status: string }) => c.status === status).length);
    expect(fs.readFileSync(written.files.markdown, 'utf8')).toBe(renderControlsMatrixMarkdown(written.report));
    const sarif = JSON.parse(fs.readFileSync(written.files.sarif, 'utf8'));
    expectValidSarif(sarif);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      '../Product.product.template.json',
    );
  });

  test('the same evaluations give the same bytes', () => {
    const a = writeThreatModelReports(fs.mkdtempSync(path.join(os.tmpdir(), 'reports-')), EVALUATIONS, OPTIONS);
    const b = writeThreatModelReports(fs.mkdtempSync(path.join(os.tmpdir(), 'reports-')), EVALUATIONS, OPTIONS);
    for (const key of ['markdown', 'json', 'sarif'] as const)
      expect(fs.readFileSync(a.files[key], 'utf8')).toBe(fs.readFileSync(b.files[key], 'utf8'));
  });

  test('templates are found by stack name, product stacks included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
    for (const f of ['Hub.template.json', 'HubProductAB12.product.template.json', 'Hub.assets.json'])
      fs.writeFileSync(path.join(dir, f), '{}');
    expect(locateTemplateFiles(dir, ['Hub', 'HubProductAB12', 'Missing'])).toEqual({
      Hub: path.join(dir, 'Hub.template.json'),
      HubProductAB12: path.join(dir, 'HubProductAB12.product.template.json'),
    });
  });
});

test('the approver and expiry come from the register entry the evaluation carries, never from the reason text', () => {
  const withoutEntry = buildControlsMatrix([{ ...EVALUATIONS[2], exemption: undefined }], OPTIONS);
  expect(withoutEntry.violations[0].exemption).toEqual({
    ruleId: 'EksThreatModel-NET-1',
    stackName: 'Product',
    logicalId: 'AckedSg',
    constructPath: 'Catalog/Product/AckedSg/Resource',
    reason: ACK,
  });
  expect(withoutEntry.backlog.exemptions).toEqual([
    { controlId: 'NET-1', ruleId: 'EksThreatModel-NET-1', resource: 'AckedSg', stackName: 'Product' },
  ]);
});

test('the SARIF shape check rejects what the schema rejects', () => {
  const good = JSON.parse(JSON.stringify(buildSarif(EVALUATIONS, OPTIONS)));
  const broken = JSON.parse(JSON.stringify(good));
  broken.version = '2.0.0';
  broken.runs[0].results[0].ruleId = 'EksThreatModel-NOPE';
  broken.runs[0].results[1].level = 'fatal';
  broken.runs[0].results[2].suppressions = [{ kind: 'ignored' }];
  delete broken.runs[0].tool.driver.rules[0].help;
  expect(sarifProblems(good)).toEqual([]);
  const problems = sarifProblems(broken).join('\n');
  for (const expected of [
    'version must be "2.1.0"',
    "ruleId 'EksThreatModel-NOPE' is not a driver rule",
    'results[1].level',
    'suppression kind',
    'rules[0].help.text',
  ]) {
    expect(problems).toContain(expected);
  }
});
