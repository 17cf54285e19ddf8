/**
 * In-memory rate limiting for the public forms (subscribe, admin login). One process serves
 * the web pages, so memory is the right place; a restart forgets the counts, which only ever
 * lets someone through early.
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
  hit(key: string): RateVerdict;
}

/**
 * A fixed window per key, opened by the key's first hit. `maxKeys` bounds memory: expired
 * windows are dropped when it is reached, and if every window is still live, new keys are
 * refused until some expire (a flood of distinct keys must not grow the heap without end).
 */
export function createRateLimiter(rule: RateRule, now: () => Date, maxKeys = 10_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const prune = (t: number) => {
    for (const [key, w] of windows) if (t - w.start >= rule.windowMs) windows.delete(key);
  };
  return {
    hit(key) {
      const t = now().getTime();
      let w = windows.get(key);
      if (w && t - w.start >= rule.windowMs) {
        windows.delete(key);
        w = undefined;
      }
      if (!w) {
        if (windows.size >= maxKeys) prune(t);
        if (windows.size >= maxKeys) return { allowed: false, retryAfterSeconds: Math.ceil(rule.windowMs / 1000) };
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      if (w.count <= rule.limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + rule.windowMs - t) / 1000)) };
    },
  };
}
