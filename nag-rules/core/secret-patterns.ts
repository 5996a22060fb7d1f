import * as gitleaks from '../data/gitleaks-rules.json';

/*
 * Clear-text secrets found with gitleaks' published rule set (nag-rules/data/gitleaks-rules.json, a release's
 * config/gitleaks.toml as JSON, made by scripts/import-gitleaks-rules.py): its keywords, regular expressions, entropy
 * floors and allowlists, applied as gitleaks applies them. Gitleaks writes Go (RE2) expressions; the few spellings
 * JavaScript lacks are rewritten below, and a rule that still does not compile is listed, never dropped silently.
 */

interface GitleaksAllowlist {
  readonly condition?: string;
  readonly regexTarget?: string;
  readonly regexes?: readonly string[];
  readonly stopwords?: readonly string[];
  readonly paths?: readonly string[];
}

interface GitleaksRule {
  readonly id: string;
  readonly description: string;
  readonly regex?: string;
  readonly keywords?: readonly string[];
  readonly entropy?: number;
  readonly secretGroup?: number;
  readonly path?: string;
  readonly allowlists?: readonly GitleaksAllowlist[];
}

interface CompiledAllowlist {
  readonly and: boolean;
  readonly target: 'secret' | 'match' | 'line';
  readonly regexes: RegExp[];
  readonly stopwords: string[];
}

interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly pattern: RegExp;
  readonly keywords: string[];
  readonly entropy?: number;
  readonly secretGroup?: number;
  readonly allowlists: CompiledAllowlist[];
}

/** Where the rule set comes from, for messages and RULES.md. */
export const SECRET_RULES_SOURCE = `gitleaks ${gitleaks.version} (${gitleaks.source})`;

