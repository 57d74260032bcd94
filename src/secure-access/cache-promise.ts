import { VendorLookupError } from "./vendor-lookup-error.js";

/**
 * Returns the cached promise for `key`, or starts `load`. A failure stays cached only when it is an answer
 * (not found / ambiguous); after a transport error the next caller tries again.
 */
export function cachePromise<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const promise = load();
  cache.set(key, promise);
  promise.catch((error: unknown) => {
    if (!(error instanceof VendorLookupError) && cache.get(key) === promise) cache.delete(key);
  });
  return promise;
}
