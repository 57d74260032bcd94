import { describe, expect, it } from "vitest";
import {
  buildIntervals,
  NOTE_ADOPTED,
  NOTE_DUPLICATE_CREATE,
  NOTE_NO_CREATE,
  NOTE_TAMPERED,
} from "../../../src/core/audit/audit-intervals.js";
import { mergeLiveRules, NOTE_GONE, NOTE_NOT_IN_JOURNAL } from "../../../src/core/audit/audit-live.js";
import { filterIntervals, overlaps } from "../../../src/core/audit/audit-filter.js";
import { enrichIntervals, versionKey } from "../../../src/core/audit/audit-enrich.js";
import { parseAuditTime } from "../../../src/core/audit/audit-time.js";
import type {
  AccessInterval,
  AuditJournalEntry,
  AuditQuery,
  LiveRule,
} from "../../../src/core/audit/audit-types.js";
import type { DeleteReason } from "../../../src/core/model/types.js";

const T = (hour: number, minute = 0): string =>
  `2026-03-02T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`;
const ms = (iso: string): number => Date.parse(iso);

function create(ruleId: number, time: string, over: Partial<AuditJournalEntry> = {}): AuditJournalEntry {
  return {
    time,
    organization: "acme",
    grantId: "payments/alice-jira",
    version: "a".repeat(40),
    ruleId,
    ruleName: `grantops-rule-${ruleId}`,
    action: "create",
    reason: null,
    outcome: "ok",
    expiresAt: T(13),
    users: ["alice@example.com"],
    resources: ["Jira"],
    pr: 12,
    approval: "review",
    approvers: ["bob-gh"],
    breakGlass: false,
    ...over,
  };
}

function del(
  ruleId: number,
  time: string,
  reason: DeleteReason,
  over: Partial<AuditJournalEntry> = {},
): AuditJournalEntry {
  return {
    time,
    organization: "acme",
    grantId: "payments/alice-jira",
    version: null,
    ruleId,
    ruleName: `grantops-rule-${ruleId}`,
    action: "delete",
    reason,
    outcome: "ok",
    expiresAt: T(13),
    ...over,
  };
}

/** Compact view: "rule from→until endedBy". */
const brief = (intervals: AccessInterval[]): string[] =>
  intervals.map(
    (i) => `${i.ruleId} ${i.from ?? "?"}→${i.until ?? "open"}${i.endedBy === null ? "" : ` ${i.endedBy}`}`,
  );

