/** Compares strings by UTF-16 code units (locale-independent, so sorting is deterministic everywhere). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
