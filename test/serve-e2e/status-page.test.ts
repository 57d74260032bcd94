// The status page of `grantops serve` in a real browser (headless Chromium via playwright-core): serve against the
// emulator and a git remote, the page lists the grants with time left, a hostile reason renders as text, no
// script runs, unauthenticated requests get 401. Saves a screenshot to test-output/status-page.png.
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { browserTestsSkipped, launchChromium, type RunningBrowser } from "../helpers/launch-chromium.js";
import {
  createServeWorld,
  deliver,
  pushPayload,
  startServeCli,
  waitFor,
  type RunningServe,
  type ServeWorld,
} from "./serve-world.js";

const TOKEN = "status-page-token-0123456789abcdef";
const HOSTILE = "<img src=x onerror=alert(1)> <!-- CHG-66 <script>alert(2)</script> & 'q' \"d\"";

function grant(users: string[], resources: string[], duration: string, reason: string): string {
  return [
    "version: 1",
    `users: [${users.join(", ")}]`,
    `resources: [${resources.join(", ")}]`,
    `reason: ${JSON.stringify(reason)}`,
    `duration: ${duration}`,
    "",
  ].join("\n");
}

let world: ServeWorld;
let serve: RunningServe;
let chromium: RunningBrowser;

describe.skipIf(browserTestsSkipped)("the status page in headless Chromium", () => {
  beforeAll(async () => {
    chromium = await launchChromium();
    world = await createServeWorld();
    world.env["GRANTOPS_STATUS_TOKEN"] = TOKEN;
    world.env["GRANTOPS_GITHUB_REPOSITORY"] = "acme/grants";
    serve = await startServeCli(world, ["--trust-git", "--interval", "1h"]);
    const sha = await world.push({
      "grants/ops/alice-jira.yaml": grant(["alice@example.com"], ["Jira"], "45m", HOSTILE),
      "grants/ops/dave-grafana.yaml": grant(
        ["dave@example.com"],
        ["Grafana"],
        "3h",
        "INC-7: dashboards for the outage",
      ),
    });
    expect(await deliver(serve.url, "push", pushPayload(sha))).toBe(202);
    await waitFor(() => world.managed().size === 2, 15_000, "both rules created");
    await waitFor(
      async () => {
        const response = await fetch(`${serve.url}/status.json`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const report = (await response.json()) as { organizations: Array<{ active: unknown[] }> };
        return report.organizations[0]?.active.length === 2;
      },
      15_000,
      "status shows both grants",
    );
  }, 90_000);

  afterAll(async () => {
    // The browser first: its pooled connections would otherwise keep serve's HTTP server from closing.
    await chromium?.close();
    await serve?.stop();
    await world?.close();
  }, 90_000);

  it("lists the grants sorted by time left, each linked to its file on GitHub", async () => {
    const page = await chromium.context.newPage();
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    const response = await page.goto(`${serve.url}/status`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(await page.title()).toBe("grantops status");
    const rows = page.locator("#active tbody tr");
    expect(await rows.count()).toBe(2);
    const first = await rows.nth(0).locator("td").allInnerTexts();
    const second = await rows.nth(1).locator("td").allInnerTexts();
    expect(first[2]).toBe("ops/alice-jira");
    expect(first[0]).toMatch(/^4[45]m \d\ds$/);
    expect(second[2]).toBe("ops/dave-grafana");
    expect(second[0]).toMatch(/^[23]h \d\dm$/);
    expect(first[3]).toBe("alice@example.com");
    expect(await rows.nth(0).locator("a").first().getAttribute("href")).toMatch(
      /^https:\/\/github\.com\/acme\/grants\/blob\/[0-9a-f]{40}\/grants\/ops\/alice-jira\.yaml$/,
    );
    // The first row expires within the hour: highlighted.
    expect(await rows.nth(0).getAttribute("class")).toBe("soon");
    await mkdir("test-output", { recursive: true });
    await page.screenshot({ path: "test-output/status-page.png", fullPage: true });
    expect(dialogs).toBe(0);
    await page.close();
  });

  it("renders a hostile reason as text: no element, no script, no comment swallowing the page", async () => {
    const page = await chromium.context.newPage();
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await page.goto(`${serve.url}/status`);
    expect(await page.locator("#active tbody tr").nth(0).locator("td.reason").textContent()).toBe(HOSTILE);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("body script").count()).toBe(0);
    // Everything after the reason is still on the page (an unescaped "<!--" would hide it).
    expect(await page.locator("#active tbody tr").count()).toBe(2);
    expect(await page.locator("#runs").count()).toBe(1);
    await page.close();
  });

  it("answers 401 with a challenge without credentials or with wrong ones, and never shows the token", async () => {
    for (const path of ["/status", "/status.json"]) {
      const none = await fetch(`${serve.url}${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="grantops status"');
      expect(await none.text()).not.toContain("grant");
      const wrong = await fetch(`${serve.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
    }
    const page = await chromium.context.newPage();
    const response = await page.goto(`${serve.url}/status`);
    expect(response?.status()).toBe(401);
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await page.goto(`${serve.url}/status`);
    expect(await page.content()).not.toContain(TOKEN);
    await page.close();
  });

  it("grantops status --serve reads the same status", async () => {
    const run = await runCli(["status", "--serve", serve.url, "--within", "50m"], {
      env: { GRANTOPS_STATUS_TOKEN: TOKEN },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("from serve's last run");
    expect(run.stdout).toMatch(/ops\/alice-jira +alice@example\.com +Jira +active/);
    expect(run.stdout).toContain("Expiring within 50m 00s: ops/alice-jira");
    expect(run.stdout).toMatch(/Last run: \S+ success/);
    const denied = await runCli(["status", "--serve", serve.url]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("answered 401");
  });
});
