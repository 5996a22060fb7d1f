import { EVERY_RESOURCE_TYPE } from '../core/rule';
import { TemplateModel } from '../core/template-model';
import { ALL_RULES } from '../rules';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { CONTROLS } from '../matrix/controls';
import { buildControlsMatrix, ControlStatus, isAcknowledgedFailure, ReportOptions } from '../reports/matrix-report';
import { Boundary, BOUNDARIES, Component, componentsOf } from './components';
import { FLOWS } from './flows';
import { CONTROL_PLACEMENT } from './placements';

/**
 * The security view of one product template: its components inside their trust boundaries, the flows between them
 * with the entry and exfiltration points they are, and on each the controls that guard it with their status.
 * Built from the template and the pack's evaluations of it; the Mermaid and Graphviz renderings draw this model.
 */

/** Controls whose rules judge every resource type: shown on a box only where they fail or are exempt. */
const EVERYWHERE = new Set(
  ALL_RULES.filter((r) => r.resourceTypes.includes(EVERY_RESOURCE_TYPE)).map((r) => r.controlId),
);

/** A control's status where it sits: `process` for a process-only control (no rule can judge it). */
export type MarkStatus = ControlStatus | 'process';

export interface ControlMark {
  readonly controlId: string;
  readonly status: MarkStatus;
}

/** The worst status of what is on a node or flow: any failing control makes it `fail`. */
export type ViewStatus = 'fail' | 'exempt' | 'ok';

export interface ViewNode {
  /** The component kind's ID (`node-group`). */
  readonly id: string;
  readonly title: string;
  readonly boundary: Boundary['id'];
  readonly resources: Component['resources'];
  readonly controls: readonly ControlMark[];
  readonly status: ViewStatus;
}

export interface ViewFlow {
  readonly id: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly via?: string;
  readonly marks: readonly string[];
  readonly controls: readonly ControlMark[];
  readonly blocked: boolean;
  readonly status: ViewStatus;
}

export interface SecurityView {
  /** The stack or template the view is of. */
  readonly name: string;
  /** The boundaries that hold a node, with their parents, outermost first. */
  readonly boundaries: readonly Boundary[];
  readonly nodes: readonly ViewNode[];
  readonly flows: readonly ViewFlow[];
}

function worst(marks: readonly ControlMark[]): ViewStatus {
  return marks.some((m) => m.status === 'fail') ? 'fail' : marks.some((m) => m.status === 'exempt') ? 'exempt' : 'ok';
}

/** A resource's evaluations of one control, as one status: an unacknowledged failure wins over an acknowledged one. */
function statusOf(evaluations: readonly RecordedEvaluation[]): ControlStatus | undefined {
  if (evaluations.some((e) => e.status === 'fail' && !isAcknowledgedFailure(e))) return 'fail';
  if (evaluations.some(isAcknowledgedFailure)) return 'exempt';
  return evaluations.some((e) => e.status === 'pass') ? 'pass' : undefined;
}

/** Builds the security view of one template from the pack's evaluations of that template. */
export function buildSecurityView(
  name: string,
  template: unknown,
  evaluations: readonly RecordedEvaluation[],
  options: ReportOptions = {},
): SecurityView {
  const controls = options.controls ?? CONTROLS;
  const order = new Map(controls.map((c, i) => [c.id, i]));
  const byOrder = (a: ControlMark, b: ControlMark) =>
    (order.get(a.controlId) ?? order.size) - (order.get(b.controlId) ?? order.size) ||
    a.controlId.localeCompare(b.controlId);
  const rows = new Map(
    buildControlsMatrix(evaluations, { ...options, stacks: [name] }).controls.map((row) => [row.controlId, row]),
  );
  const inTemplate = (controlId: string): ControlMark => {
    const row = rows.get(controlId);
    return {
      controlId,
      status: row?.processOnly && row.status === 'not-evaluated' ? 'process' : (row?.status ?? 'not-evaluated'),
    };
  };

  const components = componentsOf(new TemplateModel(template));
  const present = new Set(components.map((c) => c.kind.id));
  const componentOf = new Map(components.flatMap((c) => c.resources.map((r) => [r.logicalId, c.kind.id] as const)));
  const placed = (e: RecordedEvaluation): string | undefined => {
    const target = CONTROL_PLACEMENT[e.controlId];
    return target && present.has(target) ? target : componentOf.get(e.logicalId);
  };
  const nodes: ViewNode[] = components.map(({ kind, resources }) => {
    const mine = evaluations.filter((e) => placed(e) === kind.id);
    const marks = new Map<string, ControlMark>();
    for (const controlId of new Set(mine.map((e) => e.controlId))) {
      const status = statusOf(mine.filter((e) => e.controlId === controlId));
      // A rule that judges every resource (clear-text secrets, unknown cluster types) passing everywhere is noise on every box.
      if (status && !(status === 'pass' && EVERYWHERE.has(controlId))) marks.set(controlId, { controlId, status });
    }
    for (const controlId of kind.controls ?? []) if (!marks.has(controlId)) marks.set(controlId, inTemplate(controlId));
    const list = [...marks.values()].sort(byOrder);
    return { id: kind.id, title: kind.title, boundary: kind.boundary, resources, controls: list, status: worst(list) };
  });

  const flows: ViewFlow[] = FLOWS.filter((f) => present.has(f.from) && present.has(f.to)).map((f) => {
    const marks = f.marks ?? [];
    const guarding = new Set([
      ...f.controls,
      ...controls.filter((c) => c.protects.some((id) => marks.includes(id))).map((c) => c.id),
    ]);
    const list = [...guarding].map(inTemplate).sort(byOrder);
    return {
      id: f.id,
      label: f.label,
      from: f.from,
      to: f.to,
      ...(f.via && present.has(f.via) ? { via: f.via } : {}),
      marks,
      controls: list,
      blocked: f.blocked === true,
      status: worst(list),
    };
  });

  const used = new Set<string>();
  for (const node of nodes) {
    for (
      let b: Boundary | undefined = BOUNDARIES.find((x) => x.id === node.boundary);
      b;
      b = BOUNDARIES.find((x) => x.id === b!.parent)
    )
      used.add(b.id);
  }
  return { name, boundaries: BOUNDARIES.filter((b) => used.has(b.id)), nodes, flows };
}

/** `CLU-1 ✓`: a control and its status as the diagrams print it. */
export function markText(mark: ControlMark): string {
  return `${mark.controlId} ${STATUS_SYMBOLS[mark.status]}`;
}

export const STATUS_SYMBOLS: Readonly<Record<MarkStatus, string>> = {
  pass: '✓',
  fail: '✗',
  exempt: '⚠',
  process: '○',
  'not-evaluated': '–',
};

/** The legend of the symbols. */
export const STATUS_LEGEND =
  '✓ pass · ✗ failing · ⚠ exempt (approved exemption) · ○ process only · – not evaluated here';
