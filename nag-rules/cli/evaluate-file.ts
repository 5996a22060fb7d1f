import { evaluateTemplate } from '../core/evaluate';
import type { ThreatModelRule } from '../core/rule';
import { isObject } from '../core/template-model';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { acknowledgementReason, Exemption } from '../exemptions/register';
import { ALL_RULES } from '../rules';
import { withRetentionFloor } from '../rules/detection/evidence-retention';
import type { EvaluateFile } from './check-inputs';
import { Profile, rulesOfProfile } from './options';

/*
 * How every thread of `check` judges a loaded template: the command's own thread and its worker threads, whose module
 * (check-worker.ts) loads this and not the reports.
 */

/**
 * Runs the pack's rules on one loaded template, as the reports record them. A failure is acknowledged only by an
 * entry of the exemption register naming its rule and the resource's logical ID (or CDK path).
 */
export function evaluateTemplateFile(
  template: Record<string, any>,
  name: string,
  rules: readonly ThreatModelRule[] = ALL_RULES,
  exemptions: readonly Exemption[] = [],
): RecordedEvaluation[] {
  return evaluateTemplate(template, rules).map((evaluation) => {
    const resource = template.Resources[evaluation.logicalId];
    const cdkPath = isObject(resource) && isObject(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
    const entry =
      evaluation.status === 'fail'
        ? exemptions.find(
            (e) => e.rule === evaluation.ruleId && (e.resource === evaluation.logicalId || e.resource === cdkPath),
          )
        : undefined;
    // Written out rather than spread: a spread of each of a template's hundreds of evaluations costs more.
    const recorded: RecordedEvaluation = {
      ruleId: evaluation.ruleId,
      controlId: evaluation.controlId,
      logicalId: evaluation.logicalId,
      resourceType: evaluation.resourceType,
      status: evaluation.status,
      findings: evaluation.findings,
      stackName: name,
      constructPath: typeof cdkPath === 'string' ? cdkPath : evaluation.logicalId,
    };
    return entry ? { ...recorded, acknowledged: acknowledgementReason(entry), exemption: entry } : recorded;
  });
}

/** The rules a run judges with: its profile's, DET-7 at its floor (plain data, so every worker thread builds the same). */
const rulesByRun = new Map<string, readonly ThreatModelRule[]>();
export function rulesOfRun(profile: Profile, evidenceRetentionDays?: unknown): readonly ThreatModelRule[] {
  const key = `${profile}/${String(evidenceRetentionDays ?? '')}`;
  let rules = rulesByRun.get(key);
  if (!rules) {
    rules = rulesOfProfile(withRetentionFloor(ALL_RULES, evidenceRetentionDays, '--evidence-retention-days'), profile);
    rulesByRun.set(key, rules);
  }
  return rules;
}

/** What `check` runs on each template, in whichever thread loaded it. */
export const evaluateWithThePack: EvaluateFile = (template, name, context) =>
  evaluateTemplateFile(template, name, rulesOfRun(context.profile, context.evidenceRetentionDays), context.exemptions);
