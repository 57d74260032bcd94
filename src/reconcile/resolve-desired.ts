import type {
  Approval,
  DesiredGrant,
  Grant,
  GrantVersion,
  Instant,
  ResourceRef,
  UserRef,
} from "../core/model/types.js";
import type { SecureAccessApi } from "../core/model/secure-access-types.js";

export interface ResolveDesiredInput {
  versions: GrantVersion[];
  /** Approval of each grant version, by grant id. */
  approvals: Map<string, Approval>;
  api: SecureAccessApi;
  /** Only versions of this organization alias are resolved. */
  organization: string;
  window: (grant: Grant, landedAt: Instant) => { startsAt: Instant | null; expiresAt: Instant };
}

export interface ResolveProblem {
  grantId: string;
  file: string;
  /** "user-not-found", "user-ambiguous", "user-deleted", "resource-not-found" or "resource-ambiguous". */
  code: string;
  message: string;
  /** Where in the grant file: the list item that failed, e.g. ["users", 1]. */
  path?: Array<string | number>;
}

export interface ResolveDesiredResult {
  desired: DesiredGrant[];
  /** Grants whose users or resources could not be resolved: the caller holds them. */
  problems: ResolveProblem[];
}

type Resolved = { ok: true; id: number; display: string } | { ok: false; code: string; message: string };

const lookupConcurrency = 8;

/**
 * Turns grant versions into desired grants: user labels and resource names become Secure Access ids. A name
 * that does not exist or is ambiguous is a problem of that grant; any other lookup failure throws.
 */
export async function resolveDesired(input: ResolveDesiredInput): Promise<ResolveDesiredResult> {
  const versions = input.versions.filter((version) => version.grant.organization === input.organization);
  const lookups = await resolveAll(input.api, versions);
  const desired: DesiredGrant[] = [];
  const problems: ResolveProblem[] = [];
  for (const version of versions) {
    const users = version.grant.users.map((ref) => lookups.get(userKey(ref))!);
    const resources = version.grant.resources.map((ref) => lookups.get(resourceKey(ref))!);
    const failed = [...failures("users", users), ...failures("resources", resources)];
    if (failed.length > 0) {
      for (const { item, path } of failed) {
        problems.push({ grantId: version.grant.id, file: version.grant.file, ...item, path });
      }
      continue;
    }
    desired.push(toDesired(version, input, users, resources));
  }
  return { desired, problems };
}

/** The failed lookups of one list of the grant, with their place in the file. */
function failures(
  field: "users" | "resources",
  items: Resolved[],
): Array<{ item: { code: string; message: string }; path: [string, number] }> {
  return items.flatMap((item, index) =>
    item.ok ? [] : [{ item: { code: item.code, message: item.message }, path: [field, index] }],
  );
}

function toDesired(
  version: GrantVersion,
  input: ResolveDesiredInput,
  users: Resolved[],
  resources: Resolved[],
): DesiredGrant {
  const { grant } = version;
  const window = input.window(grant, version.landedAt);
  return {
    grantId: grant.id,
    organization: grant.organization,
    identityIds: sortedIds(users),
    resourceIds: sortedIds(resources),
    startsAt: window.startsAt,
    expiresAt: window.expiresAt,
    commit: version.commit,
    approval: input.approvals.get(grant.id) ?? missingApproval,
    users: displays(users),
    resources: displays(resources),
    reason: grant.reason,
    breakGlass: grant.breakGlass,
  };
}

const missingApproval: Approval = {
  status: "unverified",
  reason: "approval not verified: no verification result for this grant version",
  pr: null,
  requester: null,
};

function sortedIds(items: Resolved[]): number[] {
  const ids = items.flatMap((item) => (item.ok ? [item.id] : []));
  return [...new Set(ids)].sort((a, b) => a - b);
}

function displays(items: Resolved[]): string[] {
  return items.flatMap((item) => (item.ok ? [item.display] : []));
}

function userKey(ref: UserRef): string {
  return typeof ref === "string" ? `user:label:${ref.toLowerCase()}` : `user:id:${ref.id}`;
}

function resourceKey(ref: ResourceRef): string {
  return typeof ref === "string" ? `resource:name:${ref}` : `resource:id:${ref.id}`;
}

/** Every distinct reference of the versions, looked up once, a few at a time. */
async function resolveAll(api: SecureAccessApi, versions: GrantVersion[]): Promise<Map<string, Resolved>> {
  const tasks = new Map<string, () => Promise<Resolved>>();
  for (const { grant } of versions) {
    for (const ref of grant.users) tasks.set(userKey(ref), () => lookupUser(api, ref));
    for (const ref of grant.resources) tasks.set(resourceKey(ref), () => lookupResource(api, ref));
  }
  const entries = [...tasks.entries()];
  const results = new Map<string, Resolved>();
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < entries.length) {
      const [key, task] = entries[next++]!;
      try {
        results.set(key, await task());
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lookupConcurrency, entries.length) }, worker));
  return results;
}

async function lookupUser(api: SecureAccessApi, ref: UserRef): Promise<Resolved> {
  const written = typeof ref === "string" ? ref : `{id: ${ref.id}}`;
  return guard("user", written, async () => {
    const identity = typeof ref === "string" ? await api.findIdentity(ref) : await api.getIdentity(ref.id);
    if (identity.deleted) {
      return {
        ok: false,
        code: "user-deleted",
        message: `user ${written} is a deleted identity (${identity.id})`,
      };
    }
    return { ok: true, id: identity.id, display: typeof ref === "string" ? ref : identity.label };
  });
}

async function lookupResource(api: SecureAccessApi, ref: ResourceRef): Promise<Resolved> {
  const written = typeof ref === "string" ? ref : `{id: ${ref.id}}`;
  return guard("resource", written, async () => {
    if (typeof ref === "string")
      return { ok: true, id: (await api.findPrivateResource(ref)).resourceId, display: ref };
    const resource = await api.getPrivateResource(ref.id);
    return { ok: true, id: resource.resourceId, display: resource.name };
  });
}

/** Not-found and ambiguous lookups become a problem; every other failure is rethrown. */
async function guard(
  kind: "user" | "resource",
  written: string,
  lookup: () => Promise<Resolved>,
): Promise<Resolved> {
  try {
    return await lookup();
  } catch (error) {
    const failure = classifyLookupFailure(error);
    if (failure === null) throw error;
    const what = failure === "ambiguous" ? "is ambiguous" : "was not found";
    return {
      ok: false,
      code: `${kind}-${failure}`,
      message: `${kind} ${written} ${what}: ${errorMessage(error)}`,
    };
  }
}

/** What a failed lookup means for the grant that needed it. */
type LookupFailure = "not-found" | "ambiguous" | null;

/**
 * Classifies an error thrown by a Secure Access lookup: a code ending in NOT_FOUND (or an HTTP 404) means the
 * name or id does not exist, a code ending in AMBIGUOUS that it matches several objects. Anything else (network,
 * 5xx after retries, 401) is null: the state cannot be read and the run must abort.
 */
export function classifyLookupFailure(error: unknown): LookupFailure {
  if (typeof error !== "object" || error === null) return null;
  const { code, status } = error as { code?: unknown; status?: unknown };
  const normalized = typeof code === "string" ? code.toUpperCase().replace(/-/g, "_") : "";
  if (normalized.endsWith("AMBIGUOUS")) return "ambiguous";
  if (normalized.endsWith("NOT_FOUND") || status === 404) return "not-found";
  return null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
