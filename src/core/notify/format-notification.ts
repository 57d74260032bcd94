// Notification messages: one line of text per event (user-controlled text through the sink's escaper), as a
// Slack-compatible payload (`text` and a mrkdwn section block) or as generic JSON.
import { granteeItems } from "../report/grantee-items.js";
import { formatTimeLeft } from "../time/format-time-left.js";
import { parseInstant } from "../time/instant.js";
import type { NotificationEvent } from "./notification-event.js";
import { escapeSlack } from "./escape-slack.js";

type Escape = (text: string) => string;

/** The message of an event; every string from a file, a rule or a verifier goes through `escape`. */
export function notificationText(event: NotificationEvent, now: Date, escape: Escape): string {
  const who = escape(granteeItems(event.users, event.groups).join(", ") || "?");
  const what = escape(event.resources.join(", ") || "?");
  const grant = `grant ${escape(event.grantId ?? event.ruleName ?? "?")}${event.pr === null ? "" : ` (PR #${event.pr})`}`;
  const until = event.expiresAt === null ? "" : ` until ${event.expiresAt}`;
  const why = event.reason === "" ? "" : ` Reason: ${escape(event.reason)}`;
  switch (event.kind) {
    case "granted":
      return `Access granted: ${who} → ${what}${until}, ${grant}.${why}`;
    case "break-glass":
      return (
        `🚨 BREAK-GLASS access used: ${who} → ${what}${until}, ${grant}, without review.` +
        (event.mentions.length === 0 ? "" : ` Notifying ${escape(event.mentions.join(", "))}.`) +
        why
      );
    case "expiring-soon":
      return (
        `Access expiring in ${timeLeft(event, now)}: ${who} → ${what}${until}, ${grant}. To extend, request again ` +
        `and open a pull request: grantops request ${requestFlags(event, escape)} --duration 1h --reason "…"`
      );
    case "expired":
      return `Access expired: ${who} → ${what}, ${grant}; its rule was deleted.`;
    case "revoked":
      return `Access revoked: ${who} → ${what}, ${grant}; the grant file was removed and its rule deleted.`;
    case "not-granted":
      return `Access not granted: ${grant}: ${escape(event.detail)}.`;
    case "attention":
      return `Rule needs attention in ${escape(event.organization)}: ${escape(event.ruleName ?? "?")}: ${escape(event.detail)}.`;
  }
}

/** A Slack (or Slack-compatible) incoming webhook body: `text` for notifications, the same text as a block. */
export function slackPayload(event: NotificationEvent, now: Date): object {
  const text = notificationText(event, now, escapeSlack);
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The generic JSON webhook body: the event's fields and a plain-text `text` (the receiver escapes it). */
export function webhookPayload(event: NotificationEvent, now: Date): object {
  return {
    version: 1,
    event: event.kind,
    key: event.key,
    at: now.toISOString(),
    organization: event.organization,
    grantId: event.grantId,
    ruleName: event.ruleName,
    users: event.users,
    groups: event.groups,
    resources: event.resources,
    reason: event.reason,
    expiresAt: event.expiresAt,
    pr: event.pr,
    detail: event.detail,
    mentions: event.mentions,
    text: notificationText(event, now, (s) => s),
  };
}

/** The `grantops request` flags naming the event's users, groups and resources. */
function requestFlags(event: NotificationEvent, escape: Escape): string {
  return [
    ...event.users.map((u) => `--user ${escape(u)}`),
    ...event.groups.map((g) => `--group ${escape(g)}`),
    ...event.resources.map((r) => `--resource ${escape(r)}`),
  ].join(" ");
}

function timeLeft(event: NotificationEvent, now: Date): string {
  const expires = event.expiresAt === null ? null : parseInstant(event.expiresAt);
  return expires === null ? "?" : formatTimeLeft((expires - now.getTime()) / 1000);
}
