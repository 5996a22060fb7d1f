import { appliesTo, COMPLIANT, NOT_APPLICABLE, RuleFinding, RuleResult, ruleId, ThreatModelRule } from './rule';
import { withReadCache } from './read-cache';
import { TemplateModel } from './template-model';

/** The outcome of one rule on one resource. */
export interface Evaluation {
  readonly ruleId: string;
  readonly controlId: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: 'pass' | 'fail' | 'not-applicable';
  readonly findings: readonly RuleFinding[];
}

/** The rules of a list that judge a resource type, worked out once per list and type (templates repeat their types). */
const rulesByType = new WeakMap<readonly ThreatModelRule[], Map<string, readonly ThreatModelRule[]>>();
export function rulesForType(rules: readonly ThreatModelRule[], type: string): readonly ThreatModelRule[] {
  let byType = rulesByType.get(rules);
  if (!byType) {
    byType = new Map();
    rulesByType.set(rules, byType);
  }
  let applicable = byType.get(type);
  if (!applicable) {
    applicable = rules.filter((rule) => appliesTo(rule, type));
    byType.set(type, applicable);
  }
  return applicable;
}

/**
 * The findings of every evaluation without any: one list shared by most of a template's evaluations (read-only), so
 * results copied to another thread hold it once.
 */
const NO_FINDINGS: readonly RuleFinding[] = Object.freeze([]);

/** Runs rules on one resource of a template. A rule that throws is reported as a finding, never as compliant. */
export function evaluateResource(
  model: TemplateModel,
  logicalId: string,
  rules: readonly ThreatModelRule[],
): Evaluation[] {
  const resource = model.resource(logicalId);
  if (!resource) return [];
  return withReadCache(model.cache, () =>
    rulesForType(rules, resource.Type).map((rule) => {
      let result: RuleResult;
      try {
        result = rule.evaluate({
          model,
          logicalId,
          resource,
          properties: (resource.Properties ?? {}) as Record<string, any>,
        });
      } catch (error) {
        result = [
          { message: `the rule could not evaluate this resource: ${(error as Error).message}`, unresolved: true },
        ];
      }
      const findings = Array.isArray(result) ? result.map(readable) : NO_FINDINGS;
      const status =
        result === NOT_APPLICABLE ? 'not-applicable' : result === COMPLIANT || findings.length === 0 ? 'pass' : 'fail';
      return {
        ruleId: ruleId(rule),
        controlId: rule.controlId,
        logicalId,
        resourceType: resource.Type,
        status,
        findings,
      };
    }),
  );
}

/**
 * A finding as people read it: the pack's own placeholders (`${Token:Id.Attr}`) and CDK's unresolved tokens
 * (`${Token[…]}`) are internal spellings, never shown; the value they stand for is named instead.
 */
function readable(finding: RuleFinding): RuleFinding {
  if (typeof finding?.message !== 'string' || !finding.message.includes('${Token')) return finding;
  const message = finding.message
    .replace(/\$\{Token:([^}]*)\}/g, (_, name: string) => `<${name || 'a deploy-time value'}>`)
    .replace(/\$\{Token\[[^\]]*\]\}/g, '<a deploy-time value>');
  return { ...finding, message };
}

/** Runs rules on every resource of a template (any JSON value: malformed input yields no resources, not an error). */
export function evaluateTemplate(template: unknown, rules: readonly ThreatModelRule[]): Evaluation[] {
  const model = template instanceof TemplateModel ? template : new TemplateModel(template);
  const evaluations: Evaluation[] = [];
  for (const logicalId of model.resources.keys()) {
    for (const evaluation of evaluateResource(model, logicalId, rules)) evaluations.push(evaluation);
  }
  return evaluations;
}

/**
 * The controls a template satisfies: those whose rule judged at least one resource and failed on none (exempted
 * findings count as failures here: an exemption waives a control, it does not provide it).
 */
export function satisfiedControls(template: unknown, rules: readonly ThreatModelRule[]): Set<string> {
  const passed = new Set<string>();
  const failed = new Set<string>();
  for (const e of evaluateTemplate(template, rules)) {
    if (e.status === 'pass') passed.add(e.controlId);
    else if (e.status === 'fail') failed.add(e.controlId);
  }
  return new Set([...passed].filter((control) => !failed.has(control)));
}
