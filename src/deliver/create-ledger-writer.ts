/**
 * Every ledger write of one delivery run, batched so the ledger keeps up with a fast mail
 * server (thousands of messages a second) without giving up its promise: a rerun after a
 * crash sends only what is not recorded as sent, and at any moment at most one message per
 * connection has reached the server unrecorded, as with one write per message.
 *
 * - Before: a batch of subscribers is queued (status queued, attempts + 1) in one
 *   transaction before any of them goes out (`queue`); a retry queues its one row (`begin`).
 * - After: a message the server accepted is recorded write-behind (`record`): outcomes
 *   gather during one turn of the event loop and are written in one transaction at its end.
 *   One write runs at a time (WRITES_IN_FLIGHT); a write waiting for its turn takes every
 *   outcome gathered until it starts (group commit). On PostgreSQL a commit costs the server
 *   about 0.3 ms of CPU and waits for the disk: while one commits, the outcomes of the other
 *   connections gather for the next, so a send makes a third of a commit per message rather
 *   than two thirds (bench/ledger-writes.bench.mjs: 1.2× the rate with one sender, 2× with
 *   three). On SQLite a write is done before the next can start, so nothing changes there.
 * - The rule that ties them together (`beforeData`): the transport calls it just before a
 *   message's data goes out, and the data waits until the outcomes gathered so far are
 *   written (every write under way, and the one that takes what has gathered). A
 *   connection's next message therefore never leaves while the outcome of its previous one
 *   is unrecorded.
 * - Final failures are written at once (`finish`, `bounce`); rows queued but never tried
 *   when the run stops are put back as they were (`restore`).
 *
 * A write-behind failure cannot throw at the message that caused it: it is handed to
 * `onError`, and the run stops taking work (deliver-issue.ts).
 */
import type { Delivery, DeliveryStatus } from '../types.js';
import type { LedgerWriterStore } from './delivery-store-needs.js';

/**
 * Outcome writes under way at once, at most (each holds a database connection until it
 * commits). One: more in flight made more, smaller commits, and the server's CPU per commit,
 * not the wait for the disk, limits a send on PostgreSQL (see the file comment).
 */
export const WRITES_IN_FLIGHT = 1;

/** One outcome waiting to be written. */
interface Outcome {
  subscriberId: number;
  status: DeliveryStatus;
  response: string | null;
  relay?: string;
}

/** The ledger writes of one run of one issue. */
export interface LedgerWriter {
  /** Queues these subscribers' deliveries (attempt + 1) in one transaction, before any goes out. */
  queue(rows: { subscriberId: number; messageId: string }[]): Promise<void>;
  /** Queues one delivery again before a retry. */
  begin(subscriberId: number, messageId: string): Promise<void>;
  /** Records an outcome write-behind, with the relay that took the message: written with the others of this turn of the event loop. */
  record(subscriberId: number, status: DeliveryStatus, response: string | null, relay?: string): void;
  /**
   * Starts writing the outcomes gathered so far (or leaves them to the write waiting for its
   * turn, which takes them); returns the promise of the writes under way, or undefined when
   * none is (the transport then sends at once). Pass it as `beforeData`.
   */
  flush(): Promise<void> | undefined;
  /** Records a final outcome now (deferred after the last attempt, or a fatal failure). */
  finish(subscriberId: number, status: DeliveryStatus, response: string | null): Promise<void>;
  /** Records a permanent failure and marks the subscriber bounced. */
  bounce(subscriberId: number, response: string): Promise<void>;
  /** Puts rows queued by `queue` and never tried back as `previous` had them. */
  restore(rows: { subscriberId: number; previous: Delivery | null }[]): Promise<void>;
}

/**
 * Builds the writer of one run; `onError` gets a write-behind failure (the first stops the run).
 * `writesInFlight` (default WRITES_IN_FLIGHT; 1 writes one at a time) is for the ledger bench.
 */
export function createLedgerWriter(store: LedgerWriterStore, issueId: string, onError: (e: unknown) => void, writesInFlight = WRITES_IN_FLIGHT): LedgerWriter {
  // Outcomes waiting to be written, and the writes under way (at most WRITES_IN_FLIGHT run; the rest wait for a slot).
  let outcomes: Outcome[] = [];
  const writes = new Set<Promise<void>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = (): Promise<void> => (running < writesInFlight ? (running++, Promise.resolve()) : new Promise((resolve) => waiting.push(resolve)));
  // A freed slot goes to the next write waiting, if any.
  const free = () => void (waiting.length ? waiting.shift()!() : running--);
  let flushScheduled = false;
  // A write waiting for a slot: it takes the outcomes when it gets one, so every outcome
  // gathered meanwhile goes in the same transaction (group commit) rather than in a write of its own.
  let unstarted = false;

  const flush = (): Promise<void> | undefined => {
    if (outcomes.length && !unstarted) {
      unstarted = true;
      const write: Promise<void> = slot()
        .then(() => {
          unstarted = false;
          const rows = outcomes;
          outcomes = [];
          return store.finishDeliveries(issueId, rows).finally(free);
        })
        .catch(onError)
        .finally(() => writes.delete(write));
      writes.add(write);
    }
    if (writes.size === 0) return undefined;
    return writes.size === 1 ? writes.values().next().value : Promise.all(writes).then(() => undefined);
  };
  const flushAtEndOfTurn = () => {
    flushScheduled = false;
    void flush();
  };

  return {
    queue: (rows) => store.beginDeliveries(issueId, rows),
    begin: async (subscriberId, messageId) => void (await store.beginDelivery(issueId, subscriberId, messageId)),
    record(subscriberId, status, response, relay) {
      outcomes.push(relay === undefined ? { subscriberId, status, response } : { subscriberId, status, response, relay });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAtEndOfTurn);
      }
    },
    flush,
    finish: (subscriberId, status, response) => store.finishDelivery(issueId, subscriberId, status, response),
    async bounce(subscriberId, response) {
      await store.finishDelivery(issueId, subscriberId, 'failed', response);
      await store.setSubscriberStatus(subscriberId, 'bounced');
    },
    restore: (rows) => store.restoreDeliveries(issueId, rows),
  };
}
