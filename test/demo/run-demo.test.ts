// The demo on a slow machine: when the short grant ends while the earlier steps run (here: the clock jumps 10 s
// ahead when the demo reaches its tamper step), one of those runs deletes its rule as expired and the expiry step
// says so, instead of waiting for the next expiry in the policy (bob's, an hour later).
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.js";

describe("runDemo", () => {
  it("finishes when the short grant expired before its step (slow machine)", async () => {
    let offsetMs = 0;
    let output = "";
    const controller = new AbortController();
    const guard = setTimeout(() => controller.abort(), 30_000);
    try {
      const code = await runDemo({
        shortDurationSeconds: 3,
        clock: () => new Date(Date.now() + offsetMs),
        out: (text) => {
          output += text;
          if (text.startsWith("\n8. Tamper")) offsetMs = 10_000;
        },
        signal: controller.signal,
      });
      expect(code).toBe(0);
    } finally {
      clearTimeout(guard);
    }
    expect(output).toMatch(/✓ deleted grantops-demo-erin-wiki-[0-9a-f]{6} \(rule \d+\): expired/);
    expect(output).toMatch(
      /9\. Expiry: erin's grant ended while the steps above ran; that run deleted its rule/,
    );
    expect(output).toContain("Demo finished");
  }, 40_000);
});
