import { describe, expect, it } from "vitest";
import { routeEvent, type EventRoute } from "../../src/daemon/http/route-event.js";
import { example } from "./webhook-examples.js";

const pushTo = (ref: string): Record<string, unknown> => ({
  ...example("push", (p) => p["ref"] === "refs/heads/master"),
  ref,
});
const prAction = (action: string) => example("pull_request", (p) => p["action"] === action);
const reviewAction = (action: string) => example("pull_request_review", (p) => p["action"] === action);
const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

describe("routeEvent", () => {
  it.each<
    [string, string, Record<string, unknown>, { defaultBranch?: string; repo?: string }, EventRoute["kind"]]
  >([
    ["push to the default branch (from the payload)", "push", pushTo("refs/heads/master"), {}, "reconcile"],
    [
      "push to the configured branch",
      "push",
      pushTo("refs/heads/main"),
      { defaultBranch: "main" },
      "reconcile",
    ],
    ["push to another branch", "push", pushTo("refs/heads/feature"), {}, "ignore"],
    [
      "push to master when the branch is main",
      "push",
      pushTo("refs/heads/master"),
      { defaultBranch: "main" },
      "ignore",
    ],
    ["push of a tag", "push", example("push", (p) => p["ref"] === "refs/tags/simple-tag"), {}, "ignore"],
    ["pull_request.opened", "pull_request", prAction("opened"), {}, "plan-pr"],
    ["pull_request.synchronize", "pull_request", prAction("synchronize"), {}, "plan-pr"],
    ["pull_request.reopened", "pull_request", prAction("reopened"), {}, "plan-pr"],
    ["pull_request.closed", "pull_request", prAction("closed"), {}, "ignore"],
    ["pull_request.labeled", "pull_request", prAction("labeled"), {}, "ignore"],
    [
      "pull_request into another base",
      "pull_request",
      prAction("opened"),
      { defaultBranch: "main" },
      "ignore",
    ],
    ["pull_request_review.submitted", "pull_request_review", reviewAction("submitted"), {}, "plan-pr"],
    ["pull_request_review.dismissed", "pull_request_review", reviewAction("dismissed"), {}, "plan-pr"],
    ["ping", "ping", example("ping"), {}, "ignore"],
    ["issues", "issues", example("issues"), {}, "ignore"],
    ["push of another repository", "push", pushTo("refs/heads/master"), { repo: "acme/grants" }, "ignore"],
    [
      "push of the repository (any case)",
      "push",
      pushTo("refs/heads/master"),
      { repo: "codertocat/hello-world" },
      "reconcile",
    ],
  ])("%s → %s", (_label, name, payload, options, kind) => {
    expect(routeEvent({ name, id: "d1", payload }, options).kind).toBe(kind);
  });

  it("gives the PR number and head sha for PR and review events", () => {
    for (const [name, payload] of [
      ["pull_request", prAction("synchronize")],
      ["pull_request_review", reviewAction("submitted")],
    ] as const) {
      const route = routeEvent({ name, id: "d", payload });
      expect(route).toMatchObject({ kind: "plan-pr", pullNumber: 2, headSha: SHA });
      expect(route.reason).toContain("#2");
    }
  });

  it("names the pushed commit in the reconcile reason", () => {
    const payload = pushTo("refs/heads/master");
    const route = routeEvent({ name: "push", id: "d", payload });
    expect(route.reason).toBe(`push master@${String(payload["after"]).slice(0, 12)}`);
  });

  it.each([
    ["a null payload", null],
    ["a string payload", "x"],
    ["a PR without number", { action: "opened", pull_request: { head: { sha: SHA } } }],
    ["a push without ref", { repository: { default_branch: "main" } }],
  ])("ignores malformed input: %s", (_label, payload) => {
    const name = typeof payload === "object" && payload && "action" in payload ? "pull_request" : "push";
    expect(routeEvent({ name, id: "d", payload }, { defaultBranch: "main" }).kind).toBe("ignore");
  });
});
