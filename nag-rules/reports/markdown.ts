import { OWNER_TITLES } from '../matrix/owners';
import { HardeningBacklog } from './backlog';
import {
  ApprovalRow,
  CONTROL_STATUSES,
  ControlRow,
  ControlsMatrixReport,
  ExemptionRow,
  ItemRef,
  StatusTotals,
} from './matrix-report';

/** Escapes text for one cell of a Markdown table (pipes, line breaks). */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

const items = (refs: readonly ItemRef[]): string =>
  refs.length ? refs.map((r) => `${r.id} (${r.title})`).join('; ') : 'none';
const label = (status: string): string => (status === 'fail' ? '**fail**' : status);
const code = (text: string): string => `\`${text}\``;

/** `pass 3 · fail 1 · exempt 0 · not-evaluated 5` */
export function totalsLine(totals: StatusTotals): string {
  return CONTROL_STATUSES.map((status) => `${status} ${totals[status]}`).join(' · ');
}

/** The acknowledgement's reason, plus what the register's entry says that the reason does not already. */
function exemptionReason(x: ExemptionRow): string {
  const { entry } = x;
  const extra = [
    entry && !x.reason.includes(entry.approvedBy) && `approved by ${entry.approvedBy}`,
    entry && !x.reason.includes(entry.expires) && `expires ${entry.expires}`,
    entry && !x.reason.includes(entry.ticket) && `ticket ${entry.ticket}`,
  ].filter(Boolean);
  return `${x.reason || '(no reason given)'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

const exemptionText = (x: ExemptionRow): string => `${x.logicalId}: ${exemptionReason(x)}`;

function details(row: ControlRow): string {
  if (row.status === 'not-evaluated') return row.reason ?? '';
  const parts: string[] = [];
  const { pass, fail, exempt } = row.resources;
  parts.push(
    [pass && `${pass} passing`, fail && `${fail} failing`, exempt && `${exempt} exempt`].filter(Boolean).join(', '),
  );
  if (row.exemptions.length) parts.push(`Acknowledged: ${row.exemptions.map(exemptionText).join('; ')}`);
  return parts.join('. ');
}

/** Who approved which version of the matrix, in one paragraph. */
export function approvalLine(approval: ApprovalRow | undefined): string {
  if (!approval) return 'No approval record of the matrix was given.';
  const signed = `approved by ${approval.approvedBy} on ${approval.approvedOn} (ticket ${approval.ticket})`;
  if (approval.changes.length === 0) return `Matrix version \`${approval.version}\`, ${signed}.`;
  return (
    `**Matrix version \`${approval.currentVersion}\` is not approved.** The approved version \`${approval.version}\` was ${signed}; ` +
    `changed since: ${approval.changes.join(', ')}.`
  );
}

/** A section of the backlog: its table, or "None." when it has no rows. */
function backlogSection<T>(
  heading: string,
  header: readonly string[],
  rows: readonly T[],
  cells: (row: T) => string[],
): string[] {
  return [heading, '', ...(rows.length === 0 ? ['None.'] : table(header, rows.map(cells))), ''];
}

/** The backlog as the last section of `controls-matrix.md`. */
function backlogMarkdown(backlog: HardeningBacklog): string[] {
  const lines = [
    '## Hardening backlog',
    '',
    'What stays open after this synth: start the next review of the matrix here (CC-COR).',
    '',
    ...backlogSection(
      '### Exempt controls, soonest expiry first',
      ['expires', 'control', 'resource', 'stack', 'approved by', 'ticket'],
      backlog.exemptions,
      (x) => [
        x.entry?.expires ?? 'unknown',
        x.controlId,
        x.resource,
        x.stackName,
        x.entry?.approvedBy ?? '',
        x.entry?.ticket ?? '',
      ],
    ),
    ...backlogSection(
      '### Process-only controls',
      ['control', 'title', 'owner', 'why no rule checks it'],
      backlog.processOnly,
      (p) => [p.controlId, p.title, p.owner === 'unassigned' ? '**unassigned**' : OWNER_TITLES[p.owner], p.reason],
    ),
    ...backlogSection(
      '### Unresolved findings (not judged at synth time)',
      ['control', 'status', 'resource', 'stack', 'finding'],
      backlog.unresolved,
      (u) => [u.controlId, u.status, u.resource, u.stackName, u.message],
    ),
  ];
  lines.push('### Framework recommendations no control covers', '');
  if (backlog.frameworks.length === 0)
    lines.push('No framework mapping is defined for the matrix yet, so no coverage gap can be listed.', '');
  else if (backlog.frameworkGaps.length === 0)
    lines.push(`None: every recommendation of ${backlog.frameworks.join(', ')} is covered by a control.`, '');
  else
    lines.push(
      ...table(
        ['framework', 'recommendation', 'title'],
        backlog.frameworkGaps.map((g) => [g.framework, g.id, g.title]),
      ),
      '',
    );
  return lines;
}

