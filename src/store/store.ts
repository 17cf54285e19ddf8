/**
 * store/ owns everything paperpost keeps: subscribers, frozen issues and the papers they
 * carried, the delivery ledger, job runs and locks. This file is the Store interface the rest
 * of paperpost talks to; sqlite/ implements it (the default) and postgres/ beside it
 * (DATABASE_URL=postgres://…), with the same semantics and the same test suite
 * (test/store/store.test.ts runs on both). Every method is async because PostgreSQL is,
 * though better-sqlite3 is not.
 *
 * Layering: store/ imports only types.ts, errors.ts and subscribers/ domain rules (address
 * normalisation); never deliver/, issue/, schedule/, web/ or cli/.
 */
import type { Delivery, DeliveryStatus, Subscriber, SubscriberStatus } from '../types.js';

/**
 * startRun for a scheduled time that already has a run: another scheduler (or an earlier
 * start of this one) took that tick. Both stores throw it, so the scheduler need not know
 * which database said so.
 */
export class DuplicateRunError extends Error {
  constructor(readonly scheduledFor: string, options: { cause?: unknown } = {}) {
    super(`a run for ${scheduledFor} is already recorded`, options);
    this.name = 'DuplicateRunError';
  }
}

/** Fields accepted when adding or importing a subscriber. */
export interface SubscriberInput {
  email: string;
  name?: string | null;
  themes?: string[] | null;
  status?: SubscriberStatus;
  /** ISO times, kept as given by an import (an export's columns); else set by the store. */
  createdAt?: string | null;
  confirmedAt?: string | null;
  unsubscribedAt?: string | null;
}

/** One entry of the suppression list: a lowercased address, or "@domain" for a whole domain. */
export interface Suppression {
  pattern: string;
  reason: string;
  createdAt: string;
}

/** What confirming a subscription link found. */
export type ConfirmOutcome =
  /** The request was confirmed now: the subscriber is active with the request's name and themes. */
  | 'confirmed'
  /** This request was confirmed earlier. */
  | 'already-confirmed'
  /** The request is older than its expiry. */
  | 'expired'
  /** No such request for this subscriber. */
  | 'unknown';

