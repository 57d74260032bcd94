// request / revoke / extend --open-pr: a real grants clone whose origin is a real bare repository, GitHub by msw.
import { access, chmod, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { parse } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGit } from "../../src/git/git-env.js";
import { createGitFixture, type GitFixture } from "../helpers/git-fixture.js";
import { runCli } from "../helpers/run-cli.js";
import { API, OWNER, REPO } from "../github/github-fixtures.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const clock = (): Date => new Date("2026-11-25T12:00:00Z");
const reason = "CHG-77: look into the failing import";

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

const fixtures: GitFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.cleanup()));
});

interface Clone {
  dir: string;
  bare: string;
  fixture: GitFixture;
}

/** The clone every test starts from, made once: each test gets a copy (its own clone and bare remote). */
let template: Clone;
beforeAll(async () => {
  const fixture = await createGitFixture();
  await cp(path.join(root, "policy.yaml"), path.join(fixture.dir, "policy.yaml"));
  await cp(path.join(root, "grants"), path.join(fixture.dir, "grants"), { recursive: true });
  await fixture.commit("grants", "2026-11-20T09:00:00Z");
  const bare = await fixture.bareClone();
  const git = local(fixture.dir);
  await git.raw(["remote", "add", "origin", bare]);
  await git.raw(["fetch", "--quiet", "origin"]);
  await git.raw(["config", "user.name", "Erin Requester"]);
  await git.raw(["config", "user.email", "erin@example.com"]);
  template = { dir: fixture.dir, bare, fixture };
});
afterAll(async () => template?.fixture.cleanup());

/** A clone of a grants repository (the example policy and grants) whose `origin` is a bare repository. */
async function grantsClone(): Promise<Clone> {
  const fixture = await createGitFixture();
  fixtures.push(fixture);
  await rm(path.join(fixture.dir, ".git"), { recursive: true, force: true });
  await cp(template.dir, fixture.dir, { recursive: true });
  const bare = await fixture.tempDir();
  await cp(template.bare, bare, { recursive: true });
  await local(fixture.dir).raw(["remote", "set-url", "origin", bare]);
  return { dir: fixture.dir, bare, fixture };
}

const local = createGit;
const bareGit = createGit;
const branchesOf = async (bare: string) =>
  (await bareGit(bare).raw(["for-each-ref", "--format=%(refname:short)", "refs/heads"])).trim().split("\n");
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

const githubEnv = {
  GRANTOPS_GITHUB_TOKEN: "ghp_test_token",
  GRANTOPS_GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
  GRANTOPS_LOG_LEVEL: "silent",
};

interface GitHubLog {
  requests: string[];
  pulls: Array<Record<string, unknown>>;
}

/** GitHub answering the repository and the new pull request (or refusing it with `pullStatus`). */
function github(options: { pullStatus?: number } = {}): GitHubLog {
  const log: GitHubLog = { requests: [], pulls: [] };
  msw.use(
    http.get(`${API}/repos/${OWNER}/${REPO}`, ({ request }) => {
      log.requests.push(`GET ${new URL(request.url).pathname}`);
      expect(request.headers.get("authorization")).toBe("token ghp_test_token");
      return HttpResponse.json({
        name: REPO,
        full_name: `${OWNER}/${REPO}`,
        default_branch: "main",
        html_url: `https://github.com/${OWNER}/${REPO}`,
      });
    }),
    http.post(`${API}/repos/${OWNER}/${REPO}/pulls`, async ({ request }) => {
      log.requests.push(`POST ${new URL(request.url).pathname}`);
      log.pulls.push((await request.json()) as Record<string, unknown>);
      if (options.pullStatus !== undefined)
        return HttpResponse.json({ message: "Validation Failed" }, { status: options.pullStatus });
      return HttpResponse.json(
        { number: 42, html_url: `https://github.com/${OWNER}/${REPO}/pull/42` },
        { status: 201 },
      );
    }),
  );
  return log;
}

const requestArgs = (...more: string[]) => [
  "request",
  "--user",
  "erin@example.com",
  "--resource",
  "Wiki",
  "--duration",
  "2h",
  "--reason",
  reason,
  "--open-pr",
  ...more,
];

