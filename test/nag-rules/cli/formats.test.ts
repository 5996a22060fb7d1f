import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { XMLParser } from 'fast-xml-parser';
import { run } from './cli-support';
import { ALL_RULES } from '../../../nag-rules/rules';
import { expectValidSarif } from '../reports/sarif-shape';

let dir: string;
const write = (name: string, content: string | object): void => {
  fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
};

/** A YAML cluster with a public endpoint (misconfiguration), lacking the product's controls (missing control). */
const PUBLIC_CLUSTER = [
  'Parameters:',
  '  Ns: { Type: String }',
  'Resources:',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      RoleArn: arn:aws:iam::111122223333:role/eks',
  '      ResourcesVpcConfig:',
  '        SubnetIds: [subnet-1]',
  '        EndpointPrivateAccess: true',
  '        EndpointPublicAccess: true',
].join('\n');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-threat-model-formats-'));
  write('cluster.yaml', PUBLIC_CLUSTER);
});

const printedFindings = (stdout: string) => stdout.split('\n').filter((l) => /^ {2}(FAIL|INVALID) /.test(l));

describe('--format', () => {
  test('json prints the findings with threats, framework references and a summary that counts them', () => {
    const result = run(['check', 'cluster.yaml', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.find((f: any) => f.ruleId === 'EksThreatModel-CLU-1')).toMatchObject({
      template: 'cluster.yaml',
      logicalId: 'Cluster',
      level: 'error',
      kind: 'misconfiguration',
      threats: ['TH-1', 'EP-1', 'PV-1'],
      cisEks: ['5.4.1', '5.4.2'],
    });
    expect(report.summary.open).toBe(report.findings.length);
    expect(report.summary.error + report.summary.warning + report.summary.unresolved).toBe(report.summary.open);
  });

  test('junit prints one test case per control and resource, failures carrying the threat IDs, properties the frameworks', () => {
    const result = run(['check', 'cluster.yaml', '--format', 'junit'], dir);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(result.stdout);
    const suite = xml.testsuites.testsuite;
    expect(suite.name).toBe('cluster.yaml');
    const cases: any[] = [suite.testcase].flat();
    const clu1 = cases.find((c) => c.name === 'CLU-1 Cluster');
    expect(clu1.classname).toBe('EksThreatModel.cluster.yaml');
    expect(clu1.failure.message).toMatch(/^\[TH-1, EP-1, PV-1\] Cluster: .*the public endpoint is on/);
    const properties = Object.fromEntries([clu1.properties.property].flat().map((p: any) => [p.name, p.value]));
    expect(properties).toMatchObject({
      rule: 'EksThreatModel-CLU-1',
      cisEks: '5.4.1, 5.4.2',
      nist80053: 'SC-7, AC-17',
      kind: 'misconfiguration',
    });
    // One case per (control, resource): no duplicates, whatever the number of findings of a rule.
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(Number(suite.failures)).toBe(cases.filter((c) => c.failure).length);
  });

  test('sarif results point at the line of the logical ID, carry framework tags and keep their fingerprints across runs', () => {
    const first = JSON.parse(run(['check', 'cluster.yaml', '--format', 'sarif'], dir).stdout);
    expectValidSarif(first);
    const clu1 = first.runs[0].results.find((r: any) => r.ruleId === 'EksThreatModel-CLU-1');
    expect(clu1.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cluster.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4 },
    });
    const descriptor = first.runs[0].tool.driver.rules.find((r: any) => r.id === 'EksThreatModel-CLU-1');
    expect(descriptor.properties.tags).toEqual(
      expect.arrayContaining(['CIS-EKS-5.4.2', 'NIST-800-53-SC-7', 'misconfiguration']),
    );
    // The template grows above the cluster: the line moves, the fingerprint stays.
    write('cluster.yaml', `Description: now with a description\n${PUBLIC_CLUSTER}`);
    const second = JSON.parse(run(['check', 'cluster.yaml', '--format', 'sarif'], dir).stdout);
    const moved = second.runs[0].results.find((r: any) => r.ruleId === 'EksThreatModel-CLU-1');
    expect(moved.locations[0].physicalLocation.region.startLine).toBe(5);
    expect(moved.partialFingerprints).toEqual(clu1.partialFingerprints);
    const fingerprints = first.runs[0].results.map((r: any) => JSON.stringify(r.partialFingerprints) + r.ruleId);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  test("markdown prints the controls matrix with each control's CIS EKS and NIST references", () => {
    const result = run(['check', 'cluster.yaml', '--format', 'markdown'], dir);
    expect(result.stdout).toContain('# ');
    expect(result.stdout).toMatch(
      /\| CLU-1 \| Kubernetes API endpoint private only \| EksThreatModel-CLU-1 \(error\) \| \*\*fail\*\* \|.*\| CIS 5\.4\.1, 5\.4\.2; NIST SC-7, AC-17 \|/,
    );
  });

  test('bad formats and several formats without --out exit 2 with one line, writing nothing', () => {
    const before = fs.readdirSync(dir);
    for (const args of [
      ['--format', 'pdf'],
      ['--format', 'json,sarif'],
      ['--framework', 'iso-27001'],
      ['--profile', 'all'],
      ['--fail-on', 'never'],
    ]) {
      const result = run(['check', 'cluster.yaml', ...args], dir);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
    expect(run(['check', 'cluster.yaml', '--format', 'pdf'], dir).stderr).toBe(
      "eks-threat-model check: unknown format 'pdf' (one of: text, json, sarif, junit, markdown)",
    );
    expect(fs.readdirSync(dir)).toEqual(before);
  });
});

describe('--profile and the summary', () => {
  test('misconfigurations leaves out the missing-control rules; the summary counts the printed lines', () => {
    const product = run(['check', 'cluster.yaml'], dir);
    const misconfigurations = run(['check', 'cluster.yaml', '--profile', 'misconfigurations'], dir);
    const missing = ALL_RULES.filter((r) => r.kind === 'missing-control').map((r) => `EksThreatModel-${r.controlId} `);
    expect(missing.some((id) => product.stdout.includes(id))).toBe(true);
    expect(missing.some((id) => misconfigurations.stdout.includes(id))).toBe(false);
    expect(misconfigurations.stdout).toContain('FAIL EksThreatModel-CLU-1 error Cluster');
    for (const result of [product, misconfigurations]) {
      const count = Number(/: (\d+) finding\(s\)/.exec(result.stdout)?.[1]);
      expect(count).toBe(printedFindings(result.stdout).length);
    }
    expect(printedFindings(misconfigurations.stdout).length).toBeLessThan(printedFindings(product.stdout).length);
  });
});

describe('--fail-on', () => {
  const warningsOnly = {
    Resources: {
      Repo: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          ImageScanningConfiguration: { ScanOnPush: true },
          ImageTagMutability: 'IMMUTABLE',
          EncryptionConfiguration: { EncryptionType: 'KMS' },
        },
      },
    },
  };

  test('error passes a template whose findings are all warnings; warning fails it', () => {
    write('repo.json', warningsOnly);
    const lines = printedFindings(run(['check', 'repo.json'], dir).stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => / warning /.test(l))).toBe(true);
    expect(run(['check', 'repo.json', '--fail-on', 'error'], dir).code).toBe(0);
    expect(run(['check', 'repo.json', '--fail-on', 'warning'], dir).code).toBe(1);
  });

  test('an unresolved finding fails only with --fail-on unresolved (the default)', () => {
    write(
      'param.yaml',
      PUBLIC_CLUSTER.replace('EndpointPublicAccess: true', 'EndpointPublicAccess: !Ref Ns').replace(
        'RoleArn: arn:aws:iam::111122223333:role/eks',
        'RoleArn: arn:aws:iam::111122223333:role/eks\n      Version: "1.36"',
      ),
    );
    const unresolved = printedFindings(
      run(['check', 'param.yaml', '--profile', 'misconfigurations'], dir).stdout,
    ).filter((l) => l.includes('[unresolved]'));
    expect(unresolved.some((l) => l.includes('EksThreatModel-CLU-1'))).toBe(true);
    // A repository compliant but for a tag mutability a parameter decides: its only finding is unresolved.
    write('repo.json', {
      Parameters: { Mutability: { Type: 'String' } },
      Resources: {
        Repo: {
          ...warningsOnly.Resources.Repo,
          Properties: {
            ...warningsOnly.Resources.Repo.Properties,
            ImageTagMutability: { Ref: 'Mutability' },
            LifecyclePolicy: {
              LifecyclePolicyText: JSON.stringify({
                rules: [
                  {
                    rulePriority: 1,
                    selection: {
                      tagStatus: 'untagged',
                      countType: 'sinceImagePushed',
                      countUnit: 'days',
                      countNumber: 7,
                    },
                    action: { type: 'expire' },
                  },
                ],
              }),
            },
          },
        },
      },
    });
    const lines = printedFindings(run(['check', 'repo.json'], dir).stdout);
    expect(lines).toEqual([
      expect.stringMatching(
        /^ {2}FAIL EksThreatModel-REG-2 error Repo .*\[unresolved\] ImageTagMutability cannot be checked/,
      ),
    ]);
    expect(run(['check', 'repo.json'], dir).code).toBe(1);
    expect(run(['check', 'repo.json', '--fail-on', 'unresolved'], dir).code).toBe(1);
    expect(run(['check', 'repo.json', '--fail-on', 'warning'], dir).code).toBe(0);
    expect(run(['check', 'repo.json', '--fail-on', 'error'], dir).code).toBe(0);
    const json = JSON.parse(run(['check', 'repo.json', '--format', 'json', '--fail-on', 'error'], dir).stdout);
    expect(json.summary).toMatchObject({ open: 1, unresolved: 1, failing: 0 });
  });
});

