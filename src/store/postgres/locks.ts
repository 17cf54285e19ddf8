/**
 * Locks and JobRuns on PostgreSQL, across processes: locks live in the locks table with an
 * expiry by the store's clock (`now`, injected for tests, as in SQLite); taking one is a single
 * INSERT … ON CONFLICT … WHERE, which PostgreSQL runs atomically, so two processes never both
 * get it. A run per scheduled time is unique by index, whichever process inserts it first.
 */
import { DuplicateRunError, type JobRuns } from '../roles/job-runs.js';
import type { Locks } from '../roles/locks.js';
import { toRun, type RunRow } from '../shared/map-rows.js';
import { TYPES, type SqlRunner } from './sql-runner.js';

export function createPostgresLocks({ q, first, now }: SqlRunner): Locks {
  return {
    async acquireLock(name, holder, ttlMs) {
      // One statement: a free or expired lock (or one this holder has) is taken; a live one is
      // left alone and nothing changes. Concurrent takers queue on the row and only one wins.
      const t = now().getTime();
      const r = await q(
        `INSERT INTO locks (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE locks.expires_at < $4 OR locks.holder = excluded.holder`,
        [name, holder, t + ttlMs, t],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async renewLock(name, holder, ttlMs) {
      const r = await q('UPDATE locks SET expires_at = $1 WHERE name = $2 AND holder = $3', [now().getTime() + ttlMs, name, holder]);
      return (r.rowCount ?? 0) > 0;
    },
    async releaseLock(name, holder) {
      await q('DELETE FROM locks WHERE name = $1 AND holder = $2', [name, holder]);
    },
    async lockHolder(name) {
      return (await first<{ holder: string }>('SELECT holder FROM locks WHERE name = $1 AND expires_at >= $2', [name, now().getTime()]))?.holder ?? null;
    },
  };
}

export function createPostgresJobRuns({ pool, q, first, iso, whenReady, fail }: SqlRunner): JobRuns {
  return {
    async startRun(scheduledFor) {
      // The unique index makes a second start for the same scheduled time fail, in whichever
      // process comes second: at most one run per tick.
      await whenReady();
      try {
        return (await pool.query<{ id: number }>({ text: 'INSERT INTO runs (scheduled_for, started_at) VALUES ($1, $2) RETURNING id', values: [scheduledFor, iso()], types: TYPES })).rows[0]!.id;
      } catch (e) {
        if (scheduledFor !== null && (e as { code?: string }).code === '23505') throw new DuplicateRunError(scheduledFor, { cause: e });
        throw fail(e);
      }
    },
    async finishRun(id, outcome, issueId, detail) {
      await q('UPDATE runs SET finished_at = $1, outcome = $2, issue_id = $3, detail = $4 WHERE id = $5', [iso(), outcome, issueId, detail, id]);
    },
    async findRunFor(scheduledFor) {
      const row = await first<RunRow>('SELECT * FROM runs WHERE scheduled_for = $1', [scheduledFor]);
      return row ? toRun(row) : null;
    },
    async lastRuns(count) {
      return (await q<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT $1', [count])).rows.map(toRun);
    },
  };
}