describe("grantops request --open-pr", () => {
  it("commits the file on a new branch, pushes it to the bare remote and opens the pull request", async () => {
    const clone = await grantsClone();
    const gh = github();
    const main = await clone.fixture.head();
    const run = await runCli(requestArgs(), { cwd: clone.dir, clock, env: githubEnv });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("pushed grantops/request/erin-wiki to origin\n");
    expect(run.stdout).toContain(
      "opened pull request #42 against main: https://github.com/acme/grants/pull/42\n",
    );
    expect(run.stdout).toContain("names not checked in Secure Access");
    expect(gh.requests).toEqual([`GET /repos/${OWNER}/${REPO}`, `POST /repos/${OWNER}/${REPO}/pulls`]);
    const [pull] = gh.pulls;
    expect(pull).toMatchObject({
      title: `Access request: ${reason}`,
      head: "grantops/request/erin-wiki",
      base: "main",
    });
    const body = String(pull?.["body"]);
    expect(body).toContain("Opened by `grantops request`");
    expect(body).toContain("### `erin-wiki` (added): `grants/erin-wiki.yaml`");
    expect(body).toContain(
      "- **Creates** a rule: erin@example.com → Wiki, from the merge for 2h (until 2026-11-25T14:00:00Z if merged now)",
    );
    expect(body).toContain(
      "- **Approval:** needs 1 approval from @\u200bacme/security (grantops reports the approvals on this pull request)",
    );
    // The branch and its one commit really arrived in the bare repository: the new file and nothing else.
    expect(await branchesOf(clone.bare)).toEqual(["grantops/request/erin-wiki", "main"]);
    const bare = bareGit(clone.bare);
    expect((await bare.raw(["rev-parse", "grantops/request/erin-wiki^"])).trim()).toBe(main);
    expect((await bare.raw(["diff", "--name-status", "main", "grantops/request/erin-wiki"])).trim()).toBe(
      "A\tgrants/erin-wiki.yaml",
    );
    expect(parse(await bare.raw(["show", "grantops/request/erin-wiki:grants/erin-wiki.yaml"]))).toEqual({
      version: 1,
      users: ["erin@example.com"],
      resources: ["Wiki"],
      reason,
      duration: "2h",
    });
    expect(
      (await bare.raw(["log", "-1", "--format=%an <%ae>|%s", "grantops/request/erin-wiki"])).trim(),
    ).toBe("Erin Requester <erin@example.com>|grant: erin-wiki");
    // The working tree is left as it was; the local branch tracks the pushed one.
    expect(await exists(path.join(clone.dir, "grants/erin-wiki.yaml"))).toBe(false);
    expect((await local(clone.dir).raw(["status", "--porcelain"])).trim()).toBe("");
    expect(
      (await local(clone.dir).raw(["rev-parse", "--abbrev-ref", "grantops/request/erin-wiki@{u}"])).trim(),
    ).toBe("origin/grantops/request/erin-wiki");
  });

  it("renders the requester's text inert in the pull request", async () => {
    const clone = await grantsClone();
    const gh = github();
    const hostile = "CHG-1 <img src=x onerror=alert(1)> @acme/everyone [click](https://evil.example)";
    const args = requestArgs().map((arg) => (arg === reason ? hostile : arg));
    const run = await runCli(args, { cwd: clone.dir, clock, env: githubEnv });
    expect(run.code).toBe(0);
    const body = String(gh.pulls[0]?.["body"]);
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(body).not.toContain("<img");
    expect(body).not.toMatch(/(^|[^\u200b])@acme\/everyone/);
    expect(body).not.toContain("](https://");
    expect(gh.pulls[0]?.["title"]).toBe(`Access request: ${hostile}`);
  });

  it("picks a free branch name when the first is taken on the remote", async () => {
    const clone = await grantsClone();
    github();
    await bareGit(clone.bare).raw(["branch", "grantops/request/erin-wiki", "main"]);
    const run = await runCli(requestArgs(), { cwd: clone.dir, clock, env: githubEnv });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("pushed grantops/request/erin-wiki-2 to origin");
    expect(await branchesOf(clone.bare)).toContain("grantops/request/erin-wiki-2");
  });

  it("says exactly what exists when the push worked but the pull request was not opened", async () => {
    const clone = await grantsClone();
    github({ pullStatus: 422 });
    const run = await runCli(requestArgs(), { cwd: clone.dir, clock, env: githubEnv });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the branch grantops\/request\/erin-wiki \(commit [0-9a-f]{12}\) was pushed to origin, but no pull request was opened: GitHub API failed while opening the pull request for grantops\/request\/erin-wiki: HTTP 422/,
    );
    expect(run.stderr).toContain(
      "open it at https://github.com/acme/grants/compare/main...grantops/request/erin-wiki?expand=1",
    );
    expect(run.stderr).toContain("[pull-request-not-opened]");
    expect(await branchesOf(clone.bare)).toContain("grantops/request/erin-wiki");
  });

  it.each<[string, (clone: Clone) => Promise<void>, Record<string, string>, string[], RegExp]>([
    [
      "an uncommitted change to another grant",
      (clone) => writeFile(path.join(clone.dir, "grants/sre/bob-prod-db.yaml"), "version: 1\n"),
      githubEnv,
      [],
      /uncommitted changes would not be in the pull request: grants\/sre\/bob-prod-db\.yaml.*\[dirty-working-tree\]/,
    ],
    [
      "a staged new grant file",
      async (clone) => {
        await writeFile(path.join(clone.dir, "grants/other.yaml"), "version: 1\n");
        await local(clone.dir).raw(["add", "grants/other.yaml"]);
      },
      githubEnv,
      [],
      /grants\/other\.yaml.*\[dirty-working-tree\]/,
    ],
    [
      "an uncommitted policy change",
      (clone) => writeFile(path.join(clone.dir, "policy.yaml"), "version: 1\n", { flag: "a" }),
      githubEnv,
      [],
      /policy\.yaml.*\[dirty-working-tree\]/,
    ],
    [
      "no GitHub settings",
      () => Promise.resolve(),
      { GRANTOPS_LOG_LEVEL: "silent" },
      [],
      /--open-pr needs GitHub: set GRANTOPS_GITHUB_TOKEN.*\[github-not-configured\]/,
    ],
    [
      "an unknown remote",
      () => Promise.resolve(),
      githubEnv,
      ["--remote", "upstream"],
      /no remote "upstream".*\[no-remote\]/,
    ],
    [
      "a local commit that is not on origin/main",
      async (clone) => {
        await clone.fixture.write("README.md", "local notes\n");
        await clone.fixture.commit("local", "2026-11-21T09:00:00Z");
      },
      githubEnv,
      [],
      /HEAD has 1 commit\(s\) that are not on origin\/main.*\[unpushed-commits\]/,
    ],
  ])(
    "refuses %s (exit 4): nothing written, committed or pushed",
    async (_title, spoil, env, more, message) => {
      const clone = await grantsClone();
      const gh = github();
      await spoil(clone);
      const before = (await local(clone.dir).raw(["for-each-ref", "--format=%(refname)"])).trim();
      const run = await runCli(requestArgs(...more), { cwd: clone.dir, clock, env });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(message);
      expect(gh.pulls).toEqual([]);
      expect(await branchesOf(clone.bare)).toEqual(["main"]);
      expect((await local(clone.dir).raw(["for-each-ref", "--format=%(refname)"])).trim()).toBe(before);
      expect(await exists(path.join(clone.dir, "grants/erin-wiki.yaml"))).toBe(false);
    },
  );

  it("leaves changes outside grants/ and the policy alone, and out of the commit", async () => {
    const clone = await grantsClone();
    github();
    await writeFile(path.join(clone.dir, "notes.txt"), "my notes\n");
    const run = await runCli(requestArgs(), { cwd: clone.dir, clock, env: githubEnv });
    expect(run.code).toBe(0);
    const bare = bareGit(clone.bare);
    expect((await bare.raw(["diff", "--name-only", "main", "grantops/request/erin-wiki"])).trim()).toBe(
      "grants/erin-wiki.yaml",
    );
    expect(await readFile(path.join(clone.dir, "notes.txt"), "utf8")).toBe("my notes\n");
  });
});

