import { setFlagsFromString } from "node:v8";

/** Old-generation growth after each full collection: 1.5x the live heap (V8 picks up to 4x when GC is cheap). */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Bounds how far V8 lets the heap grow past what is live before collecting again. A plan keeps every grant until
 * its end and makes a lot of short-lived garbage: with V8's default (up to 4x when GC looks cheap) the peak RSS of
 * a 50,000-grant plan is mostly garbage waiting for a collection (docs/testing-and-benchmarks.md, the memory
 * bench). A `--heap-growing-percent` given on the node command line is kept.
 */
export function tuneHeap(execArgv: readonly string[], setFlags = setFlagsFromString): void {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) return;
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
