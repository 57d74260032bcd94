import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { packageRoot } from "../helpers/e2e-world.js";
import { readRepositoryFile } from "./workflow-files.js";

const template = join(packageRoot, "examples/grants-repo");

async function yamlFilesUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => /\.ya?ml$/.test(entry)).length;
}

describe("the template grants repository (examples/grants-repo)", () => {
  it("validates clean: its policy and example grants", async () => {
    const run = await runCli(["validate", "--repo", template]);
    expect(run.stdout).toBe(
      `${1 + (await yamlFilesUnder(join(template, "grants")))} files checked: 0 errors, 0 warnings\n`,
    );
    expect(run.code).toBe(0);
  });

  it("is not read as this repository's grants", async () => {
    const run = await runCli(["validate", "--repo", packageRoot]);
    // The example grants of this repository may be warned about as expired (they landed long ago in git).
    expect(run.stdout).toMatch(
      new RegExp(
        `(^|\n)${1 + (await yamlFilesUnder(join(packageRoot, "grants")))} files checked: 0 errors, \\d+ warnings?\n$`,
      ),
    );
    expect(run.stdout).not.toContain("examples/");
  });

  it("has CODEOWNERS for the policy and the workflows, and a README that names every secret the workflows use", () => {
    const owners = readRepositoryFile("examples/grants-repo/.github/CODEOWNERS");
    expect(owners).toMatch(/^\/policy\.yaml\s+@/m);
    expect(owners).toMatch(/^\/\.github\/workflows\/\s+@/m);
    const readme = readRepositoryFile("examples/grants-repo/README.md");
    const workflows = ["grantops-pr.yml", "grantops-reconcile.yml", "grantops-sweep.yml"]
      .map((file) => readRepositoryFile(`examples/grants-repo/.github/workflows/${file}`))
      .join("\n");
    const secrets = new Set([...workflows.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect(secrets.size).toBeGreaterThan(0);
    for (const secret of secrets) expect(readme).toContain(secret);
    expect(readme).toContain("grantops-apply");
  });
});
