/**
 * store/ owns everything paperpost keeps: subscribers, the suppression list, confirmation
 * requests, frozen issues and the papers they carried, the delivery ledger, mail events, job
 * runs, locks, rate-limit windows, and each reader's ratings and follows (issue #20).
 *
 * Its parts:
 * - roles/: one interface per aggregate (SubscriberStore, SuppressionList, Confirmations,
 *   IssueStore, DeliveryLedger, MailEvents, Locks, JobRuns, RateLimits, ReaderSignals,
 *   ReaderRecords, TableCopy, Meta, DashboardStats), so a caller asks for just what it uses
 *   (delivery sees `DeliveryLedger & Locks`).
 * - this file: `Store`, every role plus its lifecycle (migrate, close), what the composition
 *   root opens; and every type callers import from the store, re-exported from its role.
 * - sqlite/ (the default) and postgres/ (DATABASE_URL=postgres://…): one module per role each,
 *   composed by createSqliteStore / createPostgresStore, with the same semantics and the same
 *   test suite (test/store/store.test.ts runs on both). Every method is async because
 *   PostgreSQL is, though better-sqlite3 is not.
 * - shared/: what does not depend on the SQL dialect, written once: the rows both stores read
 *   and the domain objects they become (map-rows.ts), the WHERE clauses of filters
 *   (filter-sql.ts) and the subscriber import's decision loop (import-plan.ts).
 *
 * Layering: store/ imports only types.ts, errors.ts and the low folders before it in
 * eslint.config.js's order, among them subscribers/ (its consent and address rules);
 * subscribers/ never imports store/. Never deliver/, issue/, schedule/, web/ or cli/.
 */
import type { Confirmations } from './roles/confirmations.js';
import type { DashboardStats } from './roles/dashboard-stats.js';
import type { DeliveryLedger } from './roles/delivery-ledger.js';
import type { IssueStore } from './roles/issue-store.js';
import type { JobRuns } from './roles/job-runs.js';
import type { Locks } from './roles/locks.js';
import type { MailEvents } from './roles/mail-events.js';
import type { Meta } from './roles/meta.js';
import type { RateLimits } from './roles/rate-limits.js';
import type { ReaderRecords } from './roles/reader-records.js';
import type { ReaderSignals } from './roles/reader-signals.js';
import type { SubscriberStore } from './roles/subscriber-store.js';
import type { SuppressionList } from './roles/suppression-list.js';
import type { TableCopy } from './roles/table-copy.js';

export type { ConfirmOutcome, ConfirmationRequest, Confirmations } from './roles/confirmations.js';
export type { DashboardStats, IssueStats, StatusDayDelta, TopicFollowers } from './roles/dashboard-stats.js';
export type { DeliveryCounts, DeliveryLedger } from './roles/delivery-ledger.js';
export type { IssuePaper, IssueStore, StoredIssue } from './roles/issue-store.js';
export { DuplicateRunError, type JobRun, type JobRuns } from './roles/job-runs.js';
export type { Locks } from './roles/locks.js';
export type { MailEvent, MailEventFilter, MailEvents } from './roles/mail-events.js';
export type { Meta } from './roles/meta.js';
export type { RateLimits } from './roles/rate-limits.js';
export type { ReaderData, ReaderRecords } from './roles/reader-records.js';
export type { Follow, FollowKind, RatedPaper, Rating, RatingChoice, ReaderSignalSet, ReaderSignals } from './roles/reader-signals.js';
export type { ImportOutcome, SubscriberFilter, SubscriberInput, SubscriberStore } from './roles/subscriber-store.js';
export type { Suppression, SuppressionList } from './roles/suppression-list.js';
export { COPY_ORDER, COPY_TABLES, type CopyTable, type TableCopy } from './roles/table-copy.js';

/** What a store needs beyond its database and clock. */
export interface StoreOptions {
  /**
   * SECRET_KEY: it keys the hash that stays of a forgotten address
   * (subscribers/forgotten-address.ts). Without it nothing can be forgotten, and no forgotten
   * address is recognised.
   */
  secretKey?: string;
}

/** Opening and closing a store: only the composition root (and `db migrate`) needs these. */
export interface StoreLifecycle {
  /** The schema version this database is at, and the versions opening it applied just now (`db migrate`). */
  migrate(): Promise<{ version: number; applied: number[] }>;
  close(): Promise<void>;
}

/** Persistent state: every role, and the lifecycle of the database behind them. */
export interface Store
  extends SubscriberStore,
    SuppressionList,
    Confirmations,
    IssueStore,
    DeliveryLedger,
    MailEvents,
    Locks,
    JobRuns,
    RateLimits,
    ReaderSignals,
    ReaderRecords,
    TableCopy,
    Meta,
    DashboardStats,
    StoreLifecycle {}
