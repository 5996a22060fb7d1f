import * as fs from 'fs';
import * as path from 'path';
import { ruleId } from '../../../nag-rules/core/rule';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { ITEMS, Threat, THREATS } from '../../../nag-rules/matrix/threat-model';
import { ALL_RULES } from '../../../nag-rules/rules';

/**
 * The controls matrix against its requirement, `docs/threat-model.md`, in both directions: every ID of the
 * document is in the matrix and every item and threat of the matrix is in the document; for every threat the
 * document's STRIDE classes, actors, impacts, entry and exfiltration points, techniques, controls and runbook
 * equal the matrix's. Every threat is answered by preventive and detective controls and a runbook, and every
 * control is either checked by a rule of the pack or is process-only with the reason why.
 */

const REPO_ROOT = path.join(__dirname, '..', '..', '..');
const THREAT_MODEL_FILE = path.join(REPO_ROOT, 'docs', 'threat-model.md');

/**
 * IDs such as TH-1, ADM-12, CC-DET, K8S-3; plus a heading's own ID in parentheses when no item carries it as a
 * prefix (XM).
 */
function threatModelIds(markdown: string): string[] {
  const ids = new Set(markdown.match(/\b[A-Z][A-Z0-9]{1,2}-(?:\d+|[A-Z]{3})\b/g) ?? []);
  const prefixes = new Set([...ids].map((id) => id.split('-')[0]));
  for (const line of markdown.split('\n').filter((l) => /^#{1,6}\s/.test(l))) {
    for (const [, id] of line.matchAll(/\(([A-Z]{2,3})\)/g)) if (!prefixes.has(id)) ids.add(id);
  }
  return [...ids].sort();
}

/** The per-threat facts of the document: the label of its `- <label>: a, b` line and the matrix's value. */
const FACTS = [
  { label: 'STRIDE', ordered: false, of: (t: Threat) => t.stride },
  { label: 'Actors', ordered: false, of: (t: Threat) => t.actors },
  { label: 'Impacts', ordered: false, of: (t: Threat) => t.impacts },
  { label: 'Entry points', ordered: false, of: (t: Threat) => t.entryPoints },
  { label: 'Exfiltration points', ordered: false, of: (t: Threat) => t.exfiltrationPoints },
  { label: 'Techniques', ordered: false, of: (t: Threat) => t.techniques },
  {
    label: 'Controls',
    ordered: false,
    of: (t: Threat) => CONTROLS.filter((c) => c.protects.includes(t.id)).map((c) => c.id),
  },
  { label: 'Runbook', ordered: true, of: (t: Threat) => t.runbook },
] as const;

/** The document's threat sections (a heading `### TH-n …`), each with its fact lines by label (`none` is empty). */
function threatSections(markdown: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let facts: Map<string, string[]> | undefined;
  for (const line of markdown.split('\n')) {
    if (/^#{1,6}\s/.test(line)) {
      const id = line.match(/^#{1,6}\s+(TH-\d+)\b/)?.[1];
      facts = id === undefined ? undefined : new Map();
      if (id !== undefined) sections.set(id, facts!);
      continue;
    }
    const fact = facts && line.match(/^- ([A-Za-z ]+): (.*)$/);
    if (fact) {
      const values = fact[2]
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      facts!.set(fact[1], values.length === 1 && values[0] === 'none' ? [] : values);
    }
  }
  return sections;
}

/** Where the document's facts of one threat differ from the matrix, each naming the threat and the fact. */
function threatDifferences(sections: Map<string, Map<string, string[]>>, threat: Threat): string[] {
  const facts = sections.get(threat.id);
  if (facts === undefined) return [`${threat.id}: no section "### ${threat.id} …" in the document`];
  return FACTS.flatMap(({ label, ordered, of }) => {
    const inDocument = facts.get(label);
    if (inDocument === undefined) return [`${threat.id} ${label}: no line "- ${label}: …" in its section`];
    const inMatrix = [...of(threat)];
    const [d, m] = ordered ? [inDocument, inMatrix] : [[...inDocument].sort(), inMatrix.sort()];
    return d.join(', ') === m.join(', ')
      ? []
      : [`${threat.id} ${label}: the document has [${inDocument.join(', ')}], the matrix [${of(threat).join(', ')}]`];
  });
}

const controlIds = CONTROLS.map((c) => c.id);
const ruleControlIds = ALL_RULES.map((r) => r.controlId);
const matrixIds = new Set([...Object.keys(ITEMS), ...THREATS.map((t) => t.id), ...controlIds]);

/** Everything in which a threat-model document and the matrix disagree, each naming the ID. */
function documentDifferences(markdown: string): string[] {
  const ids = threatModelIds(markdown);
  const sections = threatSections(markdown);
  return [
    ...ids.filter((id) => !matrixIds.has(id)).map((id) => `${id}: in the document, not in the matrix`),
    ...[...Object.keys(ITEMS), ...THREATS.map((t) => t.id)]
      .filter((id) => !ids.includes(id))
      .map((id) => `${id}: in the matrix, not in the document`),
    ...[...sections.keys()]
      .filter((id) => !THREATS.some((t) => t.id === id))
      .map((id) => `${id}: a threat section of the document, not a threat of the matrix`),
    ...THREATS.flatMap((t) => threatDifferences(sections, t)),
  ];
}

/** `markdown` with the value of one fact line of one threat's section replaced. */
function withFact(markdown: string, threatId: string, label: string, value: string): string {
  const altered = markdown.replace(
    new RegExp(`(\\n#{1,6}\\s+${threatId}\\b[^]*?\\n- ${label}: )[^\\n]*`),
    `$1${value}`,
  );
  expect(altered).not.toEqual(markdown);
  return altered;
}

describe('docs/threat-model.md', () => {
  let markdown: string;
  let ids: string[];
  beforeAll(() => {
    if (!fs.existsSync(THREAT_MODEL_FILE)) {
      throw new Error(
        `The threat model is missing: expected ${THREAT_MODEL_FILE} (docs/threat-model.md in the repository root ${REPO_ROOT})`,
      );
    }
    markdown = fs.readFileSync(THREAT_MODEL_FILE, 'utf8');
    ids = threatModelIds(markdown);
  });

  test("the parser finds the document's items (every family, the control categories and XM)", () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'TH-1',
        'TH-4',
        'ADM-1',
        'ADM-12',
        'EP-4',
        'EX-2',
        'AC-5',
        'IM-4',
        'PE-4',
        'LM-5',
        'PV-8',
        'CC-DIR',
        'CC-PRE',
        'CC-DET',
        'CC-REM',
        'CC-COR',
        'XM',
        'IR-1',
        'IR-6',
      ]),
    );
    expect(ids).not.toContain('SME');
  });

  test("the parser finds the controls (K8S-* too) and every threat's section with all its facts", () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'CLU-1',
        'IDN-7',
        'NOD-7',
        'NET-6',
        'REG-5',
        'K8S-1',
        'K8S-14',
        'DET-5',
        'REM-7',
        'COR-1',
      ]),
    );
    const sections = threatSections(markdown);
    expect([...sections.keys()].sort()).toEqual(THREATS.map((t) => t.id).sort());
    for (const [id, facts] of sections)
      expect({ id, facts: [...facts.keys()].sort() }).toEqual({ id, facts: FACTS.map((f) => f.label).sort() });
  });

  test('every ID of the threat model is in the matrix (ITEMS, threats or controls)', () => {
    const inMatrix = new Set([...Object.keys(ITEMS), ...THREATS.map((t) => t.id), ...controlIds]);
    expect(ids.filter((id) => !inMatrix.has(id))).toEqual([]);
  });

  test('every item and threat of the matrix is in the document', () => {
    expect([...Object.keys(ITEMS), ...THREATS.map((t) => t.id)].filter((id) => !ids.includes(id))).toEqual([]);
  });

  test('every threat section of the document is a threat of the matrix', () => {
    expect([...threatSections(markdown).keys()].filter((id) => !THREATS.some((t) => t.id === id))).toEqual([]);
  });

  test.each(THREATS.map((t) => [t.id, t] as const))(
    "%s: the document's STRIDE classes, actors, impacts, entry and exfiltration points, techniques, controls and runbook are the matrix's",
    (_id, threat) => {
      expect(threatDifferences(threatSections(markdown), threat)).toEqual([]);
    },
  );

  test('the document and the matrix agree (all the comparisons above, as one list)', () => {
    expect(documentDifferences(markdown)).toEqual([]);
  });

  test.each([
    [
      "a threat's STRIDE classes changed",
      (md: string) => withFact(md, 'TH-2', 'STRIDE', 'Elevation of privilege, Tampering'),
      [
        'TH-2 STRIDE: the document has [Elevation of privilege, Tampering], the matrix [Elevation of privilege, Tampering, Information disclosure]',
      ],
    ],
    [
      'a runbook reordered',
      (md: string) => withFact(md, 'TH-4', 'Runbook', 'IR-3, IR-1'),
      ['TH-4 Runbook: the document has [IR-3, IR-1], the matrix [IR-1, IR-3]'],
    ],
    [
      'a control dropped from a threat',
      (md: string) => withFact(md, 'TH-3', 'Controls', 'CLU-2'),
      [expect.stringMatching(/^TH-3 Controls: the document has \[CLU-2\], the matrix \[CLU-2, CLU-3, /)],
    ],
    [
      'an item unknown to the matrix',
      (md: string) => `${md}\n- PV-99 Something the matrix does not have.\n`,
      ['PV-99: in the document, not in the matrix'],
    ],
    [
      'an item of the matrix left out',
      (md: string) => md.replace(/^- EX-2 .*\n(?: .*\n)*/m, '').replace(/, EX-2\b/g, ''),
      [
        'EX-2: in the matrix, not in the document',
        'TH-2 Exfiltration points: the document has [EX-1], the matrix [EX-1, EX-2]',
        'TH-3 Exfiltration points: the document has [EX-1], the matrix [EX-1, EX-2]',
      ],
    ],
  ])('the comparison names what differs in an altered copy: %s', (_change, alter, differences) => {
    expect(documentDifferences(alter(markdown))).toEqual(differences);
  });
});

