const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret (raw or URL-encoded) in `text` by "[REDACTED]". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join("[REDACTED]");
    }
  }
  return out;
}
