/**
 * RateLimits on PostgreSQL: one row per key with its window's start and count, updated in one
 * statement, so two instances hitting the same key at once count both hits.
 */
import type { RateLimits } from '../roles/rate-limits.js';
import type { SqlRunner } from './sql-runner.js';

export function createPostgresRateLimits({ q, first }: SqlRunner): RateLimits {
  let hits = 0;
  return {
    async hitRateLimit(key, windowMs, nowMs) {
      // Now and then, windows long over go (a flood of distinct keys must not grow the table without end).
      if (++hits % 500 === 0) await q('DELETE FROM rate_limits WHERE window_start < $1', [nowMs - 86_400_000]);
      const row = await first<{ window_start: string; count: number }>(
        `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $3, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start + $2 <= $3 THEN 1 ELSE rate_limits.count + 1 END,
           window_start = CASE WHEN rate_limits.window_start + $2 <= $3 THEN $3 ELSE rate_limits.window_start END
         RETURNING window_start, count`,
        [key, windowMs, nowMs],
      );
      return { windowStart: Number(row!.window_start), count: row!.count };
    },
  };
}
