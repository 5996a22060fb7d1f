import { childBoundaries, edgesOf, nodeLabel, STATUS_COLOURS } from './drawing';
import { SecurityView } from './security-view';

/** The security view in Graphviz's DOT language, for the SVG: trust boundaries are clusters. */

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const lines = (label: readonly string[]): string => quote(label.join('\n')).replace(/\n/g, '\\n');

export function renderDot(view: SecurityView): string {
  const out = [
    `digraph ${quote(view.name)} {`,
    `  label=${quote(`Security view of ${view.name}`)}; labelloc=t; rankdir=LR; compound=true; nodesep=0.3; ranksep=0.9;`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#555555", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
  ];
  const drawBoundary = (id: string | undefined, indent: string): void => {
    for (const node of view.nodes.filter((n) => n.boundary === id)) {
      const colours = node.controls.length > 0 || node.status !== 'ok' ? STATUS_COLOURS[node.status] : undefined;
      const style = colours
        ? `, fillcolor=${quote(colours.fill)}, color=${quote(colours.stroke)}${node.status === 'fail' ? ', penwidth=3' : ''}`
        : '';
      const tooltip = node.resources.length
        ? `, tooltip=${quote(node.resources.map((r) => r.logicalId).join(' '))}`
        : '';
      out.push(`${indent}${quote(node.id)} [label=${lines(nodeLabel(node))}${style}${tooltip}];`);
    }
    for (const child of childBoundaries(view, id)) {
      out.push(
        `${indent}subgraph ${quote(`cluster_${child.id}`)} {`,
        `${indent}  label=${quote(child.title)}; style="dashed,rounded"; color="#888888";`,
      );
      drawBoundary(child.id, `${indent}  `);
      out.push(`${indent}}`);
    }
  };
  drawBoundary(undefined, '  ');
  for (const edge of edgesOf(view)) {
    const colour =
      edge.flow.status === 'ok' ? '' : `, color=${quote(STATUS_COLOURS[edge.flow.status].stroke)}, penwidth=2`;
    const style = edge.flow.blocked ? ', style=dashed' : '';
    out.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${lines(edge.label)}${colour}${style}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
