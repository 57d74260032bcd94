/** Remembers the most recent webhook delivery ids (a bounded LRU) to drop GitHub's redeliveries. */
export interface DeliveryCache {
  /** Records the id; true when it was already recorded. */
  seen(id: string): boolean;
  readonly size: number;
}

export function createDeliveryCache(capacity = 10_000): DeliveryCache {
  const ids = new Map<string, true>();
  return {
    seen(id) {
      if (ids.has(id)) {
        ids.delete(id); // refresh its position
        ids.set(id, true);
        return true;
      }
      ids.set(id, true);
      if (ids.size > capacity) ids.delete(ids.keys().next().value as string);
      return false;
    },
    get size() {
      return ids.size;
    },
  };
}
