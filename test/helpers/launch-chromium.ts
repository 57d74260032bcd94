// Headless Chromium for browser tests: Debian's system package driven by playwright-core (no downloaded browser).
// A missing browser fails the test loudly; only GRANTOPS_SKIP_BROWSER_TESTS=1 skips it (.ci/run never sets it,
// and installs chromium when it is missing).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = process.env["GRANTOPS_CHROMIUM"] ?? "/usr/bin/chromium";

/** True when browser tests were explicitly switched off (never in .ci/run). */
export const browserTestsSkipped = process.env["GRANTOPS_SKIP_BROWSER_TESTS"] === "1";

export interface RunningBrowser {
  /** A persistent context on a fresh profile directory (removed by close()). */
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run installs it). ` +
        "Set GRANTOPS_SKIP_BROWSER_TESTS=1 to skip them explicitly.",
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "grantops-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
