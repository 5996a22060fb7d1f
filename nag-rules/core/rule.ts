import { TemplateModel, TemplateResource } from './template-model';

/** How strongly a control is enforced: preventive controls are errors; the others warnings (both fail synth). */
export type RuleLevel = 'error' | 'warning';

/**
 * What a failure of the rule means: `misconfiguration`, the template does something unsafe (any template can be
 * judged by it); `missing-control`, the template lacks a control the matrix requires of this product (runbooks,
 * alerts, Config rules…), which a template written for another purpose usually lacks by design.
 */
export type RuleKind = 'misconfiguration' | 'missing-control';
export const RULE_KINDS: readonly RuleKind[] = ['misconfiguration', 'missing-control'];

/** One thing wrong with a resource. `unresolved` marks a value the rule could not judge at synth time. */
export interface RuleFinding {
  readonly message: string;
  readonly unresolved?: boolean;
}

export const COMPLIANT = 'compliant';
export const NOT_APPLICABLE = 'not-applicable';
export type RuleResult = typeof COMPLIANT | typeof NOT_APPLICABLE | RuleFinding[];

/** What a rule sees: the whole template and the one resource it judges. */
export interface RuleContext {
  readonly model: TemplateModel;
  readonly logicalId: string;
  readonly resource: TemplateResource;
  readonly properties: Record<string, any>;
}

/**
 * A rule of the EKS threat-model pack: it checks one control of the controls matrix. The rule ID is
 * `EksThreatModel-<controlId>`; every finding names the threat-model IDs the control protects.
 */
export interface ThreatModelRule {
  /** The control this rule checks (an ID of `nag-rules/matrix/controls.ts`). */
  readonly controlId: string;
  /** Threat-model IDs (TH-, EP-, EX-, LM-, PE-, PV-, ADM-, IR-…) the control protects. */
  readonly threats: readonly string[];
  readonly level: RuleLevel;
  readonly kind: RuleKind;
  /** One line: what a compliant template has. */
  readonly description: string;
  /** Why the control exists (shown in verbose output and RULES.md). */
  readonly explanation: string;
  /** The CloudFormation resource types the rule judges (`*`: every type, for rules about types the pack does not know). */
  readonly resourceTypes: readonly string[];
  evaluate(context: RuleContext): RuleResult;
}

/** Stands for every resource type in `resourceTypes`. */
export const EVERY_RESOURCE_TYPE = '*';

/** Whether a rule judges resources of a type. */
export function appliesTo(rule: Pick<ThreatModelRule, 'resourceTypes'>, type: string): boolean {
  return rule.resourceTypes.includes(type) || rule.resourceTypes.includes(EVERY_RESOURCE_TYPE);
}

export const PACK_NAME = 'EksThreatModel';

export function ruleId(rule: Pick<ThreatModelRule, 'controlId'>): string {
  let id = ruleIds.get(rule.controlId);
  if (id === undefined) {
    id = `${PACK_NAME}-${rule.controlId}`;
    ruleIds.set(rule.controlId, id);
  }
  return id;
}
/**
 * One string per rule ID, not a new one per evaluation: the IDs of a template's hundreds of evaluations are looked up
 * by content later (reports, results sent between threads), and a string's hash is kept with it.
 */
const ruleIds = new Map<string, string>();

/** A finding for a value the rule cannot judge at synth time. */
export function unresolved(what: string, because: string): RuleFinding {
  return { message: `${what} cannot be checked at synth time: it depends on ${because}`, unresolved: true };
}

/** Joins names for a message: "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
