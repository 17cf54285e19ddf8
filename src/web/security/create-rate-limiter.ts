/**
 * Rate limiting for the public forms (subscribe, admin login), counted in the database, so
 * several `paperpost serve` instances behind one proxy share the counts: a client cannot get
 * ten signups per instance by landing on each in turn. The web's own clock decides the
 * windows (tests move it), the store only counts.
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
}

/** Counts one hit of a key in a fixed window opened by its first hit (Store.hitRateLimit). */
export type RateCounter = (key: string, windowMs: number, nowMs: number) => Promise<{ windowStart: number; count: number }>;

/** A fixed window per key, named `name` so the limiters' keys never meet in the shared table. */
export function createRateLimiter(name: string, rule: RateRule, now: () => Date, count: RateCounter): RateLimiter {
  return {
    async hit(key) {
      const t = now().getTime();
      // Keys are client addresses and email addresses: long ones are cut, so the table stays small.
      const w = await count(`${name}:${key.slice(0, 320)}`, rule.windowMs, t);
      if (w.count <= rule.limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.windowStart + rule.windowMs - t) / 1000)) };
    },
  };
}
