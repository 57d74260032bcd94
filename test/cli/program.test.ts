import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runCli } from "../helpers/run-cli.js";

const exec = promisify(execFile);

describe("grantops program", () => {
  it("prints help and exits 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: grantops");
  });

  it("treats an unknown command as invalid input (exit 4)", async () => {
    const run = await runCli(["no-such-command"]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/unknown command|too many arguments/);
  });

  it("runs as a built binary", async () => {
    const { stdout } = await exec(process.execPath, ["bin/grantops.js", "--version"]);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