describe('threats', () => {
  test('every TH-* item has a threat entry and every threat is an item', () => {
    expect(THREATS.map((t) => t.id).sort()).toEqual(
      Object.keys(ITEMS)
        .filter((id) => id.startsWith('TH-'))
        .sort(),
    );
  });

  test.each(THREATS.map((t) => [t.id, t] as const))(
    '%s has a preventive and a detective control and a runbook of IR steps',
    (id, threat) => {
      const categories = new Set(CONTROLS.filter((c) => c.protects.includes(id)).map((c) => c.category));
      expect({ id, preventive: categories.has('preventive'), detective: categories.has('detective') }).toEqual({
        id,
        preventive: true,
        detective: true,
      });
      expect(threat.runbook.length).toBeGreaterThan(0);
      expect(threat.runbook.filter((step) => !/^IR-\d+$/.test(step) || !(step in ITEMS))).toEqual([]);
    },
  );

  test('every ID a threat lists (actors, impacts, entry and exfiltration points, techniques, runbook) is an item', () => {
    const unknown = THREATS.flatMap((t) =>
      [...t.actors, ...t.impacts, ...t.entryPoints, ...t.exfiltrationPoints, ...t.techniques, ...t.runbook]
        .filter((id) => !(id in ITEMS))
        .map((id) => `${t.id}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe('controls', () => {
  test('control IDs are unique', () => {
    expect(controlIds.filter((id, i) => controlIds.indexOf(id) !== i)).toEqual([]);
  });

  test('every ID a control protects is an item of the threat model', () => {
    expect(CONTROLS.flatMap((c) => c.protects.filter((id) => !(id in ITEMS)).map((id) => `${c.id}: ${id}`))).toEqual(
      [],
    );
  });

  test.each(CONTROLS.map((c) => [c.id, c] as const))(
    '%s protects a threat and is checked by a rule or is process-only with a reason and an owner (not both)',
    (id, control) => {
      expect(control.protects.filter((p) => /^TH-\d+$/.test(p)).length).toBeGreaterThan(0);
      const rules = ruleControlIds.filter((r) => r === id).length;
      const processOnly = control.processOnly !== undefined;
      // A process-only control names who runs it (the hardening backlog lists it with that owner).
      const state = {
        id,
        rules,
        processOnly,
        reason: processOnly ? control.processOnly!.trim().length >= 20 : undefined,
        owner: control.owner,
      };
      if (processOnly)
        expect(state).toEqual({
          id,
          rules: 0,
          processOnly: true,
          reason: true,
          owner: expect.stringMatching(/^(aws|shared|platform-team|consumer-team)$/),
        });
      else expect(state).toEqual({ id, rules: 1, processOnly: false, reason: undefined, owner: undefined });
    },
  );
});

describe('rules', () => {
  test('the pack has rules, with unique control IDs', () => {
    expect(ALL_RULES.length).toBeGreaterThan(0);
    expect(ruleControlIds.filter((id, i) => ruleControlIds.indexOf(id) !== i)).toEqual([]);
  });

  test.each(ALL_RULES.map((r) => [ruleId(r), r] as const))(
    '%s checks a control of the matrix, at its level, for threats of the model',
    (_id, rule) => {
      const control = CONTROLS.find((c) => c.id === rule.controlId);
      expect(control).toBeDefined();
      expect(control!.processOnly).toBeUndefined();
      // Preventive controls are errors; the others warnings (both fail the synth).
      expect({ category: control!.category, level: rule.level }).toEqual({
        category: control!.category,
        level: control!.category === 'preventive' ? 'error' : 'warning',
      });
      expect(rule.threats.length).toBeGreaterThan(0);
      expect(rule.threats.filter((t) => !(t in ITEMS))).toEqual([]);
      // A rule names only threats its control answers in the matrix.
      expect(rule.threats.filter((t) => !control!.protects.includes(t))).toEqual([]);
    },
  );
});
