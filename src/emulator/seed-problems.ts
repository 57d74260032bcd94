import type { EmulatorSeed } from "./emulator-seed.js";

/** Cross-item checks the JSON Schema cannot express: unique ids, names and keys. Returns every problem. */
export function seedProblems(seed: EmulatorSeed): string[] {
  return [
    ...duplicates(
      seed.apiKeys.map((k) => k.key),
      "/apiKeys",
      "key",
    ),
    ...duplicates(
      seed.identities.map((i) => i.id),
      "/identities",
      "id",
    ),
    ...duplicates(
      seed.privateResources.map((r) => r.resourceId),
      "/privateResources",
      "resourceId",
    ),
    ...duplicates(
      seed.privateResources.map((r) => r.name.toLowerCase()),
      "/privateResources",
      "name",
    ),
    ...duplicates(
      seed.rules.map((r) => r.ruleId),
      "/rules",
      "ruleId",
    ),
    ...duplicates(
      seed.rules.map((r) => r.ruleName),
      "/rules",
      "ruleName",
    ),
    ...nextRuleIdProblems(seed),
  ];
}

function duplicates(values: Array<string | number>, base: string, field: string): string[] {
  const firstIndex = new Map<string | number, number>();
  const problems: string[] = [];
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, index);
    else
      problems.push(
        `${base}/${index}/${field} duplicates ${base}/${first}/${field} (${JSON.stringify(value)})`,
      );
  });
  return problems;
}

function nextRuleIdProblems(seed: EmulatorSeed): string[] {
  if (seed.nextRuleId === undefined) return [];
  const taken = seed.rules.filter((rule) => rule.ruleId >= (seed.nextRuleId ?? 0));
  return taken.length === 0
    ? []
    : [`/nextRuleId must be greater than every ruleId (${taken[0]?.ruleId} is taken)`];
}
