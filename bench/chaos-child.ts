// One grantops run as a child process of the built CLI, optionally killed with SIGKILL after a delay (the
// chaos run's "kill -9 during apply"), and always killed at a hard deadline so the run stops by itself.
import { spawn } from "node:child_process";
import { grantopsProcess } from "./reconcile-bench-world.js";

export interface ChildRun {
  /** 1-based run number; the run authenticates with chaosKey(n). */
  n: number;
  command: string;
  startedAt: number;
  endedAt: number;
  /** Exit code, or null when killed. */
  code: number | null;
  /** True when this harness killed it with SIGKILL (chaos kill or deadline). */
  killed: boolean;
  /** Why it was killed: the chaos delay, or the deadline of the chaos phase. */
  killReason: "chaos" | "deadline" | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  n: number;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** SIGKILL after this many ms (chaos); undefined lets it finish. */
  killAfterMs?: number;
  /** SIGKILL at this Date.now() at the latest. */
  deadline: number;
}

/** Starts `grantops <args>`; resolves when the process is gone. */
export function runChild(options: ChildOptions): Promise<ChildRun> {
  const { argv } = grantopsProcess(options.args);
  const startedAt = Date.now();
  const child = spawn(process.execPath, argv, {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let killReason: ChildRun["killReason"] = null;
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const chaosFirst = (options.killAfterMs ?? Infinity) < options.deadline - startedAt;
  const kill = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killReason = chaosFirst ? "chaos" : "deadline";
    child.kill("SIGKILL");
  };
  const killIn = chaosFirst ? (options.killAfterMs ?? 0) : Math.max(0, options.deadline - startedAt);
  const timer = setTimeout(kill, killIn);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        n: options.n,
        command: options.args[0] ?? "",
        startedAt,
        endedAt: Date.now(),
        code: killReason === null ? code : null,
        killed: killReason !== null,
        killReason,
        stdout,
        stderr,
      });
    });
  });
}
