/**
 * The SQLite implementation of Store (better-sqlite3, WAL mode, the schema in migrations.ts):
 * one module per role beside this file, composed here with the lifecycle. It takes an open
 * Database: only the composition root (src/app.ts) opens one.
 */
import type Database from 'better-sqlite3';
import { addressMarker } from '../../subscribers/forgotten-address.js';
import type { Store, StoreOptions } from '../store.js';
import { createSqliteDashboardStats } from './dashboard-stats.js';
import { createSqliteConfirmations } from './confirmations.js';
import { createSqliteCopy } from './copy.js';
import { createSqliteIssues } from './issues.js';
import { createSqliteLedger } from './ledger.js';
import { createSqliteJobRuns, createSqliteLocks } from './locks.js';
import { createSqliteMailEvents } from './mail-events.js';
import { createSqliteMeta } from './meta.js';
import { MIGRATIONS } from './migrations.js';
import { createSqliteRateLimits } from './rate-limits.js';
import { createSqliteReaderRecords } from './reader-records.js';
import { createSqliteReaderSignals } from './reader-signals.js';
import { createSqliteSubscribers } from './subscribers.js';
import { createSqliteSuppressions } from './suppressions.js';

/** Applies pending migrations and sets the pragmas paperpost relies on; returns the versions it applied. */
export function migrateSqlite(db: Database.Database): number[] {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted content is zeroed where that costs no extra I/O; forgetting a reader turns it fully on.
  db.pragma('secure_delete = FAST');
  const version = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
    applied.push(v + 1);
  }
  return applied;
}

/** Wraps an open better-sqlite3 database as a Store, migrating it first. */
export function createSqliteStore(db: Database.Database, now: () => Date = () => new Date(), options: StoreOptions = {}): Store {
  const appliedAtOpen = migrateSqlite(db);
  const marker = options.secretKey ? addressMarker(options.secretKey) : null;
  const signals = createSqliteReaderSignals(db);
  return {
    ...createSqliteSubscribers(db, now, marker),
    ...createSqliteSuppressions(db, now, marker),
    ...createSqliteConfirmations(db, now, marker),
    ...createSqliteIssues(db, now),
    ...createSqliteLedger(db, now),
    ...createSqliteMailEvents(db, now),
    ...createSqliteLocks(db, now),
    ...createSqliteJobRuns(db, now),
    ...createSqliteRateLimits(db),
    ...signals,
    ...createSqliteReaderRecords(db, now, signals, marker),
    ...createSqliteCopy(db),
    ...createSqliteMeta(db),
    ...createSqliteDashboardStats(db),
    async migrate() {
      return { version: db.pragma('user_version', { simple: true }) as number, applied: appliedAtOpen };
    },
    async close() {
      db.close();
    },
  };
}
