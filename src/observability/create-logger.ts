import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

/** The logger every shell module takes (pino; child loggers via `logger.child({...})`). */
export type Logger = PinoLogger;

export interface CreateLoggerOptions {
  /** pino level: fatal, error, warn, info, debug, trace, silent (default info). */
  level?: string;
  /** Where JSON lines go (default: stderr, synchronously, so nothing is lost on exit; stdout is for output). */
  destination?: DestinationStream | NodeJS.WritableStream;
}

const secretKeys = [
  "authorization",
  "Authorization",
  "token",
  "accessToken",
  "access_token",
  "secret",
  "clientSecret",
  "client_secret",
  "password",
  "apiKey",
  "apiSecret",
  "privateKey",
  "webhookSecret",
];

/** Redaction paths: each secret key at the top level and up to three objects deep (headers, req.headers...). */
export const redactPaths: string[] = secretKeys.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]);

/** A pino logger with secrets redacted ("[redacted]"). */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? "info",
      base: { name: "grantops" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
