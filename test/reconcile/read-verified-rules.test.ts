import { describe, expect, it } from "vitest";
import { readVerifiedRules } from "../../src/reconcile/read-verified-rules.js";
import { createVerificationCache } from "../../src/reconcile/verification-cache.js";
import type { Rule } from "../../src/core/model/secure-access-types.js";
import { createFakeSecureAccess } from "../helpers/fake-secure-access.js";
import { grant, managedRule } from "../helpers/plan-fixtures.js";

describe("readVerifiedRules", () => {
  it("a rule deleted between the listing and its GET (another writer) is gone, not a reason to abort", async () => {
    const kept = managedRule(grant({ grantId: "team/kept" }), 7) as Rule;
    const racing = managedRule(grant({ grantId: "team/racing" }), 8) as Rule;
    const api = createFakeSecureAccess({ rules: [kept, racing] });
    const listRules = api.listRules.bind(api);
    // Another writer deletes rule 8 right after this writer listed it.
    api.listRules = async () => {
      const listed = await listRules();
      api.rules.delete(8);
      return listed;
    };
    const read = await readVerifiedRules(
      api,
      kept.organizationId,
      { rulePrefix: "grantops-" },
      { cache: createVerificationCache(null), clock: () => new Date("2026-11-26T12:00:00Z"), budget: 10 },
    );
    expect(read.rules.map((rule) => rule.ruleId)).toEqual([7]);
    expect(read.rules[0]?.ruleConditions).toBeDefined();
  });

  it("any other failure of the GET still aborts (an unreadable state is never treated as empty)", async () => {
    const rule = managedRule(grant(), 7) as Rule;
    const api = createFakeSecureAccess({ rules: [rule] });
    api.getRule = () => Promise.reject(Object.assign(new Error("boom"), { status: 503 }));
    await expect(
      readVerifiedRules(
        api,
        rule.organizationId,
        { rulePrefix: "grantops-" },
        { cache: createVerificationCache(null), clock: () => new Date("2026-11-26T12:00:00Z"), budget: 10 },
      ),
    ).rejects.toThrow("boom");
  });
});
