import type { Instant } from "../model/types.js";

export type NotificationKind =
  "granted" | "expiring-soon" | "expired" | "revoked" | "break-glass" | "not-granted" | "attention";

/** Something people should hear about, once per `key` (the event and the grant version it is about). */
export interface NotificationEvent {
  kind: NotificationKind;
  key: string;
  organization: string;
  grantId: string | null;
  ruleName: string | null;
  users: string[];
  /** Directory group names (empty when the grant names none). */
  groups: string[];
  resources: string[];
  /** The requester's reason (user-controlled text). */
  reason: string;
  expiresAt: Instant | null;
  pr: number | null;
  /** What happened, in a few words (may carry user-controlled text: a verifier's reason, a rule name). */
  detail: string;
  /** Who must hear about it (break-glass: the policy's breakGlass.notify list). */
  mentions: string[];
}
