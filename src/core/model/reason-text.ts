/** What plans, comments and the journal say for a grant that gives no reason (`defaults.requireReason: false`). */
export const NO_REASON_GIVEN = "no reason given";

/** The grant's reason for display: the text as written, or "no reason given". */
export function reasonText(reason: string | null): string {
  return reason ?? NO_REASON_GIVEN;
}
