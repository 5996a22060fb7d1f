/**
 * What the readers of `core/` derive from one template (parsed policy documents, manifests, YAML) is computed once
 * and shared by every rule that evaluates that template. Each `TemplateModel` owns one cache; `evaluateResource`
 * makes it the active one while rules run, so the readers need no extra argument. Outside an evaluation nothing is
 * cached. Entries are keyed by content, and callers treat cached values as read-only.
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
    if (entries.has(kind)) return entries.get(kind) as T;
    const value = compute();
    entries.set(kind, value);
    return value;
  }

  get<T>(kind: string, key: string, compute: () => T): T {
    let entries = this.kinds.get(kind);
    if (!entries) {
      entries = new Map();
      this.kinds.set(kind, entries);
    }
    if (entries.has(key)) return entries.get(key) as T;
    const value = compute();
    entries.set(key, value);
    return value;
  }
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
