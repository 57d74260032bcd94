import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const manifest = parse(readFileSync("app.yml", "utf8")) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};

/** The permission table of docs/github.md: "| Repository: Contents | read | …" → { contents: "read" }. */
function documentedPermissions(): Record<string, string> {
  const docs = readFileSync("docs/github.md", "utf8");
  const names: Record<string, string> = {
    "Repository: Contents": "contents",
    "Repository: Pull requests": "pull_requests",
    "Repository: Checks": "checks",
    "Repository: Metadata": "metadata",
    "Organization: Members": "members",
  };
  const rows = [...docs.matchAll(/^\| ((?:Repository|Organization): [^|]+?)\s*\| (\w+)\s*\|/gm)];
  return Object.fromEntries(rows.map(([, name, level]) => [names[name!] ?? name!, level!]));
}

describe("app.yml (GitHub App manifest)", () => {
  it("asks for exactly the permissions docs/github.md lists", () => {
    expect(manifest.default_permissions).toEqual(documentedPermissions());
  });

  it("subscribes to exactly the events `grantops serve` handles", () => {
    const routes = readFileSync("src/daemon/http/route-event.ts", "utf8");
    const handled = [...routes.matchAll(/case "([a-z_]+)":/g)]
      .map((m) => m[1])
      .filter((name) => name !== "ping"); // ping is sent to every App
    expect([...manifest.default_events].sort()).toEqual([...new Set(handled)].sort());
  });
});
