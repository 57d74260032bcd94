// Grant → the Access Policy rule that implements it (docs/plan-and-safety.md, "Rules grantops creates").
import { InvalidInputError } from "../model/grantops-error.js";
import { normalizeInstant } from "../time/instant.js";
import { IDENTITY_ATTRIBUTE, RESOURCE_ATTRIBUTE, ruleSha, sortedUniqueIdsOf } from "./rule-hash.js";
import { formatMarker, markerGrantId } from "./rule-marker.js";
import { ruleName } from "./rule-name.js";
import type { RuleInput } from "../model/secure-access-types.js";
import type { DesiredGrant, PlanOptions } from "../model/types.js";

/** The settings of every rule grantops creates: one frozen list shared by all of a run's desired rules. */
const DESIRED_SETTINGS: Readonly<RuleInput["ruleSettings"]> = Object.freeze([
  Object.freeze({ settingName: "umbrella.default.traffic", settingValue: "PRIVATE_NETWORK" }),
  Object.freeze({ settingName: "umbrella.logLevel", settingValue: "LOG_ALL" }),
]);

export interface DesiredRule {
  rule: RuleInput;
  /** 12 hex digits: the hash in the marker; its first 6 end the rule name. */
  sha: string;
}

/**
 * The rule a live grant version needs: allow, enabled, no priority, identities INTERSECT and resources IN
 * (ids sorted and unique), private-network traffic logged in full; its name and marker derive from its hash.
 * The identity condition holds the users' and the groups' identity ids together, as one sorted list: a grant
 * without groups gives exactly the rule (and hash) it gave before groups existed.
 * Throws InvalidInputError ("grant-expiry") when expiresAt is not a timestamp.
 */
export function desiredRule(grant: DesiredGrant, options: PlanOptions): DesiredRule {
  const exp = normalizeInstant(grant.expiresAt);
  if (exp === null) {
    throw new InvalidInputError("grant-expiry", `grant ${grant.grantId}: expiresAt is not a timestamp`);
  }
  const body: RuleInput = {
    ruleName: "",
    ruleAction: "allow",
    ruleIsEnabled: true,
    ruleConditions: [
      {
        attributeName: IDENTITY_ATTRIBUTE,
        attributeOperator: "INTERSECT",
        attributeValue:
          grant.groupIds.length === 0
            ? sortedUniqueIdsOf(grant.identityIds)
            : sortedUniqueIdsOf([...grant.identityIds, ...grant.groupIds]),
      },
      {
        attributeName: RESOURCE_ATTRIBUTE,
        attributeOperator: "IN",
        attributeValue: sortedUniqueIdsOf(grant.resourceIds),
      },
    ],
    ruleSettings: DESIRED_SETTINGS as RuleInput["ruleSettings"],
  };
  const grantKey = markerGrantId(grant.grantId);
  const sha = ruleSha(body, grantKey, exp);
  const rule: RuleInput = {
    ruleName: ruleName(options.rulePrefix, grantKey, sha),
    ruleDescription: formatMarker({ exp, sha, grant: grant.grantId, pr: grant.approval.pr }),
    ruleAction: body.ruleAction,
    ruleIsEnabled: true,
    ruleConditions: body.ruleConditions,
    ruleSettings: body.ruleSettings,
  };
  return { rule, sha };
}