describe("grantops request --open-pr: who the commit is by, and git hooks", () => {
  /** git sees no global configuration (HOME and XDG_CONFIG_HOME in an empty folder) while `run` runs. */
  async function withoutGlobalGitConfig<T>(run: () => Promise<T>): Promise<T> {
    const home = await mkdtemp(path.join(tmpdir(), "grantops-home-"));
    const saved = { HOME: process.env["HOME"], XDG_CONFIG_HOME: process.env["XDG_CONFIG_HOME"] };
    process.env["HOME"] = home;
    process.env["XDG_CONFIG_HOME"] = home;
    try {
      return await run();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(home, { recursive: true, force: true });
    }
  }

  async function anonymousClone(): Promise<Clone> {
    const clone = await grantsClone();
    await local(clone.dir).raw(["config", "--unset", "user.name"]);
    await local(clone.dir).raw(["config", "--unset", "user.email"]);
    return clone;
  }

  it("refuses (exit 4) when git has no user.name/user.email, before anything is committed or pushed", async () => {
    const clone = await anonymousClone();
    const gh = github();
    const before = (await local(clone.dir).raw(["for-each-ref", "--format=%(refname)"])).trim();
    const run = await withoutGlobalGitConfig(() =>
      runCli(requestArgs(), { cwd: clone.dir, clock, env: githubEnv }),
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /^grantops: error: --open-pr: git does not know who the author of the commit is \(no (email|name) was given and auto-detection is disabled\): set git config user\.name and user\.email .* or GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL; nothing was committed or pushed \[git-identity-missing\]\n$/,
    );
    expect(gh.pulls).toEqual([]);
    expect(await branchesOf(clone.bare)).toEqual(["main"]);
    expect((await local(clone.dir).raw(["for-each-ref", "--format=%(refname)"])).trim()).toBe(before);
  });

  it("takes the author and committer from GIT_AUTHOR_* and GIT_COMMITTER_* when git has no user settings", async () => {
    const clone = await anonymousClone();
    github();
    const env = {
      ...githubEnv,
      GIT_AUTHOR_NAME: "Erin Env",
      GIT_AUTHOR_EMAIL: "erin.env@example.com",
      GIT_COMMITTER_NAME: "Ci Committer",
      GIT_COMMITTER_EMAIL: "ci@example.com",
    };
    const run = await withoutGlobalGitConfig(() => runCli(requestArgs(), { cwd: clone.dir, clock, env }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const format = "--format=%an <%ae>|%cn <%ce>";
    expect((await bareGit(clone.bare).raw(["log", "-1", format, "grantops/request/erin-wiki"])).trim()).toBe(
      "Erin Env <erin.env@example.com>|Ci Committer <ci@example.com>",
    );
  });

  it("runs no pre-commit or commit-msg hook (plumbing); a failing pre-push hook stops the push", async () => {
    const clone = await grantsClone();
    const gh = github();
    const hooks = path.join(clone.dir, ".git", "hooks");
    const hook = async (name: string): Promise<void> => {
      await writeFile(path.join(hooks, name), `#!/bin/sh\necho ${name} >> "${hooks}/ran"\nexit 1\n`);
      await chmod(path.join(hooks, name), 0o755);
    };
    await hook("pre-commit");
    await hook("commit-msg");
    await hook("prepare-commit-msg");
    const committed = await runCli(requestArgs(), { cwd: clone.dir, clock, env: githubEnv });
    expect(committed.code, committed.stderr).toBe(0);
    expect(await exists(path.join(hooks, "ran"))).toBe(false);
    expect(await branchesOf(clone.bare)).toEqual(["grantops/request/erin-wiki", "main"]);

    await hook("pre-push");
    const args = requestArgs().map((arg) => (arg === "erin@example.com" ? "frank@example.com" : arg));
    const pushed = await runCli(args, { cwd: clone.dir, clock, env: githubEnv });
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain(
      "git push origin grantops/request/frank-wiki failed (nothing was pushed)",
    );
    expect(await readFile(path.join(hooks, "ran"), "utf8")).toBe("pre-push\n");
    expect(await branchesOf(clone.bare)).toEqual(["grantops/request/erin-wiki", "main"]);
    expect(gh.pulls).toHaveLength(1);
  });
});

describe("grantops revoke --open-pr", () => {
  it("commits the removal on a new branch, pushes it and opens the pull request", async () => {
    const clone = await grantsClone();
    const gh = github();
    const run = await runCli(["revoke", "payments/alice-jira", "--open-pr"], {
      cwd: clone.dir,
      clock,
      env: githubEnv,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(gh.pulls[0]).toMatchObject({
      title: "Revoke access: payments/alice-jira",
      head: "grantops/revoke/payments-alice-jira",
      base: "main",
    });
    const body = String(gh.pulls[0]?.["body"]);
    expect(body).toContain("### `payments/alice-jira` (removed): `grants/payments/alice-jira.yaml`");
    expect(body).toContain("- **Approval:** none needed to remove access");
    const bare = bareGit(clone.bare);
    expect(
      (await bare.raw(["diff", "--name-status", "main", "grantops/revoke/payments-alice-jira"])).trim(),
    ).toBe("D\tgrants/payments/alice-jira.yaml");
    expect(await exists(path.join(clone.dir, "grants/payments/alice-jira.yaml"))).toBe(true);
  });
});

describe("grantops extend --open-pr", () => {
  it("commits the new version on a new branch, pushes it and opens the pull request", async () => {
    const clone = await grantsClone();
    const gh = github();
    const before = await readFile(path.join(clone.dir, "grants/payments/alice-jira.yaml"), "utf8");
    const run = await runCli(["extend", "payments/alice-jira", "--duration", "3h", "--open-pr"], {
      cwd: clone.dir,
      clock,
      env: githubEnv,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(gh.pulls[0]).toMatchObject({
      title: "Extend access: payments/alice-jira (3h)",
      head: "grantops/extend/payments-alice-jira",
      base: "main",
    });
    const body = String(gh.pulls[0]?.["body"]);
    expect(body).toContain("### `payments/alice-jira` (changed): `grants/payments/alice-jira.yaml`");
    expect(body).toContain("from the merge for 3h");
    const bare = bareGit(clone.bare);
    const text = await bare.raw([
      "show",
      "grantops/extend/payments-alice-jira:grants/payments/alice-jira.yaml",
    ]);
    expect(parse(text)).toMatchObject({ duration: "3h" });
    expect(
      (await bare.raw(["diff", "--name-only", "main", "grantops/extend/payments-alice-jira"])).trim(),
    ).toBe("grants/payments/alice-jira.yaml");
    expect(await readFile(path.join(clone.dir, "grants/payments/alice-jira.yaml"), "utf8")).toBe(before);
  });
});
