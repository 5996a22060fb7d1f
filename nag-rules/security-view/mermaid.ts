import { childBoundaries, edgesOf, nodeLabel, STATUS_COLOURS } from './drawing';
import { SecurityView, ViewStatus } from './security-view';

/** The security view as a Mermaid flowchart (renders on GitHub and GitLab): trust boundaries are subgraphs. */

const nodeId = (id: string): string => `n_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
const boundaryId = (id: string): string => `b_${id.replace(/[^A-Za-z0-9]/g, '_')}`;

/** Text inside a quoted Mermaid label: quotes and angle brackets as entity codes (line breaks are `<br/>`). */
function text(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;
}

export function renderMermaid(view: SecurityView): string {
  const lines = ['flowchart LR'];
  const drawBoundary = (id: string | undefined, indent: string): void => {
    for (const node of view.nodes.filter((n) => n.boundary === id))
      lines.push(`${indent}${nodeId(node.id)}[${text(nodeLabel(node))}]`);
    for (const child of childBoundaries(view, id)) {
      lines.push(`${indent}subgraph ${boundaryId(child.id)}[${text([child.title])}]`);
      drawBoundary(child.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  drawBoundary(undefined, '  ');
  const edges = edgesOf(view);
  for (const edge of edges) {
    const arrow = edge.flow.blocked ? '-.->' : '-->';
    lines.push(`  ${nodeId(edge.from)} ${arrow}${edge.label.length ? `|${text(edge.label)}|` : ''} ${nodeId(edge.to)}`);
  }
  for (const status of ['ok', 'exempt', 'fail'] as const satisfies readonly ViewStatus[]) {
    const { fill, stroke } = STATUS_COLOURS[status];
    lines.push(`  classDef ${status} fill:${fill},stroke:${stroke}${status === 'fail' ? ',stroke-width:3px' : ''}`);
    const nodes = view.nodes.filter((n) => n.status === status && (status !== 'ok' || n.controls.length > 0));
    if (nodes.length) lines.push(`  class ${nodes.map((n) => nodeId(n.id)).join(',')} ${status}`);
    const links = edges.flatMap((e, i) => (e.flow.status === status && status !== 'ok' ? [i] : []));
    if (links.length) lines.push(`  linkStyle ${links.join(',')} stroke:${stroke},stroke-width:3px`);
  }
  return `${lines.join('\n')}\n`;
}
