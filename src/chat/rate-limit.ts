/**
 * Writes per member per minute, in memory: a sliding window of timestamps per key. A member who
 * pastes a hundred proposals, or a runaway script behind a linked account, is slowed down with a
 * clear message instead of flooding channels and the audit log. Per process: with several
 * replicas each allows the limit, which still bounds a burst.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a write for `key` at `now`; false when the key is over its limit (nothing recorded). */
  take(key: string, now: number): boolean {
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(since);
    return true;
  }

  /** Seconds until `key` may write again. */
  retryAfter(key: string, now: number): number {
    const oldest = (this.hits.get(key) ?? [])[0];
    return oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) if (!times.some((at) => at > since)) this.hits.delete(key);
  }
}
