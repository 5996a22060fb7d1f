import * as fs from 'fs';
import * as path from 'path';
import { SynthesizedCatalogApp, synthesizeCatalogApp } from '../support/project-app';
import { runCfnLint, runControlTowerGuard, synthesizedTemplates } from '../support/template-checkers';
import { awsSolutionsReport } from '../support/aws-solutions';

let synth: SynthesizedCatalogApp;
beforeAll(() => {
  synth = synthesizeCatalogApp();
});

describe('cdk-nag AwsSolutions', () => {
  test('the catalog and its product have no unacknowledged finding', () => {
    const { findings, success } = awsSolutionsReport(synth.stack);
    expect(findings).toEqual([]);
    expect(success).toBe(true);
  });

  test('every acknowledgement carries a reason a reviewer can check', () => {
    const acknowledgements = synth.stack.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .flatMap((m) => Object.entries(m.data as Record<string, string>)),
      );
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledgements) expect([id, reason.length >= 20]).toEqual([id, true]);
  });
});

describe('independent checkers on the synthesized templates', () => {
  test('cfn-lint reports no error on any template', () => {
    const templates = synthesizedTemplates(synth.outdir);
    expect(templates.some((t) => t.endsWith('.product.template.json'))).toBe(true);
    expect(runCfnLint(templates).filter((f) => f.level === 'error')).toEqual([]);
  });

  test('the Control Tower guard rules pass on the product, but for the acknowledged findings', () => {
    const product = synthesizedTemplates(synth.outdir).find((t) => t.endsWith('.product.template.json'))!;
    const acknowledged = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'nag-rules', 'guard-acknowledgements.json'), 'utf8'),
    ) as { rule: string; logicalId: string }[];
    const findings = runControlTowerGuard(product);
    const open = findings.filter(
      (f) =>
        !acknowledged.some((a) => (a.rule === f.controlId || a.rule === f.ruleName) && a.logicalId === f.logicalId),
    );
    expect(open).toEqual([]);
    // Every acknowledgement of a resource of the product still matches a finding (none is stale); the others are the hubs'
    // and the account baseline's, which check-templates judges.
    const ofProduct = acknowledged.filter((a) => a.logicalId in synth.productJson.Resources);
    expect(findings.map((f) => `${f.controlId} ${f.logicalId}`).sort()).toEqual(
      ofProduct.map((a) => `${a.rule} ${a.logicalId}`).sort(),
    );
  });
});
