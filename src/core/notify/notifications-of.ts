// The notifications of a run (pure): access granted, break-glass used, expired, revoked, not granted, rules that
// need attention, and the expiring-soon reminders due at `now`. Each carries a key naming the event and the grant
// version (the rule name carries the version's hash), so the notifier sends it once.
import { reasonText } from "../model/reason-text.js";
import type { StatusGrantFacts, StatusSource } from "../model/status-report.js";
import type { Plan } from "../model/types.js";
import { markerGrantId } from "../rule/rule-marker.js";
import { suspiciousRulesOf } from "../status/suspicious-rules-of.js";
import { parseInstant } from "../time/instant.js";
import type { NotificationEvent, NotificationKind } from "./notification-event.js";

export interface NotificationOptions {
  /** Remind this long before an expiry. */
  remindBeforeMs: number;
  /** The policy's breakGlass.notify list. */
  breakGlassNotify: readonly string[];
}

/** Every notification of the organizations as a run left them (the notifier drops the ones already sent). */
export function notificationsOf(
  sources: readonly StatusSource[],
  now: Date,
  options: NotificationOptions,
): NotificationEvent[] {
  return sources.flatMap((source) => [
    ...stepEvents(source, options),
    ...remindersOf(source, now, options),
    ...notGrantedEvents(source),
    ...attentionEvents(source.plan),
  ]);
}

/** The earliest instant after `now` at which a reminder falls due (null: none). */
export function nextReminderAt(
  sources: readonly StatusSource[],
  now: Date,
  remindBeforeMs: number,
): number | null {
  const due = sources
    .flatMap((source) => liveRules(source))
    .map((rule) => (parseInstant(rule.expiresAt) ?? 0) - remindBeforeMs)
    .filter((at) => at > now.getTime());
  return due.length === 0 ? null : Math.min(...due);
}

function stepEvents(source: StatusSource, options: NotificationOptions): NotificationEvent[] {
  const created = new Set(source.created);
  const deleted = new Set(source.deleted);
  const events: NotificationEvent[] = [];
  for (const step of source.plan.steps) {
    if (step.kind === "create" && created.has(step.grantId)) {
      const kind: NotificationKind = step.breakGlass ? "break-glass" : "granted";
      events.push({
        ...event(kind, source, step.grantId, step.rule.ruleName),
        users: [...step.users],
        groups: [...step.groups],
        resources: [...step.resources],
        reason: reasonText(step.reason),
        expiresAt: step.expiresAt,
        pr: step.pr,
        detail: step.breakGlass ? "break-glass access without review" : "access granted",
        mentions: step.breakGlass ? [...options.breakGlassNotify] : [],
      });
    }
    if (step.kind === "delete" && deleted.has(step.ruleId)) {
      const kind = step.reason === "expired" ? "expired" : step.reason === "removed" ? "revoked" : null;
      if (kind === null) continue;
      events.push({
        ...event(kind, source, step.grantId, step.ruleName),
        expiresAt: step.expiresAt,
        detail: kind === "expired" ? "access expired, rule deleted" : "grant removed, rule deleted",
      });
    }
  }
  return events;
}

function remindersOf(source: StatusSource, now: Date, options: NotificationOptions): NotificationEvent[] {
  const nowMs = now.getTime();
  return liveRules(source)
    .filter((rule) => {
      const expires = parseInstant(rule.expiresAt) ?? 0;
      return expires > nowMs && expires - options.remindBeforeMs <= nowMs;
    })
    .map((rule) => ({
      ...event("expiring-soon", source, rule.grantId, rule.ruleName),
      expiresAt: rule.expiresAt,
      detail: "access expires soon",
    }));
}

function notGrantedEvents(source: StatusSource): NotificationEvent[] {
  const facts = factsById(source);
  return source.plan.unapproved.map((u) => {
    const fact = facts.get(markerGrantId(u.grantId));
    return {
      ...event("not-granted", source, u.grantId, null),
      key: `not-granted|${source.plan.organization}|${u.grantId}|${fact?.commit ?? "?"}|${u.status}`,
      pr: u.pr,
      detail: `${u.status}: ${u.reason}`,
    };
  });
}

function attentionEvents(plan: Plan): NotificationEvent[] {
  return suspiciousRulesOf(plan)
    .filter((item) => item.kind !== "warning")
    .map((item) => ({
      kind: "attention" as const,
      key: `attention|${plan.organization}|${item.kind}|${item.ruleId ?? item.ruleName ?? item.detail}`,
      organization: plan.organization,
      grantId: item.grantId,
      ruleName: item.ruleName,
      users: [],
      groups: [],
      resources: [],
      reason: "",
      expiresAt: null,
      pr: null,
      detail: `${item.kind}: ${item.detail}`,
      mentions: [],
    }));
}

interface LiveRule {
  grantId: string;
  ruleName: string;
  expiresAt: string;
}

/** Rules that exist after the run: kept, and created in it. */
function liveRules(source: StatusSource): LiveRule[] {
  const created = new Set(source.created);
  return [
    ...source.plan.kept,
    ...source.plan.steps.flatMap((s) =>
      s.kind === "create" && created.has(s.grantId)
        ? [{ grantId: s.grantId, ruleName: s.rule.ruleName, expiresAt: s.expiresAt }]
        : [],
    ),
  ];
}

/** An event's frame, with the grant's facts (users, resources, reason, PR) when the run knows them. */
function event(
  kind: NotificationKind,
  source: StatusSource,
  grantId: string | null,
  ruleName: string | null,
): NotificationEvent {
  const fact: StatusGrantFacts | undefined =
    grantId === null ? undefined : factsById(source).get(markerGrantId(grantId));
  return {
    kind,
    key: `${kind}|${source.plan.organization}|${ruleName ?? grantId ?? "?"}`,
    organization: source.plan.organization,
    grantId,
    ruleName,
    users: fact?.users ?? [],
    groups: fact?.groups ?? [],
    resources: fact?.resources ?? [],
    reason: fact?.reason ?? "",
    expiresAt: null,
    pr: fact?.pr ?? null,
    detail: "",
    mentions: [],
  };
}

function factsById(source: StatusSource): Map<string, StatusGrantFacts> {
  return new Map(source.grants.map((g) => [markerGrantId(g.grantId), g]));
}
