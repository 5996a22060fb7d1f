import { ruleId as ruleIdOf, RuleFinding, RuleLevel, PACK_NAME, ThreatModelRule } from '../core/rule';
import { Control, ControlCategory, CONTROLS } from '../matrix/controls';
import { ITEMS, Threat, THREATS } from '../matrix/threat-model';
import { ALL_RULES } from '../rules';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import type { Exemption } from '../exemptions/register';
import type { ApprovalStatus } from '../matrix/approval';
import { matrixVersion } from '../matrix/matrix-content';
import { buildBacklog, FrameworkMapping, HardeningBacklog } from './backlog';

/** What a control shows in the matrix. */
export type ControlStatus = 'pass' | 'fail' | 'exempt' | 'not-evaluated';
export const CONTROL_STATUSES: readonly ControlStatus[] = ['pass', 'fail', 'exempt', 'not-evaluated'];

/** The order categories are shown in (the threat model's CC-* order). */
export const CATEGORY_ORDER: readonly ControlCategory[] = [
  'directive',
  'preventive',
  'detective',
  'remediative',
  'corrective',
];

export interface ReportOptions {
  /** The pack's rules (for levels, threats and descriptions). @default ALL_RULES */
  readonly rules?: readonly ThreatModelRule[];
  /** @default CONTROLS */
  readonly controls?: readonly Control[];
  /** @default THREATS */
  readonly threats?: readonly Threat[];
  /** Every stack (or template) checked, including those no rule applied to. @default the stacks of the evaluations */
  readonly stacks?: readonly string[];
  /** The SME's approval of the matrix, compared with the matrix: the reports say who approved which version. */
  readonly approval?: ApprovalStatus;
  /** Framework mappings of the matrix, for the backlog's coverage gaps. @default none */
  readonly frameworks?: readonly FrameworkMapping[];
}

/** Who approved which version of the matrix, and whether that is the version the reports were made with. */
export interface ApprovalRow {
  readonly approvedBy: string;
  readonly approvedOn: string;
  readonly ticket: string;
  /** The approved version (the first 12 hex digits of its digest) and its digest. */
  readonly version: string;
  readonly digest: string;
  /** The version of the matrix the reports were made with. */
  readonly currentVersion: string;
  /** What changed since the approval (empty when the approval covers the current matrix). */
  readonly changes: readonly string[];
}

/** The approval as the reports show it. */
export function approvalRow(status: ApprovalStatus): ApprovalRow {
  const { approval, current, changes } = status;
  return {
    approvedBy: approval.approvedBy,
    approvedOn: approval.approvedOn,
    ticket: approval.ticket,
    version: matrixVersion(approval.digest),
    digest: approval.digest,
    currentVersion: matrixVersion(current.digest),
    changes,
  };
}

/** A threat-model ID with its meaning (`AC-1`, 'External attacker'). */
export interface ItemRef {
  readonly id: string;
  readonly title: string;
}

export interface StatusTotals {
  readonly pass: number;
  readonly fail: number;
  readonly exempt: number;
  readonly 'not-evaluated': number;
}

/** One acknowledged failure, with the register's entry that waives it. */
export interface ExemptionRow {
  readonly ruleId: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly constructPath: string;
  /** The acknowledgement's reason. */
  readonly reason: string;
  /** The exemption register's entry (approver, approval date, expiry, ticket), when the register made the acknowledgement. */
  readonly entry?: Exemption;
}

export interface ControlRuleRef extends Pick<ThreatModelRule, 'level'> {
  readonly ruleId: string;
}

/** A control of the matrix with what its rules found (its title, threats and framework mappings as the matrix has them). */
export interface ControlRow extends Pick<Control, 'title' | 'protects' | 'cisEks' | 'nist80053'> {
  readonly controlId: string;
  /** `unlisted` for a rule whose control is missing from the matrix. */
  readonly category: ControlCategory | 'unlisted';
  readonly rules: readonly ControlRuleRef[];
  readonly status: ControlStatus;
  /** Why the control is not evaluated (a process-only control's reason, no rule, no resource). */
  readonly reason?: string;
  readonly processOnly: boolean;
  /** Evaluations of the control's rules, per outcome (acknowledged failures count as `exempt`). */
  readonly resources: {
    readonly pass: number;
    readonly fail: number;
    readonly exempt: number;
    readonly notApplicable: number;
  };
  readonly exemptions: readonly ExemptionRow[];
}

/** A threat of the model as the matrix shows it: its items with their titles, and its controls by category. */
export interface ThreatSection extends Pick<Threat, 'id' | 'title' | 'stride'> {
  readonly actors: readonly ItemRef[];
  readonly entryPoints: readonly ItemRef[];
  readonly exfiltrationPoints: readonly ItemRef[];
  readonly categories: readonly {
    readonly category: ControlRow['category'];
    readonly controls: readonly ControlRow[];
  }[];
  /** Controls of this threat per status. */
  readonly totals: StatusTotals;
}

