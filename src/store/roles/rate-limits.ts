/**
 * RateLimits: hit counters in the database, so every web instance on it shares one count per
 * key (a form's sender, an address) instead of each keeping its own.
 */

export interface RateLimits {
  /**
   * Counts one hit on a rate-limit key in a fixed window that its first hit opens (at `nowMs`,
   * the web's clock); a window older than `windowMs` starts again. Every web instance on the
   * database shares the counts.
   */
  hitRateLimit(key: string, windowMs: number, nowMs: number): Promise<{ windowStart: number; count: number }>;
}
