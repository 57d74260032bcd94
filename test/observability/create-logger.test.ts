import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/create-logger.js";

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("redacts secrets at any usual depth and keeps the rest", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    logger.info(
      {
        token: "t0k",
        apiSecret: "s3c",
        req: { headers: { authorization: "Bearer abc", accept: "json" } },
        config: { credentials: { password: "pw", apiKey: "k" } },
        grantId: "team/a",
      },
      "hello",
    );
    const line = lines.join("");
    for (const secret of ["t0k", "s3c", "Bearer abc", '"pw"', '"k"']) expect(line).not.toContain(secret);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ msg: "hello", grantId: "team/a", token: "[redacted]", name: "grantops" });
    expect(parsed["req"]).toEqual({ headers: { authorization: "[redacted]", accept: "json" } });
  });

  it("honours the level", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "warn", destination });
    logger.info("quiet");
    logger.warn("loud");
    expect(lines).toHaveLength(1);
  });
});
