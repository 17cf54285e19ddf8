/**
 * The PostgreSQL implementation of Store, for installations that outgrow one machine: several
 * senders, web instances and schedulers on one database. It has the SQLite store's semantics
 * method for method (test/store/store.test.ts runs on both), with the schema of migrations.ts:
 * one module per role beside this file, all on one SqlRunner (sql-runner.ts: the migration at
 * start-up, statements, transactions), composed here with the lifecycle.
 *
 * Driver: node-postgres (`pg`) with its Pool. It is the most used and longest maintained
 * PostgreSQL client for Node, pure JavaScript (no native build next to better-sqlite3's), with
 * parameterised queries, a pool with connection timeouts, and COPY and LISTEN available when
 * the senders' queue needs them. It takes an open Pool: only the composition root (src/app.ts)
 * or a test creates one.
 */
import type { Pool } from 'pg';
import { addressMarker } from '../../subscribers/forgotten-address.js';
import type { Store, StoreOptions } from '../store.js';
import { createPostgresDashboardStats } from './dashboard-stats.js';
import { createPostgresConfirmations } from './confirmations.js';
import { createPostgresCopy } from './copy.js';
import { createPostgresIssues } from './issues.js';
import { createPostgresLedger } from './ledger.js';
import { createPostgresJobRuns, createPostgresLocks } from './locks.js';
import { createPostgresMailEvents } from './mail-events.js';
import { createPostgresMeta } from './meta.js';
import { createPostgresRateLimits } from './rate-limits.js';
import { createPostgresReaderRecords } from './reader-records.js';
import { createPostgresReaderSignals } from './reader-signals.js';
import { createSqlRunner } from './sql-runner.js';
import { createPostgresSubscribers } from './subscribers.js';
import { createPostgresSuppressions } from './suppressions.js';

/**
 * Wraps a pool as a Store, migrating the database first (see sql-runner.ts: every call waits
 * for it, and one that failed is tried again by the next call). close() ends the pool.
 */
export function createPostgresStore(pool: Pool, now: () => Date = () => new Date(), options: StoreOptions = {}): Store {
  const db = createSqlRunner(pool, now);
  const marker = options.secretKey ? addressMarker(options.secretKey) : null;
  const signals = createPostgresReaderSignals(db);
  return {
    ...createPostgresSubscribers(db, marker),
    ...createPostgresSuppressions(db, marker),
    ...createPostgresConfirmations(db, marker),
    ...createPostgresIssues(db),
    ...createPostgresLedger(db),
    ...createPostgresMailEvents(db),
    ...createPostgresLocks(db),
    ...createPostgresJobRuns(db),
    ...createPostgresRateLimits(db),
    ...signals,
    ...createPostgresReaderRecords(db, signals, marker),
    ...createPostgresCopy(db),
    ...createPostgresMeta(db),
    ...createPostgresDashboardStats(db),
    async migrate() {
      await db.whenReady();
      const row = await db.first<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      return { version: row?.v ?? 0, applied: [...db.appliedAtOpen] };
    },
    close: db.close,
  };
}
