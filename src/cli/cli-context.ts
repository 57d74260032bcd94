/** Everything a command touches in the outside world, injected so tests can run commands in-process. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  clock: () => Date;
  fetch: typeof globalThis.fetch;
  /** Aborted on SIGTERM/SIGINT by the process entry point. */
  signal: AbortSignal;
}
