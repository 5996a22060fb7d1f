import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { EksThreatModelChecks } from '../../../nag-rules/eks-threat-model-pack';
import {
  acknowledgementOf,
  acknowledgementReason,
  applyExemptions,
  assertExemptionsInForce,
  Exemption,
  ExemptionError,
  loadExemptions,
  packAcknowledgements,
  parseExemptions,
} from '../../../nag-rules/exemptions/register';
import { ClusterEndpointPrivate } from '../../../nag-rules/rules/cluster/cluster-endpoint-private';

const TODAY = '2026-03-01';

const VALID: Exemption = {
  rule: 'EksThreatModel-CLU-1',
  resource: 'Tiny/Cluster',
  reason: 'Public endpoint during the migration, limited to the corporate CIDRs.',
  approvedBy: 'Jane Doe (security SME)',
  approvedOn: '2026-02-01',
  expires: '2026-06-30',
  ticket: 'SEC-1234',
};

/** The register's YAML for entries given as objects (every value written as a quoted string unless it is not one). */
function yamlOf(entries: Record<string, unknown>[]): string {
  return entries
    .map((e) =>
      Object.entries(e)
        .map(([k, v], i) => `${i === 0 ? '- ' : '  '}${k}: ${JSON.stringify(v)}`)
        .join('\n'),
    )
    .join('\n');
}

/** The problems an ExemptionError lists, or a failure if nothing (or something else) is thrown. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExemptionError) return [...error.problems];
    throw error;
  }
  throw new Error('expected an ExemptionError');
}

/** A tiny app: one stack with an `AWS::EKS::Cluster` whose endpoint is public (CLU-1 fails on it). */
function tinyApp(): { app: App; stack: Stack; cluster: CfnResource } {
  const app = new App();
  const stack = new Stack(app, 'Tiny');
  const cluster = new CfnResource(stack, 'Cluster', {
    type: 'AWS::EKS::Cluster',
    properties: {
      RoleArn: 'arn:aws:iam::111122223333:role/eks',
      ResourcesVpcConfig: { SubnetIds: ['subnet-1'], EndpointPublicAccess: true, EndpointPrivateAccess: true },
    },
  });
  return { app, stack, cluster };
}

