/** RateLimits on SQLite: one row per key with its window's start and count, updated in one statement. */
import type Database from 'better-sqlite3';
import type { RateLimits } from '../roles/rate-limits.js';

export function createSqliteRateLimits(db: Database.Database): RateLimits {
  const s = {
    hit: db.prepare<{ key: string; windowMs: number; now: number }, { windowStart: number; count: number }>(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (@key, @now, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_start + @windowMs <= @now THEN 1 ELSE rate_limits.count + 1 END,
         window_start = CASE WHEN rate_limits.window_start + @windowMs <= @now THEN @now ELSE rate_limits.window_start END
       RETURNING window_start AS windowStart, count`,
    ),
    prune: db.prepare('DELETE FROM rate_limits WHERE window_start < ?'),
  };
  let hits = 0;
  return {
    async hitRateLimit(key, windowMs, nowMs) {
      // Now and then, windows long over go (a flood of distinct keys must not grow the table without end).
      if (++hits % 500 === 0) s.prune.run(nowMs - 86_400_000);
      return s.hit.get({ key, windowMs, now: nowMs })!;
    },
  };
}