/** A secret found in a text. */
export interface SecretMatch {
  /** The gitleaks rule that found it (e.g. `aws-access-token`). */
  readonly ruleId: string;
  readonly description: string;
  /** The secret, shortened for messages: its first four characters and its length. */
  readonly redacted: string;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  xdigit: '0-9A-Fa-f',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

/**
 * A Go (RE2) expression as a JavaScript one. Case-insensitive groups (`(?i:…)`, `(?i)` after the start) make the whole
 * expression case-insensitive: wider than gitleaks, never narrower; `(?-i:…)` keeps its text.
 */
export function fromRe2(source: string): RegExp {
  let flags = 'u';
  let text = source;
  if (/\(\?i\)|\(\?i:/.test(text)) flags += 'i';
  if (/\(\?s\)|\(\?s:/.test(text) || /\(\?is\)|\(\?si\)/.test(text)) flags += 's';
  text = text
    .replace(/\(\?[is]+\)/g, '')
    .replace(/\(\?[is]+:/g, '(?:')
    .replace(/\(\?-i:/g, '(?:')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^')
    .replace(/\[:([a-z]+):\]/g, (match, name: string) => POSIX_CLASSES[name] ?? match)
    .replace(/\\x\{([0-9A-Fa-f]+)\}/g, '\\u{$1}')
    .replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(text, flags);
  } catch {
    // Without the `u` flag JavaScript accepts more escapes (`\-` outside a class, `\/`) as RE2 does.
    return new RegExp(text, flags.replace('u', ''));
  }
}

interface CompiledSet {
  readonly rules: CompiledRule[];
  readonly uncompiled: string[];
  readonly global: CompiledAllowlist;
  readonly keywords: KeywordFinder;
  /** The indexes of the rules each keyword lets run, and of the rules without keywords (they run on every text). */
  readonly rulesOfKeyword: ReadonlyMap<string, readonly number[]>;
  readonly rulesWithoutKeywords: readonly number[];
}

let compiled: CompiledSet | undefined;

function compile(): CompiledSet {
  if (compiled) return compiled;
  const uncompiled: string[] = [];
  const allowlistOf = (a: GitleaksAllowlist): CompiledAllowlist => ({
    and: a.condition?.toUpperCase() === 'AND',
    target: a.regexTarget === 'match' ? 'match' : a.regexTarget === 'line' ? 'line' : 'secret',
    regexes: (a.regexes ?? []).flatMap((r) => {
      try {
        return [fromRe2(r)];
      } catch {
        return [];
      }
    }),
    stopwords: (a.stopwords ?? []).map((w) => w.toLowerCase()),
  });
  const rules: CompiledRule[] = [];
  for (const rule of gitleaks.rules as readonly GitleaksRule[]) {
    // Rules about file paths only (no content pattern) judge repositories, not template values.
    if (rule.regex === undefined) continue;
    try {
      rules.push({
        id: rule.id,
        description: rule.description,
        pattern: new RegExp(fromRe2(rule.regex).source, `${fromRe2(rule.regex).flags}g`),
        keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()),
        entropy: rule.entropy,
        secretGroup: rule.secretGroup,
        allowlists: (rule.allowlists ?? [])
          .filter((a) => a.paths === undefined || (a.regexes ?? a.stopwords) !== undefined)
          .map(allowlistOf),
      });
    } catch {
      uncompiled.push(rule.id);
    }
  }
  compiled = {
    rules,
    uncompiled,
    global: allowlistOf(gitleaks.allowlist as GitleaksAllowlist),
    keywords: keywordFinderOf(rules),
    ...rulesByKeyword(rules),
  };
  return compiled;
}

function rulesByKeyword(rules: readonly CompiledRule[]): Pick<CompiledSet, 'rulesOfKeyword' | 'rulesWithoutKeywords'> {
  const rulesOfKeyword = new Map<string, number[]>();
  const rulesWithoutKeywords: number[] = [];
  rules.forEach((rule, index) => {
    if (rule.keywords.length === 0) rulesWithoutKeywords.push(index);
    for (const keyword of new Set(rule.keywords)) {
      const ofKeyword = rulesOfKeyword.get(keyword);
      if (ofKeyword) ofKeyword.push(index);
      else rulesOfKeyword.set(keyword, [index]);
    }
  });
  return { rulesOfKeyword, rulesWithoutKeywords };
}

/**
 * The rules a lower-cased text lets run, in the set's order: those with a keyword the text holds, and those without
 * keywords. Most texts that pass the prefilter hold one or two common keywords (key, api, token) of some 220 rules.
 */
function rulesToRun(lower: string): number[] {
  const { rulesOfKeyword, rulesWithoutKeywords } = compile();
  const indexes = new Set<number>(rulesWithoutKeywords);
  for (const keyword of keywordsIn(lower)) for (const index of rulesOfKeyword.get(keyword) ?? []) indexes.add(index);
  return [...indexes].sort((a, b) => a - b);
}

/**
 * Finds which of the rules' keywords a lower-cased text holds, in one pass: one expression of every keyword, longest
 * first, matched at each place a keyword starts (a match is retried one character on, so keywords inside or
 * overlapping others are found too). The keywords starting at the same place as the longest are its prefixes. Asking
 * each rule's keywords in turn took a scan over the text per keyword, some 290 of them.
 */
interface KeywordFinder {
  readonly expression: RegExp;
  /** For each keyword, the keywords it starts with (itself included). */
  readonly startingWith: ReadonlyMap<string, readonly string[]>;
  /** Whether a rule has an empty keyword. */
  readonly empty: boolean;
}

function keywordFinderOf(rules: readonly CompiledRule[]): KeywordFinder {
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
  // Longest first, so that the match at a place is the longest keyword there. An empty keyword, which every text
  // holds, is left to `startingWith` (every match starts with it); with no keyword at all nothing matches.
  const alternatives = keywords.filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
  return {
    expression: new RegExp(alternatives.length ? alternatives.map(escapeRegExp).join('|') : '(?!)', 'g'),
    startingWith: new Map(keywords.map((k) => [k, keywords.filter((other) => k.startsWith(other))])),
    empty: keywords.includes(''),
  };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rules' keywords that a lower-cased text holds (`text.includes(keyword)` for each keyword of the set). */
export function keywordsIn(lower: string): Set<string> {
  const { expression, startingWith, empty } = compile().keywords;
  const found = new Set<string>(empty ? [''] : []);
  expression.lastIndex = 0;
  for (let match = expression.exec(lower); match !== null; match = expression.exec(lower)) {
    for (const keyword of startingWith.get(match[0]) ?? []) found.add(keyword);
    expression.lastIndex = match.index + 1;
  }
  return found;
}

/** Rules of the set that JavaScript cannot run even after rewriting (shown by the tests, so none is lost unnoticed). */
export function uncompiledSecretRules(): string[] {
  return [...compile().uncompiled];
}

/** How many content rules of the set the scanner runs. */
export function secretRuleCount(): number {
  return compile().rules.length;
}

/** Shannon entropy of a string, in bits per character (gitleaks' measure). */
export function shannonEntropy(text: string): number {
  if (!text) return 0;
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function allowed(list: CompiledAllowlist, secret: string, match: string, line: string): boolean {
  const target = list.target === 'match' ? match : list.target === 'line' ? line : secret;
  const checks: boolean[] = [];
  if (list.regexes.length) checks.push(list.regexes.some((r) => r.test(target)));
  if (list.stopwords.length) checks.push(list.stopwords.some((w) => secret.toLowerCase().includes(w)));
  if (checks.length === 0) return false;
  return list.and ? checks.every(Boolean) : checks.some(Boolean);
}

const MAX_TEXT = 200_000;

/**
 * Scans of texts already seen: a synth judges each region's copy of the product, and most strings (policies, handler
 * code, documents) are the same in every template. Kept by the text's prefix (a property's `name=`) and the rest, so
 * that a template's strings are looked up as they are, not joined to their names first. Bounded like the
 * compiled-expression cache.
 */
const scanned = new Map<string, Map<string, SecretMatch[]>>();
let scannedCount = 0;

/** The secrets gitleaks' rules find in a text (each rule reports its first finding). */
export function findSecrets(text: string): SecretMatch[] {
  return findSecretsAfter('', text);
}

/** `findSecrets(prefix + text)`. */
export function findSecretsAfter(prefix: string, text: string): SecretMatch[] {
  if (prefix.length + text.length < 8) return [];
  let byText = scanned.get(prefix);
  let found = byText?.get(text);
  if (!found) {
    found = secretsIn(prefix + text);
    if (scannedCount >= 20_000) {
      scanned.clear();
      scannedCount = 0;
      byText = undefined;
    }
    if (!byText) {
      byText = new Map();
      scanned.set(prefix, byText);
    }
    byText.set(text, found);
    scannedCount++;
  }
  return found;
}

/**
 * The secrets of a text (its first MAX_TEXT characters). As gitleaks prefilters, a rule runs only on a text that holds
 * one of its keywords: most texts of a template (ARNs, names, policies) hold none, and no rule runs on them.
 */
function secretsIn(text: string): SecretMatch[] {
  const { rules, global } = compile();
  const bounded = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const found: SecretMatch[] = [];
  for (const index of rulesToRun(bounded.toLowerCase())) {
    const rule = rules[index];
    rule.pattern.lastIndex = 0;
    for (const m of bounded.matchAll(rule.pattern)) {
      const match = m[0];
      const group = rule.secretGroup ?? (m.length > 1 ? m.findIndex((g, i) => i > 0 && g !== undefined) : 0);
      const secret = (group > 0 ? m[group] : undefined) ?? match;
      if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) continue;
      const start = bounded.lastIndexOf('\n', m.index ?? 0) + 1;
      const end = bounded.indexOf('\n', (m.index ?? 0) + match.length);
      const line = bounded.slice(start, end < 0 ? bounded.length : end);
      if ([global, ...rule.allowlists].some((a) => allowed(a, secret, match, line))) continue;
      found.push({
        ruleId: rule.id,
        description: rule.description,
        redacted: `${secret.slice(0, 4)}… (${secret.length} characters)`,
      });
      break;
    }
  }
  return found;
}
