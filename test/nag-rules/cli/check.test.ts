import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLEAN_TYPE, clusterWith, run } from './cli-support';
import { parseTemplateText } from '../../../nag-rules/cli/template-loader';
import { ALL_RULES } from '../../../nag-rules/rules';
import { expectValidSarif } from '../reports/sarif-shape';

const ROOT = path.join(__dirname, '..', '..', '..');
/** Where these tests ask for the report files (`--out`). */
const DEFAULT_OUT = 'threat-model-report';

let dir: string;
const write = (name: string, content: string | object): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-threat-model-cli-'));
});

test('without --out the check prints and leaves the working directory as it was', () => {
  write('public.json', clusterWith({ EndpointPublicAccess: true }));
  const before = fs.readdirSync(dir);
  const result = run(['check', 'public.json'], dir);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('FAIL EksThreatModel-CLU-1');
  expect(fs.readdirSync(dir)).toEqual(before);
});

test('a clean template exits 0 and, with --out, writes every report', () => {
  expect(ALL_RULES.some((r) => r.resourceTypes.includes(CLEAN_TYPE))).toBe(false);
  write('clean.json', { Resources: { Handle: { Type: CLEAN_TYPE } } });
  const result = run(['check', 'clean.json', '--out', DEFAULT_OUT], dir);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toContain(
    '1 template(s), profile product: 0 finding(s) (0 error, 0 warning, 0 unresolved), 0 acknowledged; 0 fail the run (--fail-on unresolved).',
  );
  expect(fs.readdirSync(path.join(dir, DEFAULT_OUT)).sort()).toEqual([
    'controls-matrix.json',
    'controls-matrix.md',
    'eks-threat-model.json',
    'eks-threat-model.txt',
    'runbooks',
    'security-views',
    'threat-model.junit.xml',
    'threat-model.sarif',
  ]);
  // The CLI draws every template it checks, with or without a cluster.
  expect(fs.readdirSync(path.join(dir, DEFAULT_OUT, 'security-views', 'clean.json')).sort()).toEqual([
    'data-flow.md',
    'data-flow.svg',
    'ownership.json',
    'ownership.md',
  ]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, DEFAULT_OUT, 'controls-matrix.json'), 'utf8')).stacks).toEqual([
    'clean.json',
  ]);
});

test('a public EKS endpoint exits 1 and prints the CLU-1 finding with level, logical ID and threats', () => {
  write('public.json', clusterWith({ EndpointPublicAccess: true }));
  const result = run(['check', 'public.json'], dir);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('public.json\n');
  expect(result.stdout).toContain(
    'FAIL EksThreatModel-CLU-1 error Cluster [TH-1, EP-1, PV-1] the public endpoint is on',
  );
});

test('the security view of a checked template shows the failing control on its flow', () => {
  write('public.json', clusterWith({ EndpointPublicAccess: true }));
  const result = run(['check', 'public.json', '--out', DEFAULT_OUT], dir);
  expect(result.stdout).toContain(
    `Security view of public.json: ${DEFAULT_OUT}/security-views/public.json/data-flow.md, ${DEFAULT_OUT}/security-views/public.json/data-flow.svg`,
  );
  const markdown = fs.readFileSync(
    path.join(dir, DEFAULT_OUT, 'security-views', 'public.json', 'data-flow.md'),
    'utf8',
  );
  expect(markdown).toContain(
    '| no public API endpoint (closed) | Internet | EKS control plane (API server, etcd) |  | EP-1 | CLU-1 ✗',
  );
  expect(
    fs.readFileSync(path.join(dir, DEFAULT_OUT, 'security-views', 'public.json', 'data-flow.svg'), 'utf8'),
  ).toContain('<svg');
});

test('reports go to --out: the SARIF names the template relative to the report and the Markdown lists the violation', () => {
  write('public.json', clusterWith({ EndpointPublicAccess: true }));
  const result = run(['check', 'public.json', '--out', 'reports/eks'], dir);
  expect(result.stdout).toContain(
    'Reports: reports/eks/eks-threat-model.txt, reports/eks/eks-threat-model.json, reports/eks/threat-model.sarif, reports/eks/threat-model.junit.xml, reports/eks/controls-matrix.md, reports/eks/controls-matrix.json',
  );
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'eks', 'threat-model.sarif'), 'utf8'));
  expectValidSarif(sarif);
  const clu1 = sarif.runs[0].results.find((r: any) => r.ruleId === 'EksThreatModel-CLU-1');
  // Relative to the working directory (the repository root code scanning resolves against), at the logical ID's line.
  expect(clu1.locations[0].physicalLocation).toEqual({
    artifactLocation: { uri: 'public.json', uriBaseId: '%SRCROOT%' },
    region: { startLine: 3 },
  });
  expect(clu1.locations[0].logicalLocations[0]).toMatchObject({ name: 'Cluster', fullyQualifiedName: 'Cluster' });
  expect(fs.readFileSync(path.join(dir, 'reports', 'eks', 'controls-matrix.md'), 'utf8')).toMatch(
    /\| \*\*fail\*\* \| EksThreatModel-CLU-1 \| error \| TH-1, EP-1, PV-1 \| public\.json \| Cluster \(AWS::EKS::Cluster\) \|/,
  );
  expect(fs.existsSync(path.join(dir, DEFAULT_OUT))).toBe(false);
});