describe("buildIntervals", () => {
  it.each<[string, AuditJournalEntry[], string[]]>([
    ["empty journal", [], []],
    [
      "a create and its delete pair up",
      [create(1, T(9)), del(1, T(13), "expired")],
      [`1 ${T(9)}→${T(13)} expired`],
    ],
    ["a create without delete is open", [create(1, T(9))], [`1 ${T(9)}→open`]],
    [
      "a delete without create starts before the journal",
      [del(7, T(10), "removed")],
      [`7 ?→${T(10)} removed`],
    ],
    [
      "failed and skipped steps are ignored",
      [
        create(1, T(9), { outcome: "failed", ruleId: null }),
        create(2, T(9, 5)),
        del(2, T(10), "removed", { outcome: "skipped" }),
        del(2, T(11), "removed", { outcome: "failed" }),
      ],
      [`2 ${T(9, 5)}→open`],
    ],
    [
      "a replaced chain: new rule created before the old one is deleted",
      [
        create(1, T(9)),
        create(2, T(11), { version: "b".repeat(40) }),
        del(1, T(11, 1), "replaced"),
        del(2, T(15), "expired"),
      ],
      [`1 ${T(9)}→${T(11, 1)} replaced`, `2 ${T(11)}→${T(15)} expired`],
    ],
    [
      "journal lines out of time order are put in order",
      [del(1, T(13), "expired"), create(1, T(9))],
      [`1 ${T(9)}→${T(13)} expired`],
    ],
    [
      "a tampered rule ends tampered",
      [create(1, T(9)), del(1, T(10), "tampered")],
      [`1 ${T(9)}→${T(10)} tampered`],
    ],
    [
      "the same rule id in two organizations does not pair",
      [create(1, T(9)), del(1, T(10), "removed", { organization: "other" })],
      [`1 ?→${T(10)} removed`, `1 ${T(9)}→open`],
    ],
    [
      "a delete pairs by name when the ids differ",
      [create(1, T(9)), del(99, T(10), "removed", { ruleName: "grantops-rule-1" })],
      [`1 ${T(9)}→${T(10)} removed`],
    ],
  ])("%s", (_name, entries, expected) => {
    expect(brief(buildIntervals(entries))).toEqual(expected);
  });

  it("carries who, what, how approved and the version from the create", () => {
    const [interval] = buildIntervals([
      create(1, T(9), { breakGlass: true, approval: "break-glass", approvers: [] }),
    ]);
    expect(interval).toEqual({
      organization: "acme",
      grantId: "payments/alice-jira",
      ruleId: 1,
      ruleName: "grantops-rule-1",
      users: ["alice@example.com"],
      groups: [],
      resources: ["Jira"],
      from: T(9),
      until: null,
      endedBy: null,
      expiresAt: T(13),
      version: "a".repeat(40),
      pr: 12,
      approval: "break-glass",
      approvers: [],
      requester: null,
      mergedBy: null,
      reason: null,
      ticket: null,
      breakGlass: true,
      live: null,
      notes: [],
    });
  });

  it("notes orphans, tampering and duplicate creates", () => {
    const intervals = buildIntervals([
      del(7, T(8), "expired"),
      create(1, T(9)),
      create(1, T(9, 1)),
      del(1, T(10), "tampered"),
    ]);
    expect(intervals.map((i) => i.notes)).toEqual([[NOTE_NO_CREATE], [NOTE_DUPLICATE_CREATE, NOTE_TAMPERED]]);
    expect(intervals[1]!.from).toBe(T(9));
  });

  it("an adopted create (another writer made the rule) adds no interval when the create is there", () => {
    const intervals = buildIntervals([
      create(7, T(9)),
      create(7, T(9, 1), { outcome: "adopted" }),
      del(7, T(12), "expired"),
    ]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toMatchObject({ from: T(9), until: T(12), notes: [] });
  });

  it("the creator's own create recorded after another writer's adoption is the create (racing writers)", () => {
    const intervals = buildIntervals([
      create(9, T(9, 1), { outcome: "adopted" }),
      create(9, T(9, 2)),
      del(9, T(12), "expired"),
    ]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toMatchObject({ from: T(9, 2), until: T(12), notes: [] });
  });

  it("an adopted create opens the interval, with a note, when the journal lacks the create", () => {
    const intervals = buildIntervals([create(8, T(9, 1), { outcome: "adopted" }), del(8, T(12), "removed")]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toMatchObject({ from: T(9, 1), until: T(12), notes: [NOTE_ADOPTED] });
  });

  it("a second delete of a closed rule (another writer found it gone) adds no interval", () => {
    const intervals = buildIntervals([
      create(6, T(9)),
      del(6, T(11), "expired"),
      del(6, T(11, 1), "expired"),
    ]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toMatchObject({ from: T(9), until: T(11), notes: [] });
  });

  it("entries of other actions (e.g. a notification) neither open nor close an interval", () => {
    const notice = { ...del(9, T(10), "expired"), action: "notify" } as unknown as AuditJournalEntry;
    const intervals = buildIntervals([create(9, T(9)), notice]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toMatchObject({ from: T(9), until: null });
  });

  it("sorts by start (unknown first), then grant id", () => {
    const intervals = buildIntervals([
      create(3, T(9), { grantId: "z/last" }),
      create(2, T(9), { grantId: "a/first" }),
      create(1, T(8), { grantId: "m/early" }),
      del(9, T(12), "removed", { grantId: "q/orphan" }),
    ]);
    expect(intervals.map((i) => i.grantId)).toEqual(["q/orphan", "m/early", "a/first", "z/last"]);
  });
});

describe("filterIntervals and overlaps", () => {
  const closed = { from: T(9), until: T(13) };
  const q = (since: string | null, until: string | null): AuditQuery => ({
    since: since === null ? null : ms(since),
    until: until === null ? null : ms(until),
  });
  it.each<[string, { from: string | null; until: string | null }, AuditQuery, boolean]>([
    ["no window", closed, q(null, null), true],
    ["window inside", closed, q(T(10), T(11)), true],
    ["window before", closed, q(T(7), T(8)), false],
    ["window after", closed, q(T(14), T(15)), false],
    ["window ends exactly at the start (inclusive)", closed, q(T(7), T(9)), true],
    ["window starts exactly at the end (access ended)", closed, q(T(13), T(15)), false],
    ["point in time inside", closed, q(T(12), T(12)), true],
    ["point in time at the start", closed, q(T(9), T(9)), true],
    ["point in time at the end", closed, q(T(13), T(13)), false],
    ["open interval, later window", { from: T(9), until: null }, q(T(20), T(21)), true],
    ["open interval, earlier window", { from: T(9), until: null }, q(T(7), T(8)), false],
    ["unknown start, earlier window", { from: null, until: T(13) }, q(T(1), T(2)), true],
    ["unknown start, later window", { from: null, until: T(13) }, q(T(14), null), false],
  ])("%s", (_name, interval, query, expected) => {
    expect(overlaps(interval, query)).toBe(expected);
  });

  const intervals = buildIntervals([
    create(1, T(9), { users: ["Alice Example (alice@example.com)"], resources: ["Jira"] }),
    create(2, T(9), {
      grantId: "data/carol",
      users: ["carol@example.com", "dave@example.com"],
      resources: ["Wiki", "Grafana"],
    }),
  ]);
  it.each<[string, Partial<AuditQuery>, number[]]>([
    ["user by label, any case", { user: "CAROL@example.com" }, [2]],
    ["user by the UPN in parentheses", { user: "alice@example.com" }, [1]],
    ["user by full label", { user: "alice example (alice@example.com)" }, [1]],
    ["unknown user", { user: "mallory@example.com" }, []],
    ["resource", { resource: "grafana" }, [2]],
    ["grant id", { grant: "payments/alice-jira" }, [1]],
    ["user and resource combined", { user: "dave@example.com", resource: "Jira" }, []],
  ])("%s", (_name, query, expected) => {
    const selected = filterIntervals(intervals, { since: null, until: null, ...query });
    expect(selected.map((i) => i.ruleId)).toEqual(expected);
  });

  const withGroups = [
    ...intervals,
    ...buildIntervals([
      create(3, T(10), {
        grantId: "ops/oncall",
        users: ["carol@example.com"],
        groups: ["oncall-sre", "Database Admins (example.net\\dba)"],
        resources: ["Grafana"],
      }),
      create(4, T(11), { grantId: "ops/dba", users: [], groups: ["dba"], resources: ["Wiki"] }),
    ]),
  ];
  const select = (query: Partial<AuditQuery>): Array<[number | null, string[]]> =>
    filterIntervals(withGroups, { since: null, until: null, ...query }).map((i) => [i.ruleId, i.notes]);

  it.each<[string, Partial<AuditQuery>, number[]]>([
    ["group by name, any case", { group: "OnCall-SRE" }, [3]],
    ["group by the name in parentheses", { group: "example.net\\dba" }, [3]],
    ["group by full label, file wrote the short name", { group: "DBA Team (dba)" }, [4]],
    ["a user's name is not a group", { group: "carol@example.com" }, []],
    ["group and resource combined", { group: "dba", resource: "Grafana" }, []],
  ])("%s", (_name, query, expected) => {
    expect(select(query).map(([ruleId]) => ruleId)).toEqual(expected);
  });

  it("selects for a user the grants naming them, and every group grant with a note to check membership", () => {
    expect(select({ user: "carol@example.com" })).toEqual([
      [2, []],
      [3, []],
      [
        4,
        [
          "granted to group dba, not to carol@example.com by name: grantops cannot see directory membership; " +
            "check whether carol@example.com was a member",
        ],
      ],
    ]);
    expect(select({ user: "mallory@example.com" })).toEqual([
      [
        3,
        [
          "granted to groups oncall-sre, Database Admins (example.net\\dba), not to mallory@example.com by name: " +
            "grantops cannot see directory membership; check whether mallory@example.com was a member",
        ],
      ],
      [4, [expect.stringContaining("granted to group dba, not to mallory@example.com by name")]],
    ]);
    expect(select({ user: "mallory@example.com", group: "oncall-sre" }).map(([ruleId]) => ruleId)).toEqual([
      3,
    ]);
  });
});

describe("mergeLiveRules", () => {
  const live = (ruleId: number, over: Partial<LiveRule> = {}): LiveRule => ({
    organization: "acme",
    ruleId,
    ruleName: `grantops-rule-${ruleId}`,
    createdAt: T(8),
    grantId: "ops/bob-db",
    expiresAt: T(16),
    pr: 4,
    tampered: false,
    users: ["bob@example.com"],
    groups: [],
    resources: ["prod-db"],
    ...over,
  });
  const journal = buildIntervals([
    create(1, T(9)),
    create(2, T(9)),
    del(3, T(7), "expired", { grantId: "x/y" }),
  ]);

  it("confirms live rules, flags open ones that are gone, adds rules the journal misses", () => {
    const merged = mergeLiveRules(journal, [live(1), live(5)], ["acme"]);
    expect(merged.map((i) => [i.ruleId, i.live, i.until, i.notes])).toEqual([
      [3, false, T(7), ["created before the journal begins: no create recorded"]],
      [5, true, null, [NOTE_NOT_IN_JOURNAL]],
      [1, true, null, []],
      [2, false, null, [NOTE_GONE]],
    ]);
    expect(merged[1]).toMatchObject({
      grantId: "ops/bob-db",
      from: T(8),
      expiresAt: T(16),
      pr: 4,
      users: ["bob@example.com"],
      resources: ["prod-db"],
    });
  });

  it("leaves organizations that were not checked alone", () => {
    const merged = mergeLiveRules(journal, [live(5, { organization: "other" })], ["other"]);
    expect(merged.filter((i) => i.organization === "acme").map((i) => i.live)).toEqual([null, null, null]);
    expect(merged.filter((i) => i.organization === "other")).toHaveLength(1);
  });

  it("notes a tampered live rule", () => {
    const merged = mergeLiveRules(journal, [live(1, { tampered: true })], ["acme"]);
    expect(merged.find((i) => i.ruleId === 1)!.notes).toEqual([
      "edited outside grantops: its conditions no longer match its marker",
    ]);
  });
});

describe("enrichIntervals", () => {
  it("adds git facts by version and grant, keeping the journal's fields", () => {
    const [interval] = buildIntervals([create(1, T(9))]);
    const facts = new Map([
      [
        versionKey("a".repeat(40), "payments/alice-jira"),
        { reason: "CHG-1: why", ticket: "CHG-1", requester: "Alice <a@x>", mergedBy: "Bob <b@x>" },
      ],
    ]);
    expect(enrichIntervals([interval!], facts)[0]).toMatchObject({
      reason: "CHG-1: why",
      ticket: "CHG-1",
      requester: "Alice <a@x>",
      mergedBy: "Bob <b@x>",
      approvers: ["bob-gh"],
    });
    expect(enrichIntervals([interval!], new Map())[0]).toEqual(interval);
  });
});

describe("parseAuditTime", () => {
  const now = new Date(T(12));
  it.each<[string, number | null]>([
    ["2026-03-01T00:00:00Z", ms("2026-03-01T00:00:00Z")],
    ["2026-03-01T02:00:00+02:00", ms("2026-03-01T00:00:00Z")],
    ["7d", ms(T(12)) - 7 * 86_400_000],
    ["90m", ms(T(10, 30))],
    ["PT1H", ms(T(11))],
    ["yesterday", null],
    ["0d", null],
    ["2026-13-01T00:00:00Z", null],
  ])("%s", (text, expected) => {
    expect(parseAuditTime(text, now)).toBe(expected);
  });
});
