import * as fs from 'fs';
import * as path from 'path';
import { CLUSTER_TYPES } from '../core/kubernetes-objects';
import { TemplateModel } from '../core/template-model';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { ITEMS } from '../matrix/threat-model';
import { KIND_BY_ID, BOUNDARIES } from '../security-view/components';
import { renderDot } from '../security-view/dot';
import { renderMermaid } from '../security-view/mermaid';
import { buildOwnership, OwnershipMatrix, renderOwnershipMarkdown } from '../security-view/ownership';
import { buildSecurityView, markText, SecurityView, STATUS_LEGEND } from '../security-view/security-view';
import { renderSvg } from '../security-view/svg';
import { approvalLine, table } from './markdown';
import { approvalRow, ReportOptions } from './matrix-report';

/** The folder (under the reports' directory) with one folder of views per product. */
export const PRODUCT_VIEWS_FOLDER = 'security-views';
export const DATA_FLOW_MD = 'data-flow.md';
export const DATA_FLOW_SVG = 'data-flow.svg';
export const OWNERSHIP_MD = 'ownership.md';
export const OWNERSHIP_JSON = 'ownership.json';

export interface WrittenProductViews {
  readonly name: string;
  readonly view: SecurityView;
  readonly ownership: OwnershipMatrix;
  readonly mermaid: string;
  /** Absolute paths. */
  readonly files: {
    readonly markdown: string;
    readonly svg: string;
    readonly ownershipMarkdown: string;
    readonly ownershipJson: string;
  };
}

/** A product is a template with an EKS cluster: the app draws only those (the CLI draws every template it checks). */
export function hasCluster(template: unknown): boolean {
  return new TemplateModel(template).resourcesOfType(...CLUSTER_TYPES).length > 0;
}

/** A folder name for a stack or a template path. */
export function viewFolderName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'template';
}

const pointIds = Object.keys(ITEMS).filter((id) => /^E[PX]-\d+$/.test(id));

/** `data-flow.md`: the diagram (Mermaid), then every entry and exfiltration point, flow and component with its controls. */
export function renderDataFlowMarkdown(view: SecurityView, mermaid: string, options: ReportOptions = {}): string {
  const title = (id: string): string => KIND_BY_ID.get(id)?.title ?? id;
  const marks = (list: SecurityView['flows'][number]['controls']): string => list.map(markText).join(' ') || 'none';
  const lines = [
    `# Security view: ${view.name}`,
    '',
    'Generated at every synth from the template and the controls matrix. Boxes are components inside their trust boundaries; ' +
      'arrows are flows, labelled with the entry (EP) or exfiltration (EX) points they are and the controls that guard them. ' +
      'A dashed arrow is a path the product keeps closed. Red: a control fails; amber: an approved exemption.',
    '',
    `Control status: ${STATUS_LEGEND}. ${options.approval ? approvalLine(approvalRow(options.approval)) : ''}`.trimEnd(),
    '',
    `The same diagram rendered by Graphviz: [${DATA_FLOW_SVG}](${DATA_FLOW_SVG}).`,
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
    '## Entry and exfiltration points',
    '',
    ...table(
      ['point', 'meaning', 'flows', 'controls'],
      pointIds.map((id) => {
        const flows = view.flows.filter((f) => f.marks.includes(id));
        const controls = [...new Map(flows.flatMap((f) => f.controls).map((m) => [m.controlId, m])).values()];
        return [id, ITEMS[id], flows.map((f) => f.label).join('; ') || '**not in this template**', marks(controls)];
      }),
    ),
    '',
    '## Flows',
    '',
    ...table(
      ['flow', 'from', 'to', 'through', 'points', 'controls'],
      view.flows.map((f) => [
        `${f.label}${f.blocked ? ' (closed)' : ''}`,
        title(f.from),
        title(f.to),
        f.via ? title(f.via) : '',
        f.marks.join(', '),
        marks(f.controls),
      ]),
    ),
    '',
    '## Components',
    '',
    ...table(
      ['component', 'boundary', 'controls', 'resources'],
      view.nodes.map((n) => [
        n.title,
        BOUNDARIES.find((b) => b.id === n.boundary)?.title ?? n.boundary,
        marks(n.controls),
        n.resources.map((r) => `${r.logicalId} (${r.type})`).join(', ') || '(implied by the template)',
      ]),
    ),
    '',
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * Writes, per template, `security-views/<name>/`: `data-flow.md` (Mermaid), `data-flow.svg` (Graphviz),
 * `ownership.md` and `ownership.json`.
 */
export function writeProductViews(
  dir: string,
  templates: Readonly<Record<string, unknown>>,
  evaluations: readonly RecordedEvaluation[],
  options: ReportOptions = {},
): WrittenProductViews[] {
  return Object.entries(templates).map(([name, template]) => {
    const view = buildSecurityView(
      name,
      template,
      evaluations.filter((e) => e.stackName === name),
      options,
    );
    const ownership = buildOwnership(view, options.controls);
    const mermaid = renderMermaid(view);
    const folder = path.join(dir, PRODUCT_VIEWS_FOLDER, viewFolderName(name));
    fs.mkdirSync(folder, { recursive: true });
    const files = {
      markdown: path.join(folder, DATA_FLOW_MD),
      svg: path.join(folder, DATA_FLOW_SVG),
      ownershipMarkdown: path.join(folder, OWNERSHIP_MD),
      ownershipJson: path.join(folder, OWNERSHIP_JSON),
    };
    fs.writeFileSync(files.markdown, renderDataFlowMarkdown(view, mermaid, options));
    fs.writeFileSync(files.svg, renderSvg(renderDot(view)));
    fs.writeFileSync(files.ownershipMarkdown, renderOwnershipMarkdown(ownership));
    fs.writeFileSync(files.ownershipJson, `${JSON.stringify(ownership, null, 2)}\n`);
    return { name, view, ownership, mermaid, files };
  });
}
