import {
  isLookupFailure,
  type Identity,
  type LookupFailureKind,
  type PrivateResource,
  type SecureAccessApi,
} from "../core/model/secure-access-types.js";
import type {
  GrantVersion,
  GroupRef,
  ResolvedGroup,
  ResolveProblem,
  ResolveProblemCode,
  ResolvedResource,
  ResolvedUser,
  ResolvedVersion,
  ResourceRef,
  SourcePosition,
  UserRef,
} from "../core/model/types.js";
import { deepFreeze } from "../core/model/value-pool.js";
import { describeRef } from "../core/model/describe-ref.js";

/** How many lookups run at once. */
export const LOOKUP_CONCURRENCY = 8;

/** What one lookup answered: the object, or why the name (or id) names no single object. */
type Answer<T> = { ok: true; value: T } | { ok: false; failure: LookupFailureKind; message: string };

interface Answers {
  users: Map<string, Answer<Identity>>;
  groups: Map<string, Answer<Identity>>;
  resources: Map<string, Answer<PrivateResource>>;
}

type Resolved<T> = { ok: true; value: T } | { ok: false; code: ResolveProblemCode; message: string };

/**
 * The resolve stage: every user label, group name and resource name (or id) of the versions becomes a Secure
 * Access object. Each distinct name or id is looked up once, a few at a time. A name that does not exist, is
 * ambiguous, names a deleted identity, or names an identity of the wrong kind (a group under `users:`, a user
 * under `groups:`) is a problem of the grant, positioned at its list item in the file; any other lookup failure
 * throws (the state cannot be read: the run aborts).
 */
export async function resolveVersions(
  versions: readonly GrantVersion[],
  api: SecureAccessApi,
): Promise<ResolvedVersion[]> {
  const answers = await lookUpAll(api, versions);
  const resolved = sharedResolutions(answers);
  return versions.map((version) => resolveVersion(version, resolved));
}

/** Resolves a reference as written (so equal ones share one frozen object across the run's grants). */
interface Resolutions {
  user: (ref: UserRef) => Resolved<ResolvedUser>;
  group: (ref: GroupRef) => Resolved<ResolvedGroup>;
  resource: (ref: ResourceRef) => Resolved<ResolvedResource>;
}

function sharedResolutions(answers: Answers): Resolutions {
  return {
    user: remembered((ref) => resolveUser(ref, answers.users.get(userKey(ref))!)),
    group: remembered((ref) => resolveGroup(ref, answers.groups.get(userKey(ref))!)),
    resource: remembered((ref) => resolveResource(ref, answers.resources.get(resourceKey(ref))!)),
  };
}

/**
 * `resolve` asked once per name or id as written (no key text built for the thousands of repeats); the answer is
 * frozen, as every grant that writes the same reference shares it.
 */
function remembered<Ref extends string | { id: number }, T>(resolve: (ref: Ref) => T): (ref: Ref) => T {
  const byName = new Map<string, T>();
  const byId = new Map<number, T>();
  return (ref) => {
    const map: Map<string | number, T> = typeof ref === "string" ? byName : byId;
    const key = typeof ref === "string" ? ref : ref.id;
    let value = map.get(key);
    if (value === undefined) {
      value = deepFreeze(resolve(ref));
      map.set(key, value);
    }
    return value;
  };
}

function resolveVersion(version: GrantVersion, resolve: Resolutions): ResolvedVersion {
  const { grant } = version;
  const users = grant.users.map(resolve.user);
  const groups = grant.groups.length === 0 ? NONE : grant.groups.map(resolve.group);
  const resources = grant.resources.map(resolve.resource);
  const ok = allOk(users) && allOk(groups) && allOk(resources);
  // Fields named, not `...version`: a spread clone costs several times more, for each of thousands of versions.
  return {
    grant,
    commit: version.commit,
    landedAt: version.landedAt,
    blob: version.blob,
    resolvedUsers: users.map(valueOf),
    resolvedGroups: groups.length === 0 ? NONE : groups.map(valueOf),
    resolvedResources: resources.map(valueOf),
    problems: ok
      ? NONE
      : [
          ...problemsOf(grant, users, grant.positions.users),
          ...problemsOf(grant, groups, grant.positions.groups),
          ...problemsOf(grant, resources, grant.positions.resources),
        ],
  };
}

function allOk(items: ReadonlyArray<Resolved<unknown>>): boolean {
  return items.every((item) => item.ok);
}

function valueOf<T>(item: Resolved<T>): T | null {
  return item.ok ? item.value : null;
}

/** A problem for each item that did not resolve, at its list item in the file. */
function problemsOf(
  grant: GrantVersion["grant"],
  items: ReadonlyArray<Resolved<unknown>>,
  positions: readonly SourcePosition[],
): ResolveProblem[] {
  return items.flatMap((item, index) =>
    item.ok
      ? []
      : [
          {
            grantId: grant.id,
            file: grant.file,
            code: item.code,
            message: item.message,
            line: positions[index]?.line ?? 1,
            column: positions[index]?.column ?? 1,
          },
        ],
  );
}

/** The empty list of every version without groups, or without problems: one frozen list, not two per version. */
const NONE = Object.freeze([]) as unknown as never[];