export interface FindingRow {
  readonly message: string;
  readonly unresolved: boolean;
}

/** One failing evaluation (acknowledged or not), with its rule's level and threat-model IDs. */
export interface ViolationRow
  extends Pick<
      RecordedEvaluation,
      'ruleId' | 'controlId' | 'stackName' | 'logicalId' | 'resourceType' | 'constructPath' | 'acknowledged'
    >,
    Pick<ThreatModelRule, 'level' | 'threats'> {
  readonly status: 'fail' | 'exempt';
  readonly findings: readonly FindingRow[];
  readonly exemption?: ExemptionRow;
}

/** Everything the controls-matrix documents show (`controls-matrix.json` is this object). */
export interface ControlsMatrixReport {
  readonly schemaVersion: 1;
  readonly pack: string;
  /** Stacks (or checked template files) the evaluations come from. */
  readonly stacks: readonly string[];
  /** Every control of the matrix per status. */
  readonly totals: StatusTotals;
  /** Every evaluation per outcome. */
  readonly evaluations: {
    readonly total: number;
    readonly pass: number;
    readonly fail: number;
    readonly exempt: number;
    readonly notApplicable: number;
  };
  readonly threats: readonly ThreatSection[];
  readonly controls: readonly ControlRow[];
  readonly violations: readonly ViolationRow[];
  /** The SME's approval of the matrix, when one was given. */
  readonly approval?: ApprovalRow;
  /** What stays open: the start of the next review. */
  readonly backlog: HardeningBacklog;
}

/** The rules of the options (or the pack's), by rule ID. */
export function rulesById(rules: readonly ThreatModelRule[] = ALL_RULES): Map<string, ThreatModelRule> {
  return new Map(rules.map((rule) => [ruleIdOf(rule), rule]));
}

function exemptionRow(evaluation: RecordedEvaluation): ExemptionRow {
  return {
    ruleId: evaluation.ruleId,
    stackName: evaluation.stackName,
    logicalId: evaluation.logicalId,
    constructPath: evaluation.constructPath,
    reason: evaluation.acknowledged || evaluation.exemption?.reason || '',
    ...(evaluation.exemption ? { entry: evaluation.exemption } : {}),
  };
}

/** Whether an evaluation is a failure someone acknowledged (an approved exemption). */
export function isAcknowledgedFailure(evaluation: RecordedEvaluation): boolean {
  return evaluation.status === 'fail' && evaluation.acknowledged !== undefined;
}

/** The threat-model IDs an evaluation's rule names (the rule's, else its control's). */
export function threatsOf(
  evaluation: Pick<RecordedEvaluation, 'ruleId' | 'controlId'>,
  rules: Map<string, ThreatModelRule>,
  controls: readonly Control[] = CONTROLS,
): readonly string[] {
  return rules.get(evaluation.ruleId)?.threats ?? controls.find((c) => c.id === evaluation.controlId)?.protects ?? [];
}

export function levelOf(ruleId: string, rules: Map<string, ThreatModelRule>): RuleLevel {
  return rules.get(ruleId)?.level ?? 'error';
}

const item = (id: string): ItemRef => ({ id, title: ITEMS[id] ?? '' });

function emptyTotals(): Record<ControlStatus, number> {
  return { pass: 0, fail: 0, exempt: 0, 'not-evaluated': 0 };
}

function controlRow(
  control: Control,
  rules: readonly ThreatModelRule[],
  extraRuleIds: readonly string[],
  evaluations: readonly RecordedEvaluation[],
  ruleMap: Map<string, ThreatModelRule>,
): ControlRow {
  const refs: ControlRuleRef[] = [...new Set([...rules.map((r) => ruleIdOf(r)), ...extraRuleIds])].map((id) => ({
    ruleId: id,
    level: levelOf(id, ruleMap),
  }));
  const ids = new Set(refs.map((r) => r.ruleId));
  const mine = evaluations.filter((e) => ids.has(e.ruleId));
  const resources = {
    pass: mine.filter((e) => e.status === 'pass').length,
    fail: mine.filter((e) => e.status === 'fail' && !isAcknowledgedFailure(e)).length,
    exempt: mine.filter(isAcknowledgedFailure).length,
    notApplicable: mine.filter((e) => e.status === 'not-applicable').length,
  };
  const status: ControlStatus =
    control.processOnly !== undefined && mine.length === 0
      ? 'not-evaluated'
      : resources.fail > 0
        ? 'fail'
        : resources.exempt > 0
          ? 'exempt'
          : resources.pass > 0
            ? 'pass'
            : 'not-evaluated';
  let reason: string | undefined;
  if (status === 'not-evaluated') {
    if (control.processOnly !== undefined) reason = `Process only: ${control.processOnly}`;
    else if (refs.length === 0) reason = 'No rule of the pack checks this control yet.';
    else if (resources.notApplicable > 0) reason = 'Not applicable to any resource of the checked templates.';
    else {
      const types = [...new Set(rules.flatMap((r) => r.resourceTypes))];
      reason = `No resource the rule judges in the checked templates${types.length ? ` (${types.join(', ')})` : ''}.`;
    }
  }
  return {
    controlId: control.id,
    title: control.title,
    category: control.category,
    protects: control.protects,
    cisEks: control.cisEks,
    nist80053: control.nist80053,
    rules: refs,
    status,
    ...(reason !== undefined ? { reason } : {}),
    processOnly: control.processOnly !== undefined,
    resources,
    exemptions: mine.filter(isAcknowledgedFailure).map(exemptionRow),
  };
}

