import { isObject, TemplateModel } from '../core/template-model';
import { CONTROLS } from '../matrix/controls';
import { ITEMS, THREATS } from '../matrix/threat-model';
import { asArray } from '../core/intrinsics';
import { IR_IDS, RUNBOOK_TAG, RunbookDocument, runbooksFor } from '../core/runbook-documents';
import { CLUSTER_TYPES } from '../core/kubernetes-objects';
import { cell, table } from './markdown';

/** The folder (under the reports' directory) the per-threat runbooks are written to. */
export const RUNBOOKS_FOLDER = 'runbooks';

interface ShippedRunbook {
  readonly stackName: string;
  readonly document: RunbookDocument;
}

/** The runbooks each IR step has in the templates, per IR ID (every cluster of every template). */
export function shippedRunbooks(templates: Readonly<Record<string, unknown>>): Map<string, ShippedRunbook[]> {
  const byStep = new Map<string, ShippedRunbook[]>();
  for (const [stackName, template] of Object.entries(templates)) {
    const model = new TemplateModel(template);
    for (const [clusterId] of model.resourcesOfType(...CLUSTER_TYPES)) {
      for (const ir of IR_IDS) {
        const list = byStep.get(ir) ?? [];
        for (const document of runbooksFor(model, clusterId, ir).documents) {
          if (!list.some((r) => r.stackName === stackName && r.document.logicalId === document.logicalId))
            list.push({ stackName, document });
        }
        byStep.set(ir, list);
      }
    }
  }
  return byStep;
}

function parameterRows(document: RunbookDocument): string[][] {
  const parameters = isObject(document.content.parameters) ? document.content.parameters : {};
  return Object.entries(parameters)
    .filter(([, p]) => isObject(p))
    .map(([name, p]) => {
      const given =
        p.default === undefined
          ? 'required'
          : typeof p.default === 'string' && !p.default.includes('${Token')
            ? `default \`${p.default}\``
            : 'set by the product';
      const allowed = asArray(p.allowedValues).length
        ? ` One of ${asArray(p.allowedValues)
            .map((v) => `\`${String(v)}\``)
            .join(', ')}.`
        : '';
      return [`\`${name}\``, String(p.type ?? 'String'), given, `${String(p.description ?? '')}${allowed}`];
    });
}

function requiredInputs(document: RunbookDocument): string {
  const parameters = isObject(document.content.parameters) ? document.content.parameters : {};
  const required = Object.entries(parameters)
    .filter(([, p]) => isObject(p) && p.default === undefined)
    .map(([name]) => `${name}=<${name}>`);
  return required.length ? ` --parameters ${required.join(',')}` : '';
}

/** The Markdown runbook of one threat: its IR steps in order, each with the automation to run and its inputs. */
export function renderThreatRunbook(threatId: string, shipped: Map<string, ShippedRunbook[]>): string {
  const threat = THREATS.find((t) => t.id === threatId);
  if (!threat) throw new Error(`unknown threat ${threatId}`);
  const lines = [
    `# Runbook for ${threat.id}: ${threat.title}`,
    '',
    `STRIDE: ${threat.stride.join(', ')}. Actors: ${threat.actors.map((a) => `${a} (${ITEMS[a]})`).join('; ') || 'none'}.`,
    `Entry points: ${threat.entryPoints.join(', ') || 'none'}. Techniques after the breach: ${threat.techniques.join(', ') || 'none'}.`,
    '',
    'Run the steps in this order. Each is an SSM Automation document the product ships; find its name in your account with',
    `\`aws ssm list-documents --filters Key=tag:${RUNBOOK_TAG},Values=<IR ID>\`, and start it with`,
    "`aws ssm start-automation-execution --document-name <name> --parameters …` (the document's role and cluster are preset).",
    ...(threat.runbook.includes('IR-3') && threat.runbook.includes('IR-6')
      ? [
          "IR-3 comes twice: revoke the pod's IRSA / Pod Identity roles right after isolating the pod, and the node role's sessions",
          'only after the capture, because that also stops the SSM agent and the kubelet on every node of the group.',
        ]
      : []),
    '',
  ];
  threat.runbook.forEach((ir, index) => {
    const controls = CONTROLS.filter((c) => c.category === 'remediative' && c.protects.includes(ir)).map((c) => c.id);
    lines.push(`## ${index + 1}. ${ir}: ${ITEMS[ir]}`, '', `Controls: ${controls.join(', ') || 'none'}.`, '');
    const runbooks = shipped.get(ir) ?? [];
    if (runbooks.length === 0) {
      lines.push('**No runbook for this step in the synthesized templates** (the EksThreatModel pack reports it).', '');
      return;
    }
    for (const { stackName, document } of runbooks) {
      const description =
        typeof document.content.description === 'string' ? document.content.description.split('\n')[0] : '';
      lines.push(`### ${document.logicalId} (${stackName})`, '', cell(description), '');
      lines.push(
        '```sh',
        `aws ssm start-automation-execution --document-name <${document.logicalId} name>${requiredInputs(document)}`,
        '```',
        '',
      );
      const rows = parameterRows(document);
      if (rows.length) lines.push(...table(['Input', 'Type', 'Value', 'Description'], rows), '');
      const outputs = asArray(document.content.outputs).filter((o): o is string => typeof o === 'string');
      if (outputs.length) lines.push(`Outputs: ${outputs.map((o) => `\`${o}\``).join(', ')}.`, '');
    }
  });
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** One Markdown runbook per threat of the threat model, by file name (`TH-1.md`…). */
export function renderThreatRunbooks(templates: Readonly<Record<string, unknown>>): Record<string, string> {
  const shipped = shippedRunbooks(templates);
  return Object.fromEntries(THREATS.map((t) => [`${t.id}.md`, renderThreatRunbook(t.id, shipped)]));
}
