import { evaluateResource, Evaluation } from '../../nag-rules/core/evaluate';
import { ThreatModelRule } from '../../nag-rules/core/rule';
import { TemplateModel } from '../../nag-rules/core/template-model';
import { CONTROLS } from '../../nag-rules/matrix/controls';
import { defaultCatalogOutdir, productTemplateIn } from '../support/synth-cache';

/** Runs one rule on one resource of a literal template. */
export function check(rule: ThreatModelRule, template: Record<string, unknown>, logicalId: string): Evaluation {
  const [evaluation] = evaluateResource(new TemplateModel(template), logicalId, [rule]);
  if (!evaluation) throw new Error(`${rule.controlId} does not apply to ${logicalId}`);
  return evaluation;
}

/** Runs one rule on a template of just that resource: `checkSole(rule, { R: role }, extra)` is `check(rule, templateOf({ R: role }, extra), 'R')`. */
export function checkSole(
  rule: ThreatModelRule,
  resource: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Evaluation {
  const ids = Object.keys(resource);
  if (ids.length !== 1) throw new Error(`checkSole takes one resource, not ${ids.length}`);
  return check(rule, templateOf(resource, extra), ids[0]);
}

/**
 * Runs a rule on one resource of the templates a fixture builds: `checkerOf(nodeTemplate, 'NG')(rule, change)` is
 * `check(rule, nodeTemplate(change), 'NG')`.
 */
export function checkerOf<A extends unknown[]>(
  build: (...args: A) => Record<string, unknown>,
  logicalId: string,
): (rule: ThreatModelRule, ...args: A) => Evaluation {
  return (rule, ...args) => check(rule, build(...args), logicalId);
}

/** A template with the given resources. */
export function templateOf(
  resources: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { Resources: resources, ...extra };
}

let product: Record<string, any> | undefined;
/** The real synthesized hardened-eks product template (the run's one synth of the built-in configuration). */
export function productTemplate(): Record<string, any> {
  const outdir = defaultCatalogOutdir();
  // Read from the run's synth without loading the CDK app's modules; synthesized here only outside a jest run.
  product ??= outdir
    ? productTemplateIn(outdir)
    : (require('../support/project-app') as typeof import('../support/project-app')).synthesizeCatalog().productJson;
  return JSON.parse(JSON.stringify(product));
}

/** Logical IDs of the product's resources of a type (those that meet a condition, when one is given). */
export function idsOfType(
  template: Record<string, any>,
  type: string,
  where: (resource: Record<string, any>) => boolean = () => true,
): string[] {
  return Object.entries(template.Resources as Record<string, any>)
    .filter(([, r]) => r.Type === type && where(r))
    .map(([id]) => id);
}

/** The logical ID of the product's resource of a type whose ID (CDK derives it from the construct path) starts with a prefix. */
export function productIdOf(template: Record<string, any>, type: string, prefix: string): string {
  const id = idsOfType(template, type).find((i) => i.startsWith(prefix));
  if (!id) throw new Error(`the product has no ${type} ${prefix}…`);
  return id;
}

/** The real product's template with the properties of its (first) resource of a type changed, and that resource's ID. */
export function productWithChanged(
  type: string,
  change: (properties: Record<string, any>) => void,
): { template: Record<string, any>; id: string } {
  const template = productTemplate();
  const [id] = idsOfType(template, type);
  if (!id) throw new Error(`the product has no ${type}`);
  change(template.Resources[id].Properties);
  return { template, id };
}

/** Every failing evaluation of a rule on a template. */
export function failures(rule: ThreatModelRule, template: Record<string, unknown>): Evaluation[] {
  const model = new TemplateModel(template);
  return [...model.resources.keys()]
    .flatMap((id) => evaluateResource(model, id, [rule]))
    .filter((e) => e.status === 'fail');
}

/** One test per rule of an area: its threats come from its control's, its level from the control's category, and it says what it checks and why. */
export function testRulesFollowTheirControls(rules: readonly ThreatModelRule[]): void {
  test.each(rules.map((r) => [r.controlId, r] as const))(
    '%s: threats from the control, level from its category',
    (id, rule) => {
      const control = CONTROLS.find((c) => c.id === id)!;
      expect(rule.threats.length).toBeGreaterThan(0);
      expect(control.protects).toEqual(expect.arrayContaining([...rule.threats]));
      expect(rule.level).toBe(control.category === 'preventive' ? 'error' : 'warning');
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.explanation.length).toBeGreaterThan(40);
    },
  );
}