describe('templates CloudFormation would reject', () => {
  test('an unknown resource type and a property of the wrong type are errors naming the resource', () => {
    write(
      'bad.yaml',
      'Resources:\n  Typo:\n    Type: AWS::EKS::Clustr\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: [1]\n      FifoQueue: "true"\n',
    );
    const result = run(['check', 'bad.yaml', '--fail-on', 'error'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "  INVALID Typo AWS::EKS::Clustr CloudFormation would reject this resource: unknown resource type 'AWS::EKS::Clustr'",
    );
    expect(result.stdout).toContain(
      '  INVALID Queue AWS::SQS::Queue CloudFormation would reject this resource: VisibilityTimeout is a list, not a number',
    );
    // "true" for a boolean is what CloudFormation accepts: no finding for it.
    expect(result.stdout).not.toContain('FifoQueue');
    // Code scanning sees them too, at the resource's line.
    const sarif = JSON.parse(run(['check', 'bad.yaml', '--format', 'sarif'], dir).stdout);
    expectValidSarif(sarif);
    expect(
      sarif.runs[0].results
        .filter((r: any) => r.ruleId === 'CloudFormation-Invalid')
        .map((r: any) => [r.locations[0].physicalLocation.region.startLine, r.message.text]),
    ).toEqual([
      [2, "Typo: CloudFormation would reject this resource: unknown resource type 'AWS::EKS::Clustr'"],
      [4, 'Queue: CloudFormation would reject this resource: VisibilityTimeout is a list, not a number'],
    ]);
  });

  test('values known only at deployment, custom resources and third-party types are left alone', () => {
    write(
      'ok.yaml',
      [
        'Resources:',
        '  Queue: { Type: AWS::SQS::Queue, Properties: { VisibilityTimeout: !Ref Timeout } }',
        '  Custom: { Type: Custom::Thing, Properties: { ServiceToken: arn, Anything: [1, { a: 2 }] } }',
        '  Vendor: { Type: Acme::Widgets::Widget, Properties: { Size: [] } }',
        'Parameters: { Timeout: { Type: Number } }',
      ].join('\n'),
    );
    expect(run(['check', 'ok.yaml'], dir).stdout).not.toContain('INVALID');
  });
});

describe('messages', () => {
  test('never show an internal token and never cut an expression off', () => {
    write(
      'sub.yaml',
      PUBLIC_CLUSTER.replace(
        '  Ns: { Type: String }',
        '  Ns: { Type: String }\n  VeryLongParameterNameThatWouldHaveBeenCutOffBeforeTheFix: { Type: String }',
      ).replace(
        'EndpointPublicAccess: true',
        'EndpointPublicAccess: !Join ["", [!Ref Ns, !Ref VeryLongParameterNameThatWouldHaveBeenCutOffBeforeTheFix, "-and-some-more-literal-text-to-pass-eighty"]]',
      ),
    );
    const result = run(['check', 'sub.yaml', '--format', 'json'], dir);
    expect(result.stdout).not.toContain('${Token:');
    const clu1 = JSON.parse(result.stdout).findings.find((f: any) => f.ruleId === 'EksThreatModel-CLU-1');
    expect(clu1.message).toBe(
      "EndpointPublicAccess cannot be checked at synth time: it depends on a value Fn::Join computes at deploy time from 'Ns', 'VeryLongParameterNameThatWouldHaveBeenCutOffBeforeTheFix'",
    );
  });
});

describe('--framework cis-eks', () => {
  test("reports each recommendation as covered, process-only or not covered, with this run's result", () => {
    const result = run(['check', 'cluster.yaml', '--framework', 'cis-eks'], dir);
    expect(result.stdout).toMatch(
      /^CIS Amazon EKS Benchmark 1\.8\.0 \(profile product\): \d+ covered by a rule, \d+ process-only, \d+ not covered$/m,
    );
    expect(result.stdout).toMatch(
      /^ {2}5\.4\.2 +covered +fail +Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled \(CLU-1\)$/m,
    );
    expect(result.stdout).toMatch(/^ {2}4\.4\.2 +not-covered +Consider external secret storage$/m);
    const json = JSON.parse(run(['check', 'cluster.yaml', '--framework', 'cis-eks', '--format', 'json'], dir).stdout);
    expect(json.frameworks['cis-eks'].find((r: any) => r.id === '5.3.1')).toMatchObject({
      coverage: 'covered',
      controls: ['CLU-2', 'IDN-15'],
      result: 'fail',
    });
  });
});
