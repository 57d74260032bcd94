/**
 * The value of a numeric option: decimal digits only, a safe integer, else null. `Number()` would take "" as 0,
 * "0x10" as 16 and "1e3" as 1000; a typo must be an error, never a different limit.
 */
export function decimalInteger(text: string | undefined): number | null {
  if (text === undefined || !/^[0-9]{1,15}$/.test(text)) return null;
  return Number(text);
}
