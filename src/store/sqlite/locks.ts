/**
 * Locks and JobRuns on SQLite: leases in the locks table (expiry by the store's clock, in
 * milliseconds) and one run record per scheduled time (a unique index). Both are how
 * processes on one database agree on who does what.
 */
import type Database from 'better-sqlite3';
import { DuplicateRunError, type JobRuns } from '../roles/job-runs.js';
import type { Locks } from '../roles/locks.js';
import { toRun, type RunRow } from '../shared/map-rows.js';

export function createSqliteLocks(db: Database.Database, now: () => Date): Locks {
  const s = {
    take: db.prepare(
      `INSERT INTO locks (name, holder, expires_at) VALUES (@name, @holder, @expires)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE locks.expires_at < @now OR locks.holder = excluded.holder`,
    ),
    renew: db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND holder = ?'),
    release: db.prepare('DELETE FROM locks WHERE name = ? AND holder = ?'),
    holder: db.prepare<[string, number], { holder: string }>('SELECT holder FROM locks WHERE name = ? AND expires_at >= ?'),
  };
  return {
    async acquireLock(name, holder, ttlMs) {
      const t = now().getTime();
      return s.take.run({ name, holder, expires: t + ttlMs, now: t }).changes > 0;
    },
    async renewLock(name, holder, ttlMs) {
      return s.renew.run(now().getTime() + ttlMs, name, holder).changes > 0;
    },
    async releaseLock(name, holder) {
      s.release.run(name, holder);
    },
    async lockHolder(name) {
      return s.holder.get(name, now().getTime())?.holder ?? null;
    },
  };
}

export function createSqliteJobRuns(db: Database.Database, now: () => Date): JobRuns {
  const s = {
    start: db.prepare<[string | null, string], { id: number }>('INSERT INTO runs (scheduled_for, started_at) VALUES (?, ?) RETURNING id'),
    finish: db.prepare('UPDATE runs SET finished_at = ?, outcome = ?, issue_id = ?, detail = ? WHERE id = ?'),
    runFor: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE scheduled_for = ?'),
    last: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
  };
  return {
    async startRun(scheduledFor) {
      // The unique index makes a second start for the same scheduled time fail: at most one run per tick.
      try {
        return s.start.get(scheduledFor, now().toISOString())!.id;
      } catch (e) {
        if (scheduledFor !== null && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateRunError(scheduledFor, { cause: e });
        throw e;
      }
    },
    async finishRun(id, outcome, issueId, detail) {
      s.finish.run(now().toISOString(), outcome, issueId, detail, id);
    },
    async findRunFor(scheduledFor) {
      const row = s.runFor.get(scheduledFor);
      return row ? toRun(row) : null;
    },
    async lastRuns(count) {
      return s.last.all(count).map(toRun);
    },
  };
}
