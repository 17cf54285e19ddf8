/**
 * Rate limiting for the public forms (subscribe, admin login) and admin bearer tokens,
 * counted in the database, so several `paperpost serve` instances behind one proxy share the
 * counts: a client cannot get ten signups per instance by landing on each in turn. The web's
 * own clock decides the windows (tests move it), the store only counts.
 *
 * A limiter also remembers, in this process, which keys have used up their window and until
 * when (`blocked`), so a caller can refuse a request without counting it: a correct admin bearer
 * token is not an attempt to count, but while its client is locked out it must be refused
 * like a wrong one, or guessing would go on at full speed and the first right guess get in.
 */

/** At most `limit` hits per key in `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/** The verdict on one hit. */
export interface RateVerdict {
  allowed: boolean;
  /** Seconds until the key's window ends (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/** Counts hits per key. */
export interface RateLimiter {
  hit(key: string): Promise<RateVerdict>;
  /**
   * Seconds until `key` may try again, when a hit in this process used up its window (the next
   * hit would be refused) and the window has not ended; 0 otherwise. Counts nothing.
   */
  blocked(key: string): number;
}

/** Counts one hit of a key in a fixed window opened by its first hit (Store.hitRateLimit). */
export type RateCounter = (key: string, windowMs: number, nowMs: number) => Promise<{ windowStart: number; count: number }>;

/** A fixed window per key, named `name` so the limiters' keys never meet in the shared table. */
export function createRateLimiter(name: string, rule: RateRule, now: () => Date, count: RateCounter): RateLimiter {
  /** Keys with no hit left in their window, and when it ends (ms). */
  const spentUntil = new Map<string, number>();
  let prunedAt = 0;
  // Keys are client addresses and email addresses: long ones are cut, so the table stays small.
  const cut = (key: string) => key.slice(0, 320);
  return {
    async hit(key) {
      const t = now().getTime();
      const w = await count(`${name}:${cut(key)}`, rule.windowMs, t);
      if (w.count >= rule.limit) {
        // Ended windows go at most once a minute: under a spread-out attack this map is large.
        if (t - prunedAt > 60_000) {
          prunedAt = t;
          for (const [k, until] of spentUntil) if (until <= t) spentUntil.delete(k);
        }
        spentUntil.set(cut(key), w.windowStart + rule.windowMs);
      }
      if (w.count <= rule.limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.windowStart + rule.windowMs - t) / 1000)) };
    },
    blocked(key) {
      const left = (spentUntil.get(cut(key)) ?? 0) - now().getTime();
      return left > 0 ? Math.max(1, Math.ceil(left / 1000)) : 0;
    },
  };
}
