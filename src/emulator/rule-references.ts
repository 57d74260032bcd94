import type { RuleCondition } from "../core/model/secure-access-types.js";
import { EmulatorApiError } from "./emulator-api-error.js";
import type { EmulatorState } from "./emulator-state.js";

const identityAttribute = "umbrella.source.identity_ids";
const resourceAttribute = "umbrella.destination.private_resource_ids";

/**
 * Rejects conditions that reference identity or private resource ids the organization does not have (deleted
 * identities count as unknown), with the vendor's "invalid data passed. the ID's provided for …" 400.
 */
export function checkRuleReferences(conditions: RuleCondition[], state: EmulatorState): void {
  const identities = new Set(
    state.identities.filter((identity) => !identity.deleted).map((identity) => identity.id),
  );
  const resources = new Set(state.privateResources.map((resource) => resource.resourceId));
  const problems = [
    ...unknownIds(conditions, identityAttribute, identities),
    ...unknownIds(conditions, resourceAttribute, resources),
  ];
  if (problems.length > 0) throw new EmulatorApiError(400, problems.join("; "));
}

function unknownIds(conditions: RuleCondition[], attribute: string, known: Set<number>): string[] {
  const ids = conditions
    .filter((condition) => condition.attributeName === attribute)
    .flatMap((condition) => (Array.isArray(condition.attributeValue) ? condition.attributeValue : [NaN]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return [];
  return [`invalid data passed. the ID's provided for ${attribute} are not valid: ${unknown.join(", ")}`];
}
