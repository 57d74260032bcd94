import { parseInstant } from "../time/instant.js";
import type { RuleClass } from "../rule/classify-rule.js";
import type { ActualRule } from "../model/types.js";
import type { DesiredSelection, SelectedGrant } from "./select-desired.js";

export interface Unblocked {
  /** The selection without the live grants whose rule name is taken. */
  selection: DesiredSelection;
  /** The hold reasons given, plus one for each blocked grant (by marker grant key). */
  holds: Map<string, string>;
  warnings: string[];
}

/**
 * A live grant whose desired name is already taken by another unexpired managed rule (a different grant, or a
 * different hash with the same 6-hex prefix), or by a suspicious rule, cannot be created: it leaves the live grants, and its rules are held
 * instead, with a warning. The selection and holds given are not changed (the selection is returned as it is when no
 * name collides).
 */
export function blockNameCollisions(
  rules: ReadonlyArray<{ rule: ActualRule; cls: RuleClass }>,
  selection: DesiredSelection,
  holds: ReadonlyMap<string, string>,
  nowMs: number,
): Unblocked {
  const byName = new Map<string, SelectedGrant>();
  for (const grant of selection.live.values()) byName.set(grant.rule.ruleName, grant);
  const collisions: Collision[] = [];
  for (const { rule, cls } of rules) {
    const grant = byName.get(rule.ruleName);
    const by = grant === undefined ? undefined : takenBy(grant, cls, nowMs);
    if (grant !== undefined && by !== undefined) collisions.push({ grant, rule, by });
  }
  if (collisions.length === 0) return { selection, holds: new Map(holds), warnings: [] };
  const blocked = new Set(collisions.map(({ grant }) => grant.key));
  return {
    selection: { ...selection, live: new Map([...selection.live].filter(([key]) => !blocked.has(key))) },
    holds: new Map([
      ...holds,
      ...collisions.map(({ grant, rule }): [string, string] => [grant.key, takenReason(rule)]),
    ]),
    warnings: collisions.map(({ grant, rule, by }) => warning(grant, rule, by)),
  };
}

interface Collision {
  grant: SelectedGrant;
  rule: ActualRule;
  by: string;
}

/** Who holds the live grant's rule name, when this rule (of the same name) keeps it from being created. */
function takenBy(grant: SelectedGrant, cls: RuleClass, nowMs: number): string | undefined {
  // A suspicious rule is never written, so its name stays taken until someone removes it.
  if (cls.kind === "suspicious") return "a suspicious rule grantops cannot prove it owns";
  if (cls.kind !== "managed") return undefined;
  const { marker } = cls;
  const ours = marker.grant === grant.key && marker.sha === grant.sha;
  return ours || (parseInstant(marker.exp) ?? 0) <= nowMs ? undefined : `grant ${marker.grant}`;
}

function takenReason(rule: ActualRule): string {
  return `its rule name ${rule.ruleName} is taken by rule ${rule.ruleId}`;
}

function warning(grant: SelectedGrant, rule: ActualRule, by: string): string {
  return `grant ${grant.grant.grantId}: rule name ${rule.ruleName} is taken by rule ${rule.ruleId} (${by}); not created`;
}