describe('parseExemptions', () => {
  test("the repository's register parses (an empty list until the SME approves entries)", () => {
    const entries = loadExemptions(path.join(__dirname, '..', '..', '..', 'nag-rules', 'exemptions.yaml'));
    expect(Array.isArray(entries)).toBe(true);
    expect(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'nag-rules', 'exemptions.yaml'), 'utf8')).toMatch(
      /approvedBy/,
    );
  });

  test('a valid entry parses to its fields', () => {
    expect(parseExemptions(yamlOf([{ ...VALID }]))).toEqual([VALID]);
  });

  test('unquoted dates (YAML 1.2 reads them as strings) are accepted', () => {
    const text = yamlOf([{ ...VALID }])
      .replace('"2026-02-01"', '2026-02-01')
      .replace('"2026-06-30"', '2026-06-30');
    expect(text).toContain('approvedOn: 2026-02-01');
    expect(parseExemptions(text)).toEqual([VALID]);
  });

  test('`[]` and an empty document are no exemptions', () => {
    expect(parseExemptions('# nothing yet\n[]\n')).toEqual([]);
    expect(parseExemptions('# nothing yet\n')).toEqual([]);
  });

  test.each([
    ['an unknown field', { ...VALID, owner: 'me' }, 'exemptions[0].owner: unknown field'],
    ['a missing rule', { ...VALID, rule: undefined }, 'exemptions[0].rule: is missing'],
    ['a missing resource', { ...VALID, resource: undefined }, 'exemptions[0].resource: is missing'],
    ['an empty reason', { ...VALID, reason: '  ' }, 'exemptions[0].reason: must not be empty'],
    ['an empty approver', { ...VALID, approvedBy: '' }, 'exemptions[0].approvedBy: must not be empty'],
    ['a missing approver', { ...VALID, approvedBy: undefined }, 'exemptions[0].approvedBy: is missing'],
    ['a missing ticket', { ...VALID, ticket: undefined }, 'exemptions[0].ticket: is missing'],
    ['a number as ticket', { ...VALID, ticket: 1234 }, 'exemptions[0].ticket: must be a string (got number 1234)'],
    [
      'a bad approvedOn',
      { ...VALID, approvedOn: '2026-02-30' },
      "exemptions[0].approvedOn: '2026-02-30' is not a date written YYYY-MM-DD",
    ],
    [
      'a bad expires',
      { ...VALID, expires: '30/06/2026' },
      "exemptions[0].expires: '30/06/2026' is not a date written YYYY-MM-DD",
    ],
    [
      'an expiry before the approval',
      { ...VALID, expires: '2026-01-01' },
      'exemptions[0].expires: 2026-01-01 is before approvedOn 2026-02-01',
    ],
    [
      'a rule of another pack',
      { ...VALID, rule: 'AwsSolutions-EKS1' },
      "exemptions[0].rule: 'AwsSolutions-EKS1' is not a rule of the EksThreatModel pack",
    ],
    [
      'a rule the pack does not have',
      { ...VALID, rule: 'EksThreatModel-CLU-999' },
      "exemptions[0].rule: 'EksThreatModel-CLU-999' is not an existing rule of the pack",
    ],
  ])('%s is an error naming the entry and the field', (_name, entry, message) => {
    const problems = problemsOf(() =>
      parseExemptions(
        yamlOf(
          [entry as Record<string, unknown>].map((e) =>
            Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)),
          ),
        ),
      ),
    );
    expect(problems).toEqual([expect.stringContaining(message)]);
  });

  test('every problem of every entry is reported at once, by index', () => {
    const text = yamlOf([
      { ...VALID },
      { ...VALID, resource: 'Tiny/Other', expires: 'soon', ticket: '' },
      { ...VALID },
    ]);
    const problems = problemsOf(() => parseExemptions(text, { source: 'test.yaml' }));
    expect(problems).toEqual([
      expect.stringContaining('exemptions[1].ticket: must not be empty'),
      expect.stringContaining("exemptions[1].expires: 'soon' is not a date"),
      expect.stringContaining('exemptions[2]: exempts EksThreatModel-CLU-1 on Tiny/Cluster again'),
    ]);
  });

  test('a register that is not a list, or not YAML, or has entries that are not mappings, is an error', () => {
    expect(problemsOf(() => parseExemptions('rule: EksThreatModel-CLU-1\n'))).toEqual([
      expect.stringContaining('must be a list of entries'),
    ]);
    expect(problemsOf(() => parseExemptions('- rule: a\n  rule: b\n'))).toEqual([
      expect.stringContaining('not valid YAML'),
    ]);
    expect(problemsOf(() => parseExemptions('- just a string\n'))).toEqual([
      expect.stringContaining('exemptions[0]: must be a mapping'),
    ]);
  });

  test('the error message names the register and lists each problem on its own line', () => {
    let message = '';
    try {
      parseExemptions(yamlOf([{ ...VALID, ticket: '' }]), { source: 'nag-rules/exemptions.yaml' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'Invalid exemptions (nag-rules/exemptions.yaml):\n  - exemptions[0].ticket: must not be empty',
    );
  });
});

