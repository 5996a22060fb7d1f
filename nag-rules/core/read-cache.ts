/**
 * What the readers of `core/` derive from one template (parsed policy documents, manifests, YAML) is computed once
 * and shared by every rule that evaluates that template. Each `TemplateModel` owns one cache; `evaluateResource`
 * makes it the active one while rules run, so the readers need no extra argument. Outside an evaluation nothing is
 * cached. Entries are keyed by content or by an object of the template, and callers treat cached values as read-only.
 */
export class ReadCache {
  private readonly kinds = new Map<string, Map<string, unknown>>();
  private readonly byObject = new WeakMap<object, Map<string, unknown>>();

  /** Like `get`, keyed by an object of the template (its model is a snapshot: the object does not change under it). */
  getFor<T>(kind: string, of: object, compute: () => T): T {
    return remember(entriesUnder(this.byObject, of), kind, compute);
  }

  /** An entry of `kind` keyed by content (e.g. a document's text). */
  get<T>(kind: string, key: string, compute: () => T): T {
    return remember(entriesUnder(this.kinds, kind), key, compute);
  }
}

/** The entries a map (or weak map) of entries holds under `key`, added empty on first use. */
function entriesUnder<K>(
  maps: { get(key: K): Map<string, unknown> | undefined; set(key: K, entries: Map<string, unknown>): unknown },
  key: K,
): Map<string, unknown> {
  let entries = maps.get(key);
  if (!entries) {
    entries = new Map();
    maps.set(key, entries);
  }
  return entries;
}

/** The entry for `key`, computed and stored on first use. */
function remember<T>(entries: Map<string, unknown>, key: string, compute: () => T): T {
  // One lookup for the usual hit; `has` tells a stored undefined from a miss.
  const known = entries.get(key);
  if (known !== undefined || entries.has(key)) return known as T;
  const value = compute();
  entries.set(key, value);
  return value;
}

let active: ReadCache | undefined;

/** Runs `run` with `cache` as the active cache of the readers. */
export function withReadCache<T>(cache: ReadCache, run: () => T): T {
  const previous = active;
  active = cache;
  try {
    return run();
  } finally {
    active = previous;
  }
}

/** `compute()`, remembered under `kind` and `key` in the active cache (computed afresh when none is active). */
export function cachedRead<T>(kind: string, key: string, compute: () => T): T {
  return active ? active.get(kind, key, compute) : compute();
}

/** `compute()`, remembered for an object of the template in the active cache (computed afresh when none is active). */
export function cachedReadFor<T>(kind: string, of: object, compute: () => T): T {
  return active ? active.getFor(kind, of, compute) : compute();
}

/** Parses already made, by kind and text (see `cachedParse`), and the length of the texts they hold. */
const parsed = new Map<string, Map<string, unknown>>();
let parsedLength = 0;

/**
 * `compute()` for a read that depends on its text alone (parsing a document), remembered across templates while a
 * cache is active: a synth judges each region's copy of the product and a check run many versions of it, which hold
 * the same manifests and policies. Bounded by the length of the texts, so long runs over many templates do not grow
 * it without end.
 */
export function cachedParse<T>(kind: string, text: string, compute: () => T): T {
  if (!active) return compute();
  const entries = entriesUnder(parsed, kind);
  if (entries.has(text)) return entries.get(text) as T;
  const value = compute();
  if (parsedLength + text.length > 5_000_000) {
    for (const kept of parsed.values()) kept.clear();
    parsedLength = 0;
  }
  entries.set(text, value);
  parsedLength += text.length;
  return value;
}
