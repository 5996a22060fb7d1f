/**
 * The package's evaluation entry (`@hardened-eks/eks-threat-model/evaluation`): judge CloudFormation templates with the
 * pack's rules without loading aws-cdk-lib, constructs or cdk-nag (what the `eks-threat-model` command runs).
 */
export { evaluateResource, evaluateTemplate, satisfiedControls } from './core/evaluate';
export type { Evaluation } from './core/evaluate';
export { COMPLIANT, NOT_APPLICABLE, PACK_NAME, ruleId, unresolved } from './core/rule';
export type { RuleContext, RuleFinding, RuleLevel, RuleResult, ThreatModelRule } from './core/rule';
export { TemplateModel } from './core/template-model';
export { ALL_RULES } from './rules';
export { loadTemplate, parseTemplateText, TemplateInputError, validateTemplateShape } from './cli/template-loader';
