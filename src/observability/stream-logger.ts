import { createLogger, type Logger } from "./create-logger.js";

/** A pino logger (secrets redacted) whose JSON lines go to `write` (a command's ctx.stderr). */
export function streamLogger(write: (text: string) => void, level: string): Logger {
  return createLogger({ level, destination: { write: (line: string) => void write(line) } });
}
