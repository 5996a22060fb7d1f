import * as fs from 'fs';
import * as path from 'path';
import { ruleId } from '../../../nag-rules/core/rule';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { ITEMS, THREATS } from '../../../nag-rules/matrix/threat-model';
import { ALL_RULES } from '../../../nag-rules/rules';

/**
 * The controls matrix against its requirement, `../shared/THREAT-MODEL.md`: every threat-model ID is in the
 * matrix, every threat is answered by preventive and detective controls and a runbook, and every control is
 * either checked by a rule of the pack or is process-only with the reason why.
 */

const REPO_ROOT = path.join(__dirname, '..', '..', '..');
const THREAT_MODEL_FILE = path.resolve(REPO_ROOT, '..', 'shared', 'THREAT-MODEL.md');

/** IDs such as TH-1, ADM-12, CC-DET; plus a heading's own ID in parentheses when no item carries it as a prefix (XM). */
function threatModelIds(markdown: string): string[] {
  const ids = new Set(markdown.match(/\b[A-Z]{2,3}-(?:\d+|[A-Z]{3})\b/g) ?? []);
  const prefixes = new Set([...ids].map((id) => id.split('-')[0]));
  for (const line of markdown.split('\n').filter((l) => /^#{1,6}\s/.test(l))) {
    for (const [, id] of line.matchAll(/\(([A-Z]{2,3})\)/g)) if (!prefixes.has(id)) ids.add(id);
  }
  return [...ids].sort();
}

const controlIds = CONTROLS.map((c) => c.id);
const ruleControlIds = ALL_RULES.map((r) => r.controlId);

describe('THREAT-MODEL.md', () => {
  let ids: string[];
  beforeAll(() => {
    if (!fs.existsSync(THREAT_MODEL_FILE)) {
      throw new Error(`The threat model is missing: expected ${THREAT_MODEL_FILE} (../shared/THREAT-MODEL.md from the repository root ${REPO_ROOT})`);
    }
    ids = threatModelIds(fs.readFileSync(THREAT_MODEL_FILE, 'utf8'));
  });

  test('the parser finds the document\'s items (every family, the control categories and XM)', () => {
    expect(ids).toEqual(expect.arrayContaining(['TH-1', 'TH-4', 'ADM-1', 'ADM-12', 'EP-4', 'EX-2', 'AC-5', 'IM-4', 'PE-4', 'LM-5', 'PV-8',
      'CC-DIR', 'CC-PRE', 'CC-DET', 'CC-REM', 'CC-COR', 'XM', 'IR-1', 'IR-6']));
    expect(ids).not.toContain('SME');
  });

  test('every ID of the threat model is in the matrix (ITEMS, threats or controls)', () => {
    const inMatrix = new Set([...Object.keys(ITEMS), ...THREATS.map((t) => t.id), ...controlIds]);
    expect(ids.filter((id) => !inMatrix.has(id))).toEqual([]);
  });
});

describe('threats', () => {
  test('every TH-* item has a threat entry and every threat is an item', () => {
    expect(THREATS.map((t) => t.id).sort()).toEqual(Object.keys(ITEMS).filter((id) => id.startsWith('TH-')).sort());
  });

  test.each(THREATS.map((t) => [t.id, t] as const))('%s has a preventive and a detective control and a runbook of IR steps', (id, threat) => {
    const categories = new Set(CONTROLS.filter((c) => c.protects.includes(id)).map((c) => c.category));
    expect({ id, preventive: categories.has('preventive'), detective: categories.has('detective') }).toEqual({ id, preventive: true, detective: true });
    expect(threat.runbook.length).toBeGreaterThan(0);
    expect(threat.runbook.filter((step) => !/^IR-\d+$/.test(step) || !(step in ITEMS))).toEqual([]);
  });

  test('every ID a threat lists (actors, impacts, entry and exfiltration points, techniques, runbook) is an item', () => {
    const unknown = THREATS.flatMap((t) => [...t.actors, ...t.impacts, ...t.entryPoints, ...t.exfiltrationPoints, ...t.techniques, ...t.runbook]
      .filter((id) => !(id in ITEMS)).map((id) => `${t.id}: ${id}`));
    expect(unknown).toEqual([]);
  });
});

describe('controls', () => {
  test('control IDs are unique', () => {
    expect(controlIds.filter((id, i) => controlIds.indexOf(id) !== i)).toEqual([]);
  });

  test('every ID a control protects is an item of the threat model', () => {
    expect(CONTROLS.flatMap((c) => c.protects.filter((id) => !(id in ITEMS)).map((id) => `${c.id}: ${id}`))).toEqual([]);
  });

  test.each(CONTROLS.map((c) => [c.id, c] as const))('%s protects a threat and is checked by a rule or is process-only with a reason (not both)', (id, control) => {
    expect(control.protects.filter((p) => /^TH-\d+$/.test(p)).length).toBeGreaterThan(0);
    const rules = ruleControlIds.filter((r) => r === id).length;
    const processOnly = control.processOnly !== undefined;
    const state = { id, rules, processOnly, reason: processOnly ? control.processOnly!.trim().length >= 20 : undefined };
    if (processOnly) expect(state).toEqual({ id, rules: 0, processOnly: true, reason: true });
    else expect(state).toEqual({ id, rules: 1, processOnly: false, reason: undefined });
  });
});

describe('rules', () => {
  test('the pack has rules, with unique control IDs', () => {
    expect(ALL_RULES.length).toBeGreaterThan(0);
    expect(ruleControlIds.filter((id, i) => ruleControlIds.indexOf(id) !== i)).toEqual([]);
  });

  test.each(ALL_RULES.map((r) => [ruleId(r), r] as const))('%s checks a control of the matrix, at its level, for threats of the model', (_id, rule) => {
    const control = CONTROLS.find((c) => c.id === rule.controlId);
    expect(control).toBeDefined();
    expect(control!.processOnly).toBeUndefined();
    // Preventive controls are errors; the others warnings (both fail the synth).
    expect({ category: control!.category, level: rule.level }).toEqual({ category: control!.category, level: control!.category === 'preventive' ? 'error' : 'warning' });
    expect(rule.threats.length).toBeGreaterThan(0);
    expect(rule.threats.filter((t) => !(t in ITEMS))).toEqual([]);
    // A rule names only threats its control answers in the matrix.
    expect(rule.threats.filter((t) => !control!.protects.includes(t))).toEqual([]);
  });
});
