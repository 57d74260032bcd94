// The verification cache (a state file beside the journal): which rules grantops has seen in full and found
// matching their marker, and which rules it created. A cache only: losing it costs one GET per managed-looking
// rule on the next run, never correctness. Written atomically (temp file + rename).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseInstant } from "../core/time/instant.js";
import type { RuleSummary } from "../core/model/secure-access-types.js";
import { writeFileAtomically } from "./write-file-atomically.js";

/**
 * The vendor's timestamp granularity: its examples carry second and millisecond precision, so two edits within
 * one second may share a `modifiedAt`. A verification counts only once the clock has passed the rule's
 * `modifiedAt` by more than this: no later edit can then carry the same timestamp.
 */
export const TIMESTAMP_GRANULARITY_MS = 1000;

export const STATE_FILE_NAME = "verified-rules.json";

interface Entry {
  /** The listed fields at verification (see fingerprint). */
  fingerprint: string;
  verifiedAt: string;
}

/** One organization's part of the state file. */
export interface OrganizationState {
  /** By rule id. */
  verified: Record<string, Entry>;
  /** Rule ids grantops created (its own record). */
  created: number[];
}

export interface StateFile {
  version: 1;
  /** By Secure Access organization id. */
  organizations: Record<string, OrganizationState>;
}

export interface VerificationCache {
  /** True when the rule was verified with these very listed fields (modifiedAt included). */
  isVerified(summary: RuleSummary): boolean;
  /**
   * Records that the rule's full conditions matched its marker at `at` (the clock when the answer arrived);
   * ignored unless `at` is more than the timestamp granularity after its modifiedAt (re-verified next run).
   */
  markVerified(summary: RuleSummary, at: Date): boolean;
  forget(ruleId: number): void;
  recordCreated(ruleId: number): void;
  created(): number[];
  /** Drops entries of rules that no longer exist (the listing is complete). */
  prune(existing: ReadonlySet<number>): void;
  /** False when the file was missing or unreadable (a cold start). */
  readonly loaded: boolean;
  toJson(): OrganizationState;
}

/** The state file's default path: `verified-rules.json` in the journal's directory. */
export function statePathFor(journalPath: string): string {
  return join(dirname(journalPath), STATE_FILE_NAME);
}

/** The listed fields that any edit changes (modifiedAt included). Not the priority: the vendor renumbers it. */
export function fingerprint(summary: RuleSummary): string {
  return JSON.stringify([
    summary.ruleName,
    summary.ruleDescription ?? null,
    summary.ruleAction,
    summary.ruleIsEnabled,
    summary.modifiedAt ?? null,
  ]);
}

export function createVerificationCache(state: OrganizationState | null): VerificationCache {
  const verified = new Map<number, Entry>();
  // A loop, not Object.entries: the state of 50,000 rules is read on every run.
  const entries = state?.verified ?? {};
  for (const id in entries) if (Object.hasOwn(entries, id)) verified.set(Number(id), entries[id]!);
  const created = new Set(state?.created ?? []);
  return {
    loaded: state !== null,
    isVerified: (summary) => verified.get(summary.ruleId)?.fingerprint === fingerprint(summary),
    markVerified(summary, at) {
      const modified = parseInstant(summary.modifiedAt ?? "");
      if (modified === null || at.getTime() - modified <= TIMESTAMP_GRANULARITY_MS) {
        verified.delete(summary.ruleId);
        return false;
      }
      verified.set(summary.ruleId, { fingerprint: fingerprint(summary), verifiedAt: at.toISOString() });
      return true;
    },
    forget: (ruleId) => verified.delete(ruleId),
    recordCreated: (ruleId) => created.add(ruleId),
    created: () => [...created].sort((a, b) => a - b),
    prune(existing) {
      for (const id of verified.keys()) if (!existing.has(id)) verified.delete(id);
      for (const id of created) if (!existing.has(id)) created.delete(id);
    },
    toJson: () => ({
      verified: Object.fromEntries([...verified.entries()].sort(([a], [b]) => a - b)),
      created: [...created].sort((a, b) => a - b),
    }),
  };
}

/** Reads the state file; null when it is missing or unreadable (the cache starts cold; `onWarning` says why). */
export async function readStateFile(
  path: string,
  onWarning?: (message: string) => void,
): Promise<StateFile | null> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT")
      onWarning?.(`${path}: ${error.message}; starting with an empty verification cache`);
    return null;
  });
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StateFile>;
    if (value.version === 1 && typeof value.organizations === "object" && value.organizations !== null) {
      const organizations: Record<string, OrganizationState> = {};
      for (const [orgId, org] of Object.entries(value.organizations)) {
        organizations[orgId] = {
          verified: typeof org.verified === "object" && org.verified !== null ? org.verified : {},
          created: Array.isArray(org.created) ? org.created.filter(Number.isSafeInteger) : [],
        };
      }
      return { version: 1, organizations };
    }
  } catch {
    // fall through
  }
  onWarning?.(`${path}: not a grantops state file; starting with an empty verification cache`);
  return null;
}

/** Writes the state file atomically: a temp file in the same directory, then rename over the old one. */
export async function writeStateFile(path: string, state: StateFile): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(state)}\n`);
}
