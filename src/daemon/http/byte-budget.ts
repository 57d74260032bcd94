/**
 * Bytes buffered across all request bodies at once: each request reserves what it declares (Content-Length) or, for a
 * streamed body, what arrives; a request that would pass the cap is refused (503) instead of being buffered, so
 * unauthenticated load cannot grow memory with the number of connections.
 */
export interface ByteBudget {
  /** Bytes reserved now. */
  used(): number;
  /** A reservation for one request, empty at first; release it once the body is no longer needed. */
  open(): Reservation;
}

export interface Reservation {
  /** Grows the reservation by `bytes`; false (and no change) when that would pass the cap. */
  grow(bytes: number): boolean;
  /** Returns every reserved byte; later calls do nothing. */
  release(): void;
}

export function createByteBudget(capBytes: number): ByteBudget {
  let used = 0;
  return {
    used: () => used,
    open() {
      let mine = 0;
      let released = false;
      return {
        grow(bytes) {
          if (released || used + bytes > capBytes) return false;
          used += bytes;
          mine += bytes;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          used -= mine;
          mine = 0;
        },
      };
    },
  };
}
