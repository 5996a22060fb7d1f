import { CONTROLS } from '../matrix/controls';
import { Owner, OWNER_TITLES, OWNERS } from '../matrix/owners';
import { table } from '../reports/markdown';
import { KIND_BY_ID } from './components';
import { ControlMark, markText, SecurityView, STATUS_LEGEND } from './security-view';

/**
 * The responsibility and ownership matrix of a product: every component with who runs it (AWS, shared, the
 * platform team, the consumer team) and the controls on it, then per owner the controls on the components it runs
 * and the process-only controls it owns. Derived from the security view, so from the template and the matrix.
 */

export interface OwnershipRow {
  readonly component: string;
  readonly title: string;
  readonly owner: Owner;
  /** Who does what, when the owner is not the only party. */
  readonly split?: string;
  /** Logical IDs; empty for a component the template implies (the consumer's workloads, the admin APIs). */
  readonly resources: readonly string[];
  readonly controls: readonly ControlMark[];
}

export interface OwnerSummary {
  readonly owner: Owner;
  readonly title: string;
  readonly components: readonly string[];
  /** Controls on the components the owner runs. */
  readonly controls: readonly ControlMark[];
  /** Process-only controls the matrix gives this owner. */
  readonly processControls: readonly string[];
}

/** `ownership.json`. */
export interface OwnershipMatrix {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly components: readonly OwnershipRow[];
  readonly owners: readonly OwnerSummary[];
}

export function buildOwnership(view: SecurityView, controls = CONTROLS): OwnershipMatrix {
  const rows: OwnershipRow[] = view.nodes.flatMap((node) => {
    const kind = KIND_BY_ID.get(node.id);
    if (!kind?.owner) return [];
    return [
      {
        component: node.id,
        title: node.title,
        owner: kind.owner,
        ...(kind.split ? { split: kind.split } : {}),
        resources: node.resources.map((r) => r.logicalId),
        controls: node.controls,
      },
    ];
  });
  const order = new Map(controls.map((c, i) => [c.id, i]));
  const owners = OWNERS.map((owner) => {
    const mine = rows.filter((r) => r.owner === owner);
    const marks = new Map<string, ControlMark>();
    for (const mark of mine.flatMap((r) => r.controls)) {
      const known = marks.get(mark.controlId);
      if (!known || mark.status === 'fail' || (mark.status === 'exempt' && known.status !== 'fail'))
        marks.set(mark.controlId, mark);
    }
    return {
      owner,
      title: OWNER_TITLES[owner],
      components: mine.map((r) => r.component),
      controls: [...marks.values()].sort(
        (a, b) => (order.get(a.controlId) ?? order.size) - (order.get(b.controlId) ?? order.size),
      ),
      processControls: controls.filter((c) => c.processOnly !== undefined && c.owner === owner).map((c) => c.id),
    };
  });
  return { schemaVersion: 1, name: view.name, components: rows, owners };
}

export function renderOwnershipMarkdown(matrix: OwnershipMatrix): string {
  const marks = (list: readonly ControlMark[]): string => list.map(markText).join(' ') || 'none';
  const lines = [
    `# Responsibility and ownership: ${matrix.name}`,
    '',
    'Who runs each component of the product, and the controls on it. AWS runs the control plane and Fargate; managed node ' +
      'groups and add-ons are shared; the platform team runs what the product builds; the consumer team runs its workloads, ' +
      'its own policies and roles, and its images.',
    '',
    `Control status: ${STATUS_LEGEND}.`,
    '',
    '## Components',
    '',
    ...table(
      ['component', 'owner', 'who does what', 'controls', 'resources'],
      matrix.components.map((r) => [
        r.title,
        OWNER_TITLES[r.owner],
        r.split ?? '',
        marks(r.controls),
        r.resources.length ? r.resources.join(', ') : '(implied by the template)',
      ]),
    ),
    '',
    '## Controls by owner',
    '',
    ...table(
      ['owner', 'components', 'controls on them', 'process-only controls'],
      matrix.owners.map((o) => [
        o.title,
        o.components.map((id) => KIND_BY_ID.get(id)?.title ?? id).join('; ') || 'none',
        marks(o.controls),
        o.processControls.join(', ') || 'none',
      ]),
    ),
    '',
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
