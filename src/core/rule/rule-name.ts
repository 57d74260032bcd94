// Rule names: prefix + a readable slug of the grant id + "-" + the first 6 hex of the rule's hash.
// Vendor constraint: 2-50 characters of [A-Za-z0-9 _-], unique per organization.
import { InvalidInputError } from "../model/grantops-error.js";

export const DEFAULT_RULE_PREFIX = "grantops-";
export const RULE_PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;
export const MAX_RULE_NAME_LENGTH = 50;
const VENDOR_NAME_PATTERN = /^[A-Za-z0-9 _-]{2,50}$/;
const SHORT_SHA_LENGTH = 6;

export function isValidRulePrefix(prefix: string): boolean {
  return RULE_PREFIX_PATTERN.test(prefix);
}

/** Throws InvalidInputError (code "rule-prefix") when the prefix is not 1-20 chars of [A-Za-z0-9_-]. */
export function assertRulePrefix(prefix: string): void {
  if (!isValidRulePrefix(prefix)) {
    throw new InvalidInputError(
      "rule-prefix",
      `invalid rule prefix ${JSON.stringify(prefix)}: use 1 to 20 characters of A-Z, a-z, 0-9, "_" and "-"`,
    );
  }
}

/** True when the vendor accepts the name (2-50 characters of letters, digits, space, "_" and "-"). */
export function isValidRuleName(name: string): boolean {
  return VENDOR_NAME_PATTERN.test(name);
}

/** Lowercases the id, turns every run of characters outside [a-z0-9] into "-", and trims "-" at both ends. */
export function slugify(grantId: string, maxLength: number): string {
  const slug = grantId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, Math.max(0, maxLength)).replace(/-+$/, "");
}

/**
 * The rule name of a grant: `prefix + slug + "-" + sha[0..6]`, at most 50 characters (the slug is cut to fit).
 * When the slug is empty the name is `prefix + sha[0..6]`. The prefix must be valid (see assertRulePrefix).
 */
export function ruleName(prefix: string, grantId: string, sha: string): string {
  const short = sha.slice(0, SHORT_SHA_LENGTH);
  const slug = slugify(grantId, MAX_RULE_NAME_LENGTH - prefix.length - 1 - short.length);
  // Joined, not concatenated: one flat string, not a tree of its pieces kept per rule (see formatMarker).
  return (slug === "" ? [prefix, short] : [prefix, slug, "-", short]).join("");
}