/**
 * The controls matrix of the threat model for what the pack saw: every control of the matrix with its rule(s)
 * and status, grouped per threat and category, with totals, and every failing evaluation.
 */
export function buildControlsMatrix(
  evaluations: readonly RecordedEvaluation[],
  options: ReportOptions = {},
): ControlsMatrixReport {
  const rules = options.rules ?? ALL_RULES;
  const controls = options.controls ?? CONTROLS;
  const threats = options.threats ?? THREATS;
  const ruleMap = rulesById(rules);

  const rows: ControlRow[] = controls.map((control) =>
    controlRow(
      control,
      rules.filter((r) => r.controlId === control.id),
      [...new Set(evaluations.filter((e) => e.controlId === control.id).map((e) => e.ruleId))],
      evaluations,
      ruleMap,
    ),
  );
  // Rules (or evaluations) whose control is not in the matrix still show, so that nothing the pack saw is lost.
  const listed = new Set(controls.map((c) => c.id));
  const unlistedIds = [...new Set([...rules.map((r) => r.controlId), ...evaluations.map((e) => e.controlId)])].filter(
    (id) => !listed.has(id),
  );
  for (const id of unlistedIds) {
    const own = rules.filter((r) => r.controlId === id);
    const row = controlRow(
      {
        id,
        title: own[0]?.description ?? id,
        category: 'preventive',
        cisEks: [],
        nist80053: [],
        protects: [...new Set(own.flatMap((r) => r.threats))],
        implementedBy: [],
      },
      own,
      [...new Set(evaluations.filter((e) => e.controlId === id).map((e) => e.ruleId))],
      evaluations,
      ruleMap,
    );
    rows.push({ ...row, category: 'unlisted' });
  }

  const sections: ThreatSection[] = threats.map((threat) => {
    const mine = rows.filter(
      (row) =>
        row.protects.includes(threat.id) || row.rules.some((r) => ruleMap.get(r.ruleId)?.threats.includes(threat.id)),
    );
    const categories = [...CATEGORY_ORDER, 'unlisted' as const]
      .map((category) => ({ category, controls: mine.filter((row) => row.category === category) }))
      .filter((group) => group.controls.length > 0);
    return {
      id: threat.id,
      title: threat.title,
      stride: threat.stride,
      actors: threat.actors.map(item),
      entryPoints: threat.entryPoints.map(item),
      exfiltrationPoints: threat.exfiltrationPoints.map(item),
      categories,
      totals: totalsOf(mine),
    };
  });

  const violations: ViolationRow[] = evaluations
    .filter((e) => e.status === 'fail')
    .map((e) => ({
      status: isAcknowledgedFailure(e) ? 'exempt' : 'fail',
      ruleId: e.ruleId,
      controlId: e.controlId,
      level: levelOf(e.ruleId, ruleMap),
      threats: threatsOf(e, ruleMap, controls),
      stackName: e.stackName,
      logicalId: e.logicalId,
      resourceType: e.resourceType,
      constructPath: e.constructPath,
      findings: e.findings.map((f: RuleFinding) => ({ message: f.message, unresolved: f.unresolved === true })),
      ...(e.acknowledged !== undefined ? { acknowledged: e.acknowledged, exemption: exemptionRow(e) } : {}),
    }));

  return {
    schemaVersion: 1,
    pack: PACK_NAME,
    stacks: [...new Set([...(options.stacks ?? []), ...evaluations.map((e) => e.stackName)])],
    totals: totalsOf(rows),
    evaluations: {
      total: evaluations.length,
      pass: evaluations.filter((e) => e.status === 'pass').length,
      fail: evaluations.filter((e) => e.status === 'fail' && !isAcknowledgedFailure(e)).length,
      exempt: evaluations.filter(isAcknowledgedFailure).length,
      notApplicable: evaluations.filter((e) => e.status === 'not-applicable').length,
    },
    threats: sections,
    controls: rows,
    violations,
    ...(options.approval ? { approval: approvalRow(options.approval) } : {}),
    backlog: buildBacklog(rows, violations, controls, options.frameworks),
  };
}

function totalsOf(rows: readonly ControlRow[]): StatusTotals {
  const totals = emptyTotals();
  for (const row of rows) totals[row.status] += 1;
  return totals;
}
