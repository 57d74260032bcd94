/**
 * The vendor locks an organization's ruleset while a rule write runs; a second write arriving meanwhile gets
 * 409 "locked". This is that lock: non-blocking, held by one write at a time.
 */
export class RulesetLock {
  private held = false;

  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  release(): void {
    this.held = false;
  }

  get isHeld(): boolean {
    return this.held;
  }
}