test('a YAML template with short forms loads: !Ref reaches the rule as a Ref, reported as unresolved', () => {
  write(
    'cluster.yaml',
    [
      'Parameters:',
      '  Public: { Type: String, AllowedValues: ["true", "false"] }',
      'Resources:',
      '  Cluster:',
      '    Type: AWS::EKS::Cluster',
      '    Properties:',
      '      RoleArn: !GetAtt Role.Arn',
      '      ResourcesVpcConfig:',
      '        SubnetIds: [subnet-1]',
      '        EndpointPrivateAccess: true',
      '        EndpointPublicAccess: !Ref Public',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: { Statement: [] }',
    ].join('\n'),
  );
  const result = run(['check', 'cluster.yaml'], dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(
    /FAIL EksThreatModel-CLU-1 error Cluster \[TH-1, EP-1, PV-1\] \[unresolved\] EndpointPublicAccess cannot be checked at synth time: it depends on parameter or resource 'Public'/,
  );
});

test('CloudFormation short forms map to the long forms, nested ones included', () => {
  expect(
    parseTemplateText(
      [
        'A: !Ref X',
        'B: !GetAtt Res.Endpoint.Address',
        'C: !Sub "${AWS::StackName}-x"',
        'D: !Join ["", [!Ref X, !Select [0, !GetAZs ""]]]',
        'E: !If [Cond, !Ref "AWS::NoValue", !Base64 text]',
        'F: !Condition IsProd',
        'G: !GetAtt [Res, Arn]',
      ].join('\n'),
    ),
  ).toEqual({
    A: { Ref: 'X' },
    B: { 'Fn::GetAtt': ['Res', 'Endpoint.Address'] },
    C: { 'Fn::Sub': '${AWS::StackName}-x' },
    D: { 'Fn::Join': ['', [{ Ref: 'X' }, { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }]] },
    E: { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, { 'Fn::Base64': 'text' }] },
    F: { Condition: 'IsProd' },
    G: { 'Fn::GetAtt': ['Res', 'Arn'] },
  });
});

test.each([
  ['broken.yaml', 'Resources: [\n', /^error: broken\.yaml: not valid JSON or YAML: /],
  ['broken.json', '{ "Resources": { ', /^error: broken\.json: not valid JSON or YAML: /],
  [
    'no-resources.json',
    '{ "AWSTemplateFormatVersion": "2010-09-09" }',
    /^error: no-resources\.json: not a CloudFormation template \(no Resources section\)$/,
  ],
  ['list.json', '[1, 2]', /^error: list\.json: not a CloudFormation template \(the document is not an object\)$/],
  [
    'untyped.json',
    '{ "Resources": { "A": { "Properties": {} } } }',
    /^error: untyped\.json: resource 'A' has no Type$/,
  ],
])('invalid input %s exits 2 with a message naming the file', (name, content, message) => {
  write(name, content);
  const result = run(['check', name], dir);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(fs.existsSync(path.join(dir, DEFAULT_OUT))).toBe(false);
});

test('a missing file exits 2 naming it, even next to a valid template', () => {
  write('clean.json', { Resources: { Handle: { Type: CLEAN_TYPE } } });
  const result = run(['check', 'clean.json', 'nope/missing.yaml'], dir);
  expect(result).toMatchObject({ code: 2, stderr: 'error: nope/missing.yaml: no such file', stdout: '' });
});

test('usage errors exit 2 with the usage', () => {
  expect(run([], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('no command') });
  expect(run(['check'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('no template given') });
  expect(run(['check', 'a.json', '--bogus'], dir)).toMatchObject({
    code: 2,
    stderr: expect.stringContaining("Unknown option '--bogus'"),
  });
  expect(run(['--help'], dir)).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('Usage: eks-threat-model check <template>'),
  });
});

