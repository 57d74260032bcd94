/**
 * One copy of each equal value for the records of one run: the same user or resource name, organization alias
 * or layout of source positions in thousands of grant files (or the same timestamp in thousands of rules) is
 * kept once instead of once per record (docs/testing-and-benchmarks.md, the memory bench). Shared objects are
 * frozen, so a record can never change another's through them.
 */
export interface ValuePool {
  /** The pool's copy of `text` (the first one seen, through the pool's `copy`). */
  text: (text: string) => string;
  /** The frozen object kept under `key`, made (and deep-frozen) by `make` the first time. */
  shared: <T extends object>(key: string, make: () => T) => T;
}

/**
 * A pool for one run's records. `copy` makes the kept copy of a text seen first: detachedText for texts cut from
 * a file (else the pool would keep the file), the text itself (default) for texts parsed from JSON.
 */
export function createValuePool(copy: (text: string) => string = (text) => text): ValuePool {
  const texts = new Map<string, string>();
  const objects = new Map<string, object>();
  return {
    text(text) {
      const known = texts.get(text);
      if (known !== undefined) return known;
      const kept = copy(text);
      texts.set(kept, kept);
      return kept;
    },
    shared<T extends object>(key: string, make: () => T): T {
      const known = objects.get(key);
      if (known !== undefined) return known as T;
      const made = deepFreeze(make());
      objects.set(key, made);
      return made;
    },
  };
}

/** `value` and everything it holds, frozen (what the pool's shared objects are). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
