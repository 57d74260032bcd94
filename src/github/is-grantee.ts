import type { Grant, PolicyFile } from "../core/model/types.js";

/**
 * Whether a GitHub login is one of the grant's users, through the policy's `people` map (login → identity label,
 * logins compared case-insensitively). A label matches case-insensitively as a whole or as the UPN in
 * parentheses ("Bob Builder (bob@example.com)"). Users given as {id} cannot be matched.
 */
export function isGrantee(
  login: string,
  grant: Pick<Grant, "users">,
  policy: Pick<PolicyFile, "people">,
): boolean {
  const wanted = login.toLowerCase();
  const identities = Object.entries(policy.people ?? {})
    .filter(([person]) => person.toLowerCase() === wanted)
    .map(([, label]) => label.trim().toLowerCase());
  if (identities.length === 0) return false;
  return grant.users.some(
    (user) => typeof user === "string" && labelForms(user).some((form) => identities.includes(form)),
  );
}

function labelForms(label: string): string[] {
  const lower = label.trim().toLowerCase();
  const upn = /\(([^()]+)\)\s*$/.exec(lower)?.[1]?.trim();
  return upn === undefined ? [lower] : [lower, upn];
}
