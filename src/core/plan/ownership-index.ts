// The ownership facts of each rule of a plan's input: grantops' record, the verification cache, and what git
// shows (the grants desired now and the history the shell read). Pure.
import { markerGrantId } from "../rule/rule-marker.js";
import type { OwnershipFacts } from "../rule/classify-rule.js";
import type { DesiredSelection } from "./select-desired.js";
import type { ActualRule, GrantHistory, PlanInput } from "../model/types.js";

export interface OwnershipIndex {
  factsFor(rule: ActualRule): OwnershipFacts;
  /** What git history shows for a grant (marker key); undefined when the shell did not read it. */
  history(grant: string): GrantHistory | undefined;
}

export function ownershipIndex(input: PlanInput, selection: DesiredSelection): OwnershipIndex {
  const evidence = input.evidence ?? { verified: [], created: [], history: [] };
  const verified = new Set(evidence.verified);
  const created = new Set(evidence.created);
  const history = new Map(evidence.history.map((h) => [h.grant, h]));
  const current = new Set([
    ...selection.live.keys(),
    ...selection.unapproved.keys(),
    ...selection.pending.map((p) => markerGrantId(p.grantId)),
    ...input.held.map((h) => markerGrantId(h.grantId)),
  ]);
  const knownGrant = (grant: string): boolean => current.has(grant) || history.get(grant)?.known === true;
  const knownVersion = (grant: string, sha: string): boolean =>
    selection.live.get(grant)?.sha === sha ||
    selection.unapproved.get(grant)?.sha === sha ||
    (history.get(grant)?.versions.some((v) => v.sha === sha) ?? false);
  return {
    factsFor: (rule) => ({
      recorded: created.has(rule.ruleId),
      cacheVerified: verified.has(rule.ruleId),
      knownGrant,
      knownVersion,
    }),
    history: (grant) => history.get(grant),
  };
}
