/** The logger the GitHub integration writes to (a pino logger fits). Messages never contain secrets. */
export interface GitHubLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