/** An open request from the subscribe form, waiting for its link to be clicked. */
export interface ConfirmationRequest {
  nonce: string;
  subscriberId: number;
  name: string | null;
  themes: string[] | null;
  requestedAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** What an import did, row by row. */
export interface ImportOutcome {
  added: number;
  updated: number;
  /** Rows for existing subscribers that changed nothing. */
  unchanged: number;
  /** Rows kept out on purpose, with why (for example someone who unsubscribed). */
  skipped: { line: number; email: string; reason: string }[];
}

/** A stored issue: frozen at first send so a resend uses exactly the same content. */
export interface StoredIssue {
  id: string;
  /** The compiled issue as JSON (see render/compile-issue.ts). */
  frozen: string;
  createdAt: string;
  sentAt: string | null;
}

/** A paper as an issue carried it, kept so later issues know what was already sent. */
export interface IssuePaper {
  issueId: string;
  paperId: string;
  title: string;
  url: string | null;
  upvotes: number | null;
  themeLabel: string;
  /** The section's stable id (a topic id from the topic map); null for issues sent before topics. */
  themeId?: string | null;
  /** What the topic's vocabulary learns from (source keywords and abstract); empty for older issues. */
  keywords?: string[];
  abstract?: string;
}

/** One run of the daily job, for catch-up decisions and the operator's history. */
export interface JobRun {
  id: number;
  /** The cron time this run was for (ISO), or null for a manual run. */
  scheduledFor: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** 'sent', 'nothing-new', 'not-sent', 'failed', 'interrupted', or null while running. */
  outcome: string | null;
  issueId: string | null;
  detail: string | null;
}

/** A bounce, complaint or other report that arrived after a send, as recorded. */
export interface MailEvent {
  id: number;
  /** What makes a second copy of the same report change nothing (a provider's event id, a report's hash). */
  eventKey: string;
  /** Where it came in: 'smtp', 'imap', 'webhook:ses', … */
  source: string;
  /** 'bounce', 'complaint', or what an unmatched report claimed to be. */
  type: string;
  severity: 'hard' | 'soft' | null;
  issueId: string | null;
  subscriberId: number | null;
  recipient: string | null;
  /** The DSN status code (5.1.1) or the provider's. */
  status: string | null;
  diagnostic: string | null;
  occurredAt: string | null;
  receivedAt: string;
  /** What it did: 'bounced', 'soft-counted', 'complained', 'recorded' (no change: already so), 'unmatched'. */
  outcome: string;
}

/**
 * The tables `paperpost db copy` moves, in an order that respects their references. Locks and
 * rate-limit windows are not copied: they belong to running processes.
 */
export const COPY_TABLES = ['subscribers', 'issues', 'issue_papers', 'deliveries', 'runs', 'confirmations', 'suppressions', 'mail_events', 'meta'] as const;
export type CopyTable = (typeof COPY_TABLES)[number];
/** Each table's key, for reading it in a stable order. */
export const COPY_ORDER: Record<CopyTable, string> = {
  subscribers: 'id',
  issues: 'id',
  issue_papers: 'issue_id, paper_id',
  deliveries: 'issue_id, subscriber_id',
  runs: 'id',
  confirmations: 'nonce',
  suppressions: 'pattern',
  mail_events: 'id',
  meta: 'key',
};

/** Which subscribers a listing or count covers. */
export interface SubscriberFilter {
  status?: SubscriberStatus;
  /** false: only addresses not on the suppression list; true: only those on it. */
  suppressed?: boolean;
  /** Only ids from `from` (inclusive) to `to` (exclusive): one batch of a send shared by several processes. */
  idRange?: { from: number; to: number };
}

/** Counts of an issue's ledger rows by status. */
export type DeliveryCounts = Record<DeliveryStatus, number>;

/** Persistent state: subscribers, frozen issues, the delivery ledger and send locks. */
export interface Store {
  /** Adds a subscriber or updates name/themes/status of an existing one (matched by normalized email). */
  upsertSubscriber(input: SubscriberInput): Promise<{ subscriber: Subscriber; created: boolean }>;
  getSubscriberByEmail(email: string): Promise<Subscriber | null>;
  getSubscriberById(id: number): Promise<Subscriber | null>;
  /** Sets status and the matching timestamp (confirmed/unsubscribed). */
  setSubscriberStatus(id: number, status: SubscriberStatus): Promise<void>;
  setSubscriberPreferences(id: number, prefs: { name?: string | null; themes?: string[] | null }): Promise<void>;
  /**
   * Streams subscribers in id order without loading them all. `suppressed: false` leaves out
   * addresses on the suppression list, `true` yields only those.
   */
  listSubscribers(filter?: SubscriberFilter): AsyncIterable<Subscriber>;
  countSubscribers(filter?: SubscriberFilter): Promise<number>;
  /** The highest subscriber id (0 when there is none): how far the batches of a shared send reach. */
  maxSubscriberId(): Promise<number>;
  /**
   * Imports rows in one transaction: all or nothing. What a row does to an existing record is
   * decided by subscribers/decide-import.ts: an import never activates anyone who is not
   * active already, and rows that say someone left are kept as such.
   */
  importSubscribers(rows: { line: number; input: SubscriberInput }[]): Promise<ImportOutcome>;

  /** Adds entries to the suppression list; entries already there keep their first reason. */
  addSuppressions(entries: { pattern: string; reason: string }[]): Promise<{ added: number; existing: number }>;
  removeSuppression(pattern: string): Promise<boolean>;
  listSuppressions(): AsyncIterable<Suppression>;
  /** The suppression entry that covers this address (the address itself or its @domain), or null. */
  findSuppression(email: string): Promise<Suppression | null>;

  /** Records a request from the subscribe form; its nonce goes into the confirmation link. */
  createConfirmation(subscriberId: number, request: { name: string | null; themes: string[] | null }, ttlMs: number): Promise<ConfirmationRequest>;
  getConfirmation(subscriberId: number, nonce: string): Promise<ConfirmationRequest | null>;
  /**
   * Confirms one request in one transaction: the subscriber becomes active with the request's
   * name and themes, whatever their status was. This is the only way back for someone who
   * unsubscribed, bounced or complained.
   */
  confirmSubscription(subscriberId: number, nonce: string): Promise<ConfirmOutcome>;

  getIssue(id: string): Promise<StoredIssue | null>;
  /**
   * Stores the frozen issue unless one with this id exists; returns the stored one either way,
   * `created` true only for the call whose insert stored it (of several processes, exactly one).
   */
  freezeIssue(id: string, frozen: string): Promise<StoredIssue & { created: boolean }>;
  markIssueSent(id: string): Promise<void>;
  listIssues(): Promise<StoredIssue[]>;
  /** Every issue's id and dates, newest first, without its frozen content. */
  listIssueIds(): Promise<Omit<StoredIssue, 'frozen'>[]>;

  /** Records the papers an issue carries in full (once per issue; later calls are ignored). */
  recordIssuePapers(papers: IssuePaper[]): Promise<void>;
  /** Papers among `paperIds` carried by issues before `beforeIssueId`, the latest mention of each. */
  findEarlierPapers(paperIds: string[], beforeIssueId: string): Promise<Map<string, IssuePaper>>;
  /** Every paper of the `count` issues before `beforeIssueId`, newest issue first. */
  recentIssuePapers(beforeIssueId: string, count: number): Promise<IssuePaper[]>;
  /** Frozen issues whose deliveries are not all final (a run was cut short or left some deferred). */
  listUnfinishedIssues(): Promise<StoredIssue[]>;