function resolveUser(ref: UserRef, answer: Answer<Identity>): Resolved<ResolvedUser> {
  const written = describeRef(ref);
  if (!answer.ok) return failed("user", written, answer);
  const identity = answer.value;
  if (identity.deleted) {
    return {
      ok: false,
      code: "user-deleted",
      message: `user ${written} is a deleted identity (${identity.id})`,
    };
  }
  if (identity.type.type === DIRECTORY_GROUP) {
    return {
      ok: false,
      code: "user-is-group",
      message: `user ${written} is the directory group "${identity.label}" (${identity.id}): list it under groups:`,
    };
  }
  const display = typeof ref === "string" ? ref : identity.label;
  return { ok: true, value: { identityId: identity.id, label: identity.label, display } };
}

const DIRECTORY_GROUP = "directory_group";

function resolveGroup(ref: GroupRef, answer: Answer<Identity>): Resolved<ResolvedGroup> {
  const written = describeRef(ref);
  if (!answer.ok) return failed("group", written, answer);
  const identity = answer.value;
  if (identity.deleted) {
    return {
      ok: false,
      code: "group-deleted",
      message: `group ${written} is a deleted identity (${identity.id})`,
    };
  }
  if (identity.type.type !== DIRECTORY_GROUP) {
    const type = identity.type.type === "" ? "of unknown type" : `of type ${identity.type.type}`;
    return {
      ok: false,
      code: "group-not-a-group",
      message: `group ${written} is the identity "${identity.label}" ${type}, not a directory group`,
    };
  }
  const display = typeof ref === "string" ? ref : identity.label;
  return { ok: true, value: { identityId: identity.id, label: identity.label, display } };
}

function resolveResource(ref: ResourceRef, answer: Answer<PrivateResource>): Resolved<ResolvedResource> {
  if (!answer.ok) return failed("resource", describeRef(ref), answer);
  return { ok: true, value: { resourceId: answer.value.resourceId, name: answer.value.name } };
}

type Kind = "user" | "group" | "resource";

const problemCodes: Record<Kind, Record<LookupFailureKind, ResolveProblemCode>> = {
  user: { "not-found": "user-not-found", ambiguous: "user-ambiguous" },
  group: { "not-found": "group-not-found", ambiguous: "group-ambiguous" },
  resource: { "not-found": "resource-not-found", ambiguous: "resource-ambiguous" },
};

function failed(
  kind: Kind,
  written: string,
  answer: { failure: LookupFailureKind; message: string },
): Resolved<never> {
  const what = answer.failure === "ambiguous" ? "is ambiguous" : "was not found";
  return {
    ok: false,
    code: problemCodes[kind][answer.failure],
    message: `${kind} ${written} ${what}: ${answer.message}`,
  };
}

function userKey(ref: UserRef | GroupRef): string {
  return typeof ref === "string" ? `label:${ref.toLowerCase()}` : `id:${ref.id}`;
}

function resourceKey(ref: ResourceRef): string {
  return typeof ref === "string" ? `name:${ref}` : `id:${ref.id}`;
}

/** Every distinct reference of the versions (as first written), looked up once, LOOKUP_CONCURRENCY at a time. */
async function lookUpAll(api: SecureAccessApi, versions: readonly GrantVersion[]): Promise<Answers> {
  const answers: Answers = { users: new Map(), groups: new Map(), resources: new Map() };
  // The first reference written under each key (thousands of grants repeat the same few names).
  const refs = {
    users: new Map<string, UserRef>(),
    groups: new Map<string, GroupRef>(),
    resources: new Map<string, ResourceRef>(),
  };
  for (const { grant } of versions) {
    for (const ref of grant.users) firstUnder(refs.users, userKey(ref), ref);
    for (const ref of grant.groups) firstUnder(refs.groups, userKey(ref), ref);
    for (const ref of grant.resources) firstUnder(refs.resources, resourceKey(ref), ref);
  }
  const tasks: Array<() => Promise<void>> = [];
  const lookUp = <Ref, T>(
    written: Map<string, Ref>,
    into: Map<string, Answer<T>>,
    lookup: (ref: Ref) => Promise<T>,
  ): void => {
    for (const [key, ref] of written)
      tasks.push(async () => void into.set(key, await answer(() => lookup(ref))));
  };
  lookUp(refs.users, answers.users, (ref) =>
    typeof ref === "string" ? api.findIdentity(ref) : api.getIdentity(ref.id),
  );
  lookUp(refs.groups, answers.groups, (ref) =>
    typeof ref === "string" ? api.findGroup(ref) : api.getIdentity(ref.id),
  );
  lookUp(refs.resources, answers.resources, (ref) =>
    typeof ref === "string" ? api.findPrivateResource(ref) : api.getPrivateResource(ref.id),
  );
  const names = (written: Map<string, unknown>): number =>
    [...written.keys()].filter((key) => key.startsWith("label:")).length;
  api.expectLookups?.(names(refs.users), names(refs.groups));
  await runBounded(tasks, LOOKUP_CONCURRENCY);
  return answers;
}

function firstUnder<Ref>(written: Map<string, Ref>, key: string, ref: Ref): void {
  if (!written.has(key)) written.set(key, ref);
}

/** The lookup's object, or its LookupFailure; any other error is rethrown. */
async function answer<T>(lookup: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await lookup() };
  } catch (error) {
    if (!isLookupFailure(error)) throw error;
    return { ok: false, failure: error.lookupFailure, message: error.message };
  }
}

/** Runs the tasks, at most `limit` at once; the first failure stops the workers taking new tasks and rejects. */
async function runBounded(tasks: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