describe('applyExemptions', () => {
  test('a valid entry becomes an acknowledgement that the pack reports as acknowledged', () => {
    const { app, cluster } = tinyApp();
    const pack = new EksThreatModelChecks(undefined, { rules: [ClusterEndpointPrivate] });
    // Without the exemption CLU-1 fails on the cluster.
    expect(pack.validateScope(app).violations.map((v) => v.ruleName)).toEqual(['EksThreatModel-CLU-1']);

    const result = applyExemptions(app, [VALID], TODAY);

    expect(result.applied).toEqual([{ entry: VALID, constructPath: 'Tiny/Cluster' }]);
    const reason =
      'Public endpoint during the migration, limited to the corporate CIDRs. (approved by Jane Doe (security SME) on 2026-02-01, expires 2026-06-30, ticket SEC-1234)';
    expect(acknowledgementReason(VALID)).toBe(reason);
    expect(
      cluster.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data),
    ).toEqual([{ 'Annotation::EksThreatModel-CLU-1': reason }]);
    const report = pack.validateScope(app);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
    expect(pack.evaluations.map((e) => [e.ruleId, e.status, e.constructPath, e.acknowledged])).toEqual([
      ['EksThreatModel-CLU-1', 'fail', 'Tiny/Cluster', reason],
    ]);
    expect(packAcknowledgements(app)).toEqual([
      { constructPath: 'Tiny/Cluster', rule: 'EksThreatModel-CLU-1', reason, fromRegister: true },
    ]);
  });

  test('an entry may name the resource by logical ID, in a Service Catalog product stack too', () => {
    const app = new App();
    const hub = new Stack(app, 'Hub');
    const product = new servicecatalog.ProductStack(hub, 'Product');
    const cluster = new CfnResource(product, 'Cluster', {
      type: 'AWS::EKS::Cluster',
      properties: { ResourcesVpcConfig: { EndpointPublicAccess: true } },
    });
    cluster.overrideLogicalId('PublicCluster');

    const result = applyExemptions(app, [{ ...VALID, resource: 'PublicCluster' }], TODAY);

    expect(result.applied.map((a) => a.constructPath)).toEqual(['Hub/Product/Cluster']);
    const pack = new EksThreatModelChecks(undefined, { rules: [ClusterEndpointPrivate] });
    expect(pack.validateScope(app).violations).toEqual([]);
    expect(pack.evaluations.map((e) => e.acknowledged)).toEqual([acknowledgementReason(VALID)]);
  });

  test('the exemption covers only its construct: another public cluster still fails', () => {
    const { app, stack } = tinyApp();
    new CfnResource(stack, 'Other', {
      type: 'AWS::EKS::Cluster',
      properties: { ResourcesVpcConfig: { EndpointPublicAccess: true } },
    });
    applyExemptions(app, [VALID], TODAY);
    const pack = new EksThreatModelChecks(undefined, { rules: [ClusterEndpointPrivate] });
    const report = pack.validateScope(app);
    expect(
      report.violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId}`),
      ),
    ).toEqual(['EksThreatModel-CLU-1 Tiny/Other']);
  });

  test('an expired entry is an error naming it, and nothing is acknowledged', () => {
    const { app, cluster } = tinyApp();
    const problems = problemsOf(() => applyExemptions(app, [{ ...VALID, expires: '2026-02-28' }], TODAY));
    expect(problems).toEqual([
      'exemptions[0] (EksThreatModel-CLU-1 on Tiny/Cluster): expired on 2026-02-28 (today is 2026-03-01); renew it with the SME or remove it',
    ]);
    expect(cluster.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toEqual([]);
  });

  test('an entry still holds on its expiry day', () => {
    const { app } = tinyApp();
    expect(applyExemptions(app, [{ ...VALID, expires: TODAY }], TODAY).applied).toHaveLength(1);
  });

  test('an entry without an approver is an error naming it', () => {
    const { app } = tinyApp();
    expect(problemsOf(() => applyExemptions(app, [{ ...VALID, approvedBy: ' ' }], TODAY))).toEqual([
      'exemptions[0] (EksThreatModel-CLU-1 on Tiny/Cluster): has no approver (approvedBy)',
    ]);
  });

  test('an entry naming no construct is an error naming it', () => {
    const { app } = tinyApp();
    expect(problemsOf(() => applyExemptions(app, [{ ...VALID, resource: 'Tiny/NoSuchCluster' }], TODAY))).toEqual([
      "exemptions[0] (EksThreatModel-CLU-1 on Tiny/NoSuchCluster): names no construct (neither a construct path nor a resource's logical ID)",
    ]);
  });

  test('a logical ID found in several stacks is an error asking for the path', () => {
    const app = new App();
    for (const name of ['A', 'B']) new CfnResource(new Stack(app, name), 'Cluster', { type: 'AWS::EKS::Cluster' });
    // A resource directly under its stack has its construct ID as logical ID.
    expect(problemsOf(() => applyExemptions(app, [{ ...VALID, resource: 'Cluster' }], TODAY))).toEqual([
      expect.stringMatching(/the logical ID is in several stacks \(A\/Cluster, B\/Cluster\); name the construct path$/),
    ]);
  });

  test("an acknowledgement of the pack's rule written in code is an error naming the construct and the rule", () => {
    const { app, stack, cluster } = tinyApp();
    Validations.of(cluster).acknowledge({
      id: 'EksThreatModel-CLU-1',
      reason: 'We decided this ourselves, no SME involved.',
    });
    Validations.of(stack).acknowledge({
      id: 'EksThreatModel::EksThreatModel-NOD-3',
      reason: 'Namespaced form, also not from the register.',
    });
    // Acknowledgements of other packs are not the register's business.
    Validations.of(stack).acknowledge({
      id: 'AwsSolutions-IAM4',
      reason: 'Another pack: acknowledged in code as usual.',
    });

    const problems = problemsOf(() => applyExemptions(app, [], TODAY));

    expect(problems).toEqual([
      'Tiny: acknowledges EksThreatModel-NOD-3 in code; a finding of the EksThreatModel pack is waived only by an approved entry of the register',
      'Tiny/Cluster: acknowledges EksThreatModel-CLU-1 in code; a finding of the EksThreatModel pack is waived only by an approved entry of the register',
    ]);
  });

  test('a code acknowledgement is an error even when the register exempts the same finding', () => {
    const { app, cluster } = tinyApp();
    Validations.of(cluster).acknowledge({
      id: 'EksThreatModel-CLU-1',
      reason: 'Written in code next to a register entry.',
    });
    expect(problemsOf(() => applyExemptions(app, [VALID], TODAY))).toEqual([
      expect.stringMatching(/^Tiny\/Cluster: acknowledges EksThreatModel-CLU-1 in code/),
    ]);
  });

  test('all problems are reported together', () => {
    const { app, cluster } = tinyApp();
    Validations.of(cluster).acknowledge({
      id: 'EksThreatModel-CLU-1',
      reason: 'Written in code, not in the register.',
    });
    const problems = problemsOf(() =>
      applyExemptions(
        app,
        [
          { ...VALID, expires: '2025-12-31' },
          { ...VALID, resource: 'Nowhere' },
          { ...VALID, approvedOn: '2026-04-01', expires: '2026-05-01' },
        ],
        TODAY,
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^exemptions\[0\] .*expired on 2025-12-31/),
      expect.stringMatching(/^exemptions\[1\] .*names no construct/),
      expect.stringMatching(/^exemptions\[2\] .*approvedOn 2026-04-01 is after today/),
      expect.stringMatching(/^Tiny\/Cluster: acknowledges EksThreatModel-CLU-1 in code/),
    ]);
  });

  test('an acknowledgement added after the register was applied (e.g. by an Aspect during synth) is caught when the pack validates', () => {
    const { app, cluster } = tinyApp();
    applyExemptions(app, [], TODAY);
    Validations.of(cluster).acknowledge({ id: 'EksThreatModel-CLU-1', reason: 'added later, not approved' });
    const pack = new EksThreatModelChecks(undefined, { rules: [ClusterEndpointPrivate] });
    expect(pack.validateScope(app).violations.map((v) => v.ruleName)).toEqual(['EksThreatModel-CLU-1-Unregistered']);
    expect(pack.evaluations.map((e) => [e.status, e.acknowledged])).toEqual([['fail', undefined]]);
  });
});

describe("the register's entry travels as data", () => {
  test('the pack records the entry that acknowledges a finding, not only its reason', () => {
    const { app, cluster } = tinyApp();
    applyExemptions(app, [VALID], TODAY);
    expect(acknowledgementOf(cluster, 'EksThreatModel-CLU-1')).toEqual({
      reason: acknowledgementReason(VALID),
      exemption: VALID,
    });
    const pack = new EksThreatModelChecks(undefined, { rules: [ClusterEndpointPrivate] });
    pack.validateScope(app);
    expect(pack.evaluations.map((e) => e.exemption)).toEqual([VALID]);
  });

  test('an acknowledgement written in code has no entry', () => {
    const { cluster } = tinyApp();
    Validations.of(cluster).acknowledge({
      id: 'EksThreatModel-CLU-1',
      reason: 'We decided this ourselves, no SME involved.',
    });
    expect(acknowledgementOf(cluster, 'EksThreatModel-CLU-1')).toEqual({
      reason: 'We decided this ourselves, no SME involved.',
    });
    expect(acknowledgementOf(cluster, 'EksThreatModel-CLU-2')).toBeUndefined();
  });
});

describe('assertExemptionsInForce', () => {
  test('refuses, in one error, what applyExemptions refuses about the entries themselves', () => {
    const entries = [
      VALID,
      { ...VALID, expires: '2026-02-28' },
      { ...VALID, approvedBy: ' ' },
      { ...VALID, approvedOn: '2026-04-01', expires: '2026-05-01' },
    ];
    expect(() => assertExemptionsInForce([VALID], TODAY)).not.toThrow();
    expect(problemsOf(() => assertExemptionsInForce(entries, TODAY, 'register.yaml'))).toEqual([
      'exemptions[1] (EksThreatModel-CLU-1 on Tiny/Cluster): expired on 2026-02-28 (today is 2026-03-01); renew it with the SME or remove it',
      'exemptions[2] (EksThreatModel-CLU-1 on Tiny/Cluster): has no approver (approvedBy)',
      expect.stringMatching(/^exemptions\[3\] .*approvedOn 2026-04-01 is after today/),
    ]);
    const { app } = tinyApp();
    expect(problemsOf(() => applyExemptions(app, entries, TODAY))).toEqual(
      problemsOf(() => assertExemptionsInForce(entries, TODAY)),
    );
  });
});
