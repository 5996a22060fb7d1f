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
    let entries = this.byObject.get(of);
    if (!entries) {
      entries = new Map();
      this.byObject.set(of, entries);
    }
    return remember(entries, kind, compute);
  }

  /** An entry of `kind` keyed by content (e.g. a document's text). */
  get<T>(kind: string, key: string, compute: () => T): T {
    let entries = this.kinds.get(kind);
    if (!entries) {
      entries = new Map();
      this.kinds.set(kind, entries);
    }
    return remember(entries, key, compute);
  }
}

/** The entry for `key`, computed and stored on first use. */
function remember<T>(entries: Map<string, unknown>, key: string, compute: () => T): T {
  if (entries.has(key)) return entries.get(key) as T;
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