/** The controls matrix for reviewers (`controls-matrix.md`). */
export function renderControlsMatrixMarkdown(report: ControlsMatrixReport): string {
  const lines: string[] = [
    '# EKS threat model: controls matrix',
    '',
    `Checked by the \`${report.pack}\` rule pack on ${report.stacks.length ? report.stacks.map(code).join(', ') : 'no stack'}: ` +
      `${report.evaluations.total} evaluation(s), ${report.evaluations.fail} failing, ${report.evaluations.exempt} acknowledged.`,
    '',
    approvalLine(report.approval),
    '',
    'Status: `pass` every resource the rule judges complies; `fail` at least one does not (unacknowledged); `exempt` every ' +
      'failure is acknowledged (the reason names the approver and the expiry); `not-evaluated` no rule could judge it here.',
    '',
    '## Totals',
    '',
    ...table(
      ['status', 'controls'],
      CONTROL_STATUSES.map((s) => [s, String(report.totals[s])]),
    ),
    '',
  ];
  for (const threat of report.threats) {
    lines.push(
      `## ${threat.id}: ${threat.title}`,
      '',
      `- STRIDE: ${threat.stride.join(', ')}`,
      `- Actors: ${items(threat.actors)}`,
      `- Entry points: ${items(threat.entryPoints)}`,
      `- Exfiltration points: ${items(threat.exfiltrationPoints)}`,
      '',
    );
    for (const group of threat.categories) {
      lines.push(`### ${group.category[0].toUpperCase()}${group.category.slice(1)} controls (${threat.id})`, '');
      lines.push(
        ...table(
          ['control', 'title', 'rule', 'status', 'details', 'CIS EKS / NIST 800-53'],
          group.controls.map((row) => [
            row.controlId,
            row.title,
            row.rules.length
              ? row.rules.map((r) => `${r.ruleId} (${r.level})`).join(', ')
              : row.processOnly
                ? 'process only'
                : 'none yet',
            label(row.status),
            details(row),
            [
              row.cisEks.length ? `CIS ${row.cisEks.join(', ')}` : '',
              row.nist80053.length ? `NIST ${row.nist80053.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('; '),
          ]),
        ),
      );
      lines.push('');
    }
    lines.push(`Totals for ${threat.id}: ${totalsLine(threat.totals)}`, '');
  }
  lines.push('## Violations', '');
  if (report.violations.length === 0) lines.push('None: no rule failed on any resource.', '');
  else {
    lines.push(
      ...table(
        ['status', 'rule', 'level', 'threats', 'stack', 'resource', 'construct path', 'findings'],
        report.violations.map((v) => [
          label(v.status),
          v.ruleId,
          v.level,
          v.threats.join(', '),
          v.stackName,
          `${v.logicalId} (${v.resourceType})`,
          v.constructPath,
          [
            ...v.findings.map((f) => `${f.unresolved ? '[unresolved] ' : ''}${f.message}`),
            ...(v.exemption ? [`Acknowledged: ${exemptionReason(v.exemption)}`] : []),
          ].join('<br>'),
        ]),
      ),
    );
    lines.push('');
  }
  lines.push(...backlogMarkdown(report.backlog));
  return `${lines.join('\n').trimEnd()}\n`;
}
