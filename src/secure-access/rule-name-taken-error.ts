import type { Rule } from "../core/model/secure-access-types.js";
import { VendorApiError } from "./vendor-api-error.js";

/** The code of a create refused because another rule, with other content, already has the name. */
export const RULE_NAME_TAKEN = "RULE_NAME_TAKEN";

/**
 * A create refused (400) because the name belongs to an existing rule whose content is not the one asked for
 * (the content check is `sameRuleContent`). Carries that rule, as the vendor returned it.
 */
export class RuleNameTakenError extends VendorApiError {
  readonly existing: Rule;

  constructor(refused: VendorApiError, existing: Rule) {
    super(
      RULE_NAME_TAKEN,
      `the rule name "${existing.ruleName}" is taken by rule ${existing.ruleId}, whose content differs from the rule to create`,
      { ...refused, cause: refused },
    );
    this.name = "RuleNameTakenError";
    this.existing = existing;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), existingRuleId: this.existing.ruleId };
  }
}
