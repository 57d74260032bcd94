import { randomBytes } from "node:crypto";

export interface IssuedToken {
  key: string;
  expiresAt: number;
}

/** Issues opaque bearer tokens and resolves them to their API key while unexpired (clock in ms). */
export class TokenService {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly clock: () => number,
    readonly ttlSeconds = 3600,
  ) {}

  issue(key: string): string {
    this.dropExpired();
    const token = randomBytes(24).toString("base64url");
    this.tokens.set(token, { key, expiresAt: this.clock() + this.ttlSeconds * 1000 });
    return token;
  }

  /** The API key of a valid, unexpired token; undefined otherwise. */
  resolve(token: string): string | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= this.clock()) {
      this.tokens.delete(token);
      return undefined;
    }
    return issued.key;
  }

  /** Invalidates every token (e.g. to test a client's refetch on 401). */
  revokeAll(): void {
    this.tokens.clear();
  }

  private dropExpired(): void {
    const now = this.clock();
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}
