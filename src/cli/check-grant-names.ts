// `grantops request` and `extend`: the names of a grant looked up in Secure Access before review, with the same
// lookups as `plan` (src/reconcile/resolve-versions.ts), and close matches for a name that is not there
// ("no private resource 'Wikki' in Secure Access; did you mean 'Wiki'?"). See the README, "Requesting access".
import type { Identity, SecureAccessApi } from "../core/model/secure-access-types.js";
import type {
  Grant,
  PolicyFile,
  Problem,
  ResolveProblem,
  ResolvedVersion,
  SourcePosition,
} from "../core/model/types.js";
import { toInstant } from "../core/time/instant.js";
import { closeMatches } from "../core/validate/close-matches.js";
import { resolveVersions } from "../reconcile/resolve-versions.js";
import { labelUpn } from "../secure-access/match-identities.js";
import { envName, vendorConfigured } from "../secure-access/read-vendor-config.js";
import { commandLogger, vendorClientFactory } from "./build-reconcile-deps.js";
import type { CliContext } from "./cli-context.js";

/** What the check found: the names' problems (empty: every name exists), or why nothing was checked. */
export type NameCheck =
  | { checked: true; organization: string; names: number; problems: Problem[] }
  | { checked: false; why: string };

/**
 * One kind of name a grant holds: where its items are in the grant and in the resolved version, and the names
 * Secure Access has for it (the candidates of a close match). A new kind of grantee adds an entry.
 */
interface NameKind {
  noun: string;
  refs: (grant: Grant) => ReadonlyArray<string | { id: number }>;
  resolved: (version: ResolvedVersion) => readonly unknown[];
  positions: (grant: Grant) => readonly SourcePosition[];
  /** The names Secure Access has: live ones (close matches) and deleted ones (said as such). */
  known: (api: SecureAccessApi) => Promise<KnownNames>;
}

interface KnownNames {
  live: string[];
  deleted: string[];
}

const NAME_KINDS: readonly NameKind[] = [
  {
    noun: "user",
    refs: (grant) => grant.users,
    resolved: (version) => version.resolvedUsers,
    positions: (grant) => grant.positions.users,
    known: async (api) => {
      const identities = await api.listIdentities();
      return {
        live: identityNames(identities.filter((identity) => !identity.deleted)),
        deleted: identityNames(identities.filter((identity) => identity.deleted)),
      };
    },
  },
  {
    noun: "group",
    refs: (grant) => grant.groups,
    resolved: (version) => version.resolvedGroups,
    positions: (grant) => grant.positions.groups,
    known: async (api) => ({ live: identityNames(await api.listGroups()), deleted: [] }),
  },
  {
    noun: "private resource",
    refs: (grant) => grant.resources,
    resolved: (version) => version.resolvedResources,
    positions: (grant) => grant.positions.resources,
    known: async (api) => ({
      live: (await api.listPrivateResources()).map((resource) => resource.name),
      deleted: [],
    }),
  },
];

/**
 * Looks up every name of `grant` in its organization's Secure Access when credentials for it are configured
 * (the same settings as `plan`); skipped otherwise, and with `skip`. A lookup that fails for another reason than
 * "not found" or "ambiguous" (rejected credentials, 5xx, network) throws: it says nothing about the names.
 */
export async function checkGrantNames(
  ctx: CliContext,
  grant: Grant,
  policy: PolicyFile,
  options: { skip: boolean },
): Promise<NameCheck> {
  if (options.skip) return { checked: false, why: "--no-check-names" };
  const alias = grant.organization;
  const organization = policy.organizations[alias];
  if (organization === undefined) return { checked: false, why: `no organization "${alias}"` };
  if (!vendorConfigured(ctx.env, organization.credentials)) {
    const prefix = `GRANTOPS_${envName(organization.credentials) || "API"}_API_`;
    return {
      checked: false,
      why: `no Secure Access credentials for organization "${alias}" (${prefix}KEY and ${prefix}SECRET)`,
    };
  }
  const api = vendorClientFactory(ctx, commandLogger(ctx))(alias, organization);
  const version = { grant, commit: "", blob: "", landedAt: toInstant(ctx.clock()) };
  const [resolved] = await resolveVersions([version], api);
  const problems = resolved === undefined ? [] : await nameProblems(resolved, api);
  const names = NAME_KINDS.reduce((sum, kind) => sum + kind.refs(grant).length, 0);
  return { checked: true, organization: alias, names, problems };
}

/** One error per name that is not found (with close matches), ambiguous or deleted, at its list item. */
async function nameProblems(version: ResolvedVersion, api: SecureAccessApi): Promise<Problem[]> {
  const { grant } = version;
  const problems: Problem[] = [];
  for (const kind of NAME_KINDS) {
    const refs = kind.refs(grant);
    const failed = kind.resolved(version).flatMap((item, index) => (item === null ? [index] : []));
    let known: Promise<KnownNames> | null = null;
    for (const index of failed) {
      const at = kind.positions(grant)[index];
      const failure = version.problems.find((p) => p.line === at?.line && p.column === at.column);
      if (failure === undefined) continue;
      const ref = refs[index];
      if (typeof ref !== "string" || !failure.code.endsWith("-not-found")) {
        problems.push(asProblem(failure, failure.message));
        continue;
      }
      known ??= kind.known(api);
      problems.push(asProblem(failure, notFoundMessage(kind.noun, ref, await known)));
    }
  }
  return problems;
}

function asProblem(failure: ResolveProblem, message: string): Problem {
  const { code, file, line, column } = failure;
  return { severity: "error", code, file, line, column, message };
}

/** "no private resource 'Wikki' in Secure Access; did you mean 'Wiki'?" (or: it names a deleted one). */
function notFoundMessage(noun: string, name: string, known: KnownNames): string {
  const lower = name.trim().toLowerCase();
  if (known.deleted.some((deleted) => deleted.toLowerCase() === lower))
    return `no ${noun} '${name}' in Secure Access: it is a deleted ${noun}`;
  const quoted = closeMatches(name, known.live).map((match) => `'${match}'`);
  const last = quoted.pop();
  const hint =
    last === undefined ? "" : `; did you mean ${quoted.length > 0 ? `${quoted.join(", ")} or ` : ""}${last}?`;
  return `no ${noun} '${name}' in Secure Access${hint}`;
}

/** What a requester can type for each directory user or group: its label, and the part in its parentheses. */
function identityNames(identities: readonly Identity[]): string[] {
  return identities
    .flatMap((identity) => [identity.label, labelUpn(identity.label)])
    .filter((name): name is string => name !== null && name !== "");
}
