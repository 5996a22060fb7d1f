import { ControlMark, markText, SecurityView, ViewFlow, ViewNode, ViewStatus } from './security-view';

/**
 * What both renderings (Mermaid, Graphviz) draw of a security view: the lines of each node's and each edge's label,
 * and the edges (a flow through a `via` component is two edges, the label on the first).
 */

/** Controls per label line: labels stay narrow enough to read. */
const MARKS_PER_LINE = 4;

function markLines(marks: readonly ControlMark[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < marks.length; i += MARKS_PER_LINE)
    lines.push(
      marks
        .slice(i, i + MARKS_PER_LINE)
        .map(markText)
        .join('  '),
    );
  return lines;
}

/** A node's label, line by line: title, resource count, controls. */
export function nodeLabel(node: ViewNode): string[] {
  const count =
    node.resources.length === 0 ? [] : [`${node.resources.length} resource${node.resources.length === 1 ? '' : 's'}`];
  return [node.title, ...count, ...markLines(node.controls)];
}

/** A flow's label, line by line: what it is, the entry or exfiltration points it is, controls. */
export function flowLabel(flow: ViewFlow): string[] {
  return [`${flow.label}${flow.marks.length ? ` · ${flow.marks.join(', ')}` : ''}`, ...markLines(flow.controls)];
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  /** Empty on the second half of a flow through a component. */
  readonly label: readonly string[];
  readonly flow: ViewFlow;
}

/** The edges of the view, in flow order. */
export function edgesOf(view: SecurityView): Edge[] {
  return view.flows.flatMap((flow) =>
    flow.via
      ? [
          { from: flow.from, to: flow.via, label: flowLabel(flow), flow },
          { from: flow.via, to: flow.to, label: [], flow },
        ]
      : [{ from: flow.from, to: flow.to, label: flowLabel(flow), flow }],
  );
}

/** Fill and stroke per status (green: every control passes; amber: an approved exemption; red: failing). */
export const STATUS_COLOURS: Readonly<Record<ViewStatus, { readonly fill: string; readonly stroke: string }>> = {
  ok: { fill: '#e8f5e9', stroke: '#2e7d32' },
  exempt: { fill: '#fff4ce', stroke: '#b7791f' },
  fail: { fill: '#fde2e2', stroke: '#c62828' },
};

/** The boundaries directly inside `parent` (top level when undefined). */
export function childBoundaries(view: SecurityView, parent?: string) {
  return view.boundaries.filter((b) => b.parent === parent);
}