test('template metadata does not waive an EksThreatModel finding: only the register given with --exemptions does', () => {
  write(
    'acked.json',
    clusterWith(
      { EndpointPublicAccess: true },
      { cdk_nag: { rules_to_suppress: [{ id: 'EksThreatModel-CLU-1', reason: 'self-approved' }] } },
    ),
  );
  const unwaived = run(['check', 'acked.json'], dir);
  expect(unwaived.code).toBe(1);
  expect(unwaived.stdout).toContain('FAIL EksThreatModel-CLU-1');

  const entry = {
    rule: 'EksThreatModel-CLU-1',
    resource: 'Cluster',
    reason: 'Public endpoint during the migration',
    approvedBy: 'Jane Doe',
    approvedOn: '2026-02-01',
    expires: '2999-06-30',
    ticket: 'SEC-1',
  };
  fs.writeFileSync(
    path.join(dir, 'register.yaml'),
    `- ${Object.entries(entry)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n  ')}\n`,
  );
  const result = run(['check', 'acked.json', '--exemptions', 'register.yaml', '--out', DEFAULT_OUT], dir);
  expect(result.stdout).not.toContain('FAIL EksThreatModel-CLU-1');
  expect(result.stdout).toContain(
    'ACK  EksThreatModel-CLU-1 error Cluster [TH-1, EP-1, PV-1] the public endpoint is on',
  );
  expect(result.stdout).toContain(
    'acknowledged: Public endpoint during the migration (approved by Jane Doe on 2026-02-01, expires 2999-06-30, ticket SEC-1)',
  );
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, DEFAULT_OUT, 'threat-model.sarif'), 'utf8'));
  const clu1 = sarif.runs[0].results.find((r: any) => r.ruleId === 'EksThreatModel-CLU-1');
  expect(clu1.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
  const json = JSON.parse(fs.readFileSync(path.join(dir, DEFAULT_OUT, 'controls-matrix.json'), 'utf8'));
  expect(json.controls.find((c: any) => c.controlId === 'CLU-1')).toMatchObject({
    status: 'exempt',
    exemptions: [{ entry: { approvedBy: 'Jane Doe', expires: '2999-06-30' } }],
  });

  fs.writeFileSync(
    path.join(dir, 'expired.yaml'),
    `- ${Object.entries({ ...entry, expires: '2020-01-01', approvedOn: '2019-01-01' })
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n  ')}\n`,
  );
  const expired = run(['check', 'acked.json', '--exemptions', 'expired.yaml'], dir);
  expect(expired.code).toBe(2);
  expect(expired.stderr).toContain('expired on 2020-01-01');
  // The register's own validation: an approval dated in the future is refused here as it is at synth.
  fs.writeFileSync(
    path.join(dir, 'future.yaml'),
    `- ${Object.entries({ ...entry, approvedOn: '2999-01-01' })
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n  ')}\n`,
  );
  const future = run(['check', 'acked.json', '--exemptions', 'future.yaml'], dir);
  expect(future.code).toBe(2);
  expect(future.stderr).toContain(
    'exemptions[0] (EksThreatModel-CLU-1 on Cluster): approvedOn 2999-01-01 is after today',
  );
});

describe('--aws-solutions', () => {
  test('adds cdk-nag AwsSolutions findings (EKS rules included), which fail the check', () => {
    write('bucket.yaml', 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n');
    write('public.json', clusterWith({ EndpointPublicAccess: true }));
    const without = run(['check', 'bucket.yaml', 'public.json'], dir);
    expect(without.stdout).not.toContain('AwsSolutions');
    const result = run(['check', 'bucket.yaml', 'public.json', '--aws-solutions'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL AwsSolutions-S1 error Bucket The S3 Bucket has server access logs disabled.');
    expect(result.stdout).toContain('FAIL AwsSolutions-EKS1 error Cluster');
    expect(result.stdout).toMatch(/; \d+ of them AwsSolutions finding\(s\)\.$/m);
  });

  test('honours acknowledgements in the template metadata', () => {
    write(
      'bucket.yaml',
      [
        'Resources:',
        '  Bucket:',
        '    Type: AWS::S3::Bucket',
        '    Metadata:',
        '      cdk_nag:',
        '        rules_to_suppress:',
        '          - { id: AwsSolutions-S1, reason: Scratch bucket without access logs, approved by the SME }',
      ].join('\n'),
    );
    const result = run(['check', 'bucket.yaml', '--aws-solutions'], dir);
    expect(result.stdout).not.toContain('AwsSolutions-S1 ');
    expect(result.stdout).toContain('AwsSolutions-S10 error Bucket');
  });

  test('a template CfnInclude cannot load exits 2 naming it', () => {
    write('dangling.json', {
      Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { Ref: 'NoSuchKey' } } } },
    });
    const result = run(['check', 'dangling.json', '--aws-solutions'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: dangling\.json: AwsSolutions could not load the template with CfnInclude: .*NoSuchKey/,
    );
  });
});

test("the repository's eks-threat-model executable runs the same CLI (its source through tsx; test/nag-rules/package runs the build)", () => {
  write('public.json', clusterWith({ EndpointPublicAccess: true }));
  const bin = path.join(ROOT, 'scripts', 'eks-threat-model.js');
  expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
  const result = spawnSync(process.execPath, [bin, 'check', 'public.json', '--out', 'out'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain('FAIL EksThreatModel-CLU-1');
  expect(fs.existsSync(path.join(dir, 'out', 'threat-model.sarif'))).toBe(true);
});

describe('--evidence-retention-days', () => {
  test('sets the DET-7 floor: a 365-day log group passes the default and fails a floor of 400; a bad floor exits 2 naming the option', () => {
    write('logs.json', { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } } });
    expect(run(['check', 'logs.json'], dir).code).toBe(0);
    const strict = run(['check', 'logs.json', '--evidence-retention-days', '400'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(
      /EksThreatModel-DET-7 .*Logs.*RetentionInDays is 365 days, under the floor of 400 days/,
    );
    for (const bad of ['0', 'ninety', '1.5']) {
      const refused = run(['check', 'logs.json', '--evidence-retention-days', bad], dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^error: Invalid EksThreatModel option '--evidence-retention-days': .* is not a whole number of days \(at least 1\)$/,
      );
    }
  });
});