  /** Starts a run record; returns its id. Throws DuplicateRunError when `scheduledFor` has a run already. */
  startRun(scheduledFor: string | null): Promise<number>;
  finishRun(id: number, outcome: string, issueId: string | null, detail: string | null): Promise<void>;
  /** The run recorded for this scheduled time, if any (a catch-up happens at most once). */
  findRunFor(scheduledFor: string): Promise<JobRun | null>;
  lastRuns(count: number): Promise<JobRun[]>;

  getDelivery(issueId: string, subscriberId: number): Promise<Delivery | null>;
  /** Records an attempt before the message goes out (status queued, attempts + 1). */
  beginDelivery(issueId: string, subscriberId: number, messageId: string): Promise<Delivery>;
  /** Records the outcome of an attempt. */
  finishDelivery(issueId: string, subscriberId: number, status: DeliveryStatus, response: string | null): Promise<void>;
  countDeliveries(issueId: string): Promise<DeliveryCounts>;
  /** The ledger rows of these subscribers for an issue, by subscriber id (those that exist). */
  getDeliveries(issueId: string, subscriberIds: number[]): Promise<Map<number, Delivery>>;
  /** beginDelivery for each row, in one transaction: all are queued before any of them goes out. */
  beginDeliveries(issueId: string, rows: { subscriberId: number; messageId: string }[]): Promise<void>;
  /** finishDelivery for each row, in one transaction. */
  finishDeliveries(issueId: string, rows: { subscriberId: number; status: DeliveryStatus; response: string | null }[]): Promise<void>;
  /**
   * Undoes beginDeliveries for rows that were never attempted (the run stopped first), in one
   * transaction: a row that did not exist before is removed, any other gets back its status,
   * attempts, response and time as `previous` had them.
   */
  restoreDeliveries(issueId: string, rows: { subscriberId: number; previous: Delivery | null }[]): Promise<void>;

  /**
   * Takes a named lock for `ttlMs` unless a live holder has it. Returns false when held.
   * A holder that dies stops renewing, and its lock expires.
   */
  acquireLock(name: string, holder: string, ttlMs: number): Promise<boolean>;
  renewLock(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Records a mail event unless one with its key exists; `recorded` false means a repeat (change nothing). */
  recordMailEvent(event: Omit<MailEvent, 'id' | 'receivedAt'>): Promise<{ recorded: boolean; event: MailEvent }>;
  /** Sets what a recorded event did, once its rules have run. */
  setMailEventOutcome(id: number, outcome: string): Promise<void>;
  /** Events, newest first: since a time, for a subscriber or an issue. */
  listMailEvents(filter?: { since?: string; subscriberId?: number; issueId?: string; limit?: number }): Promise<MailEvent[]>;
  /** Distinct issues with a soft bounce for this subscriber since `since` (soft bounces count per issue, not per retry). */
  countSoftBounceIssues(subscriberId: number, since: string): Promise<number>;
  /** Per issue: subscribers with a hard bounce, a soft bounce, a complaint. */
  mailEventCounts(issueId: string): Promise<{ hard: number; soft: number; complaints: number }>;
  /** The delivery that carried this Message-ID, or null. */
  findDeliveryByMessageId(messageId: string): Promise<Delivery | null>;

  /**
   * Counts one hit on a rate-limit key in a fixed window that its first hit opens (at `nowMs`,
   * the web's clock); a window older than `windowMs` starts again. Every web instance on the
   * database shares the counts.
   */
  hitRateLimit(key: string, windowMs: number, nowMs: number): Promise<{ windowStart: number; count: number }>;

  /** The schema version this database is at, and the versions opening it applied just now (`db migrate`). */
  migrate(): Promise<{ version: number; applied: number[] }>;
  /** Rows of one table as stored (column → value), `limit` from `offset` in key order (`db copy`). */
  readRows(table: CopyTable, offset: number, limit: number): Promise<Record<string, unknown>[]>;
  /** Writes rows read by readRows of another store, ids included, in one transaction. */
  writeRows(table: CopyTable, rows: Record<string, unknown>[]): Promise<void>;
  countRows(table: CopyTable): Promise<number>;
  /** After writeRows: new rows get ids after the copied ones (PostgreSQL's identity sequences). */
  finishCopy(): Promise<void>;

  /** A value of the key-value table one-off data migrations keep their state in, or null. */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;

  /** Who holds a lock now, or null. */
  lockHolder(name: string): Promise<string | null>;
  releaseLock(name: string, holder: string): Promise<void>;

  close(): Promise<void>;
}
