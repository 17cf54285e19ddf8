/**
 * The queue several senders share an issue through (PostgreSQL only; SQLite keeps one sender
 * per issue under the issue's lock). An issue's active subscribers are cut into batches of
 * consecutive ids; each process claims one batch at a time, runs the ledger loop on it
 * (deliver-issue.ts with `idRange`) and completes it. A claim is a lease: a process that
 * dies stops answering for it, and after the lease another process takes the batch over.
 *
 * This file is the contract; create-pg-boss-send-queue.ts implements it on pg-boss, and
 * deliver-in-batches.ts is the loop that uses it.
 */

/** One batch of subscriber ids a process has claimed: ids from `from` (inclusive) to `to` (exclusive). */
export interface BatchClaim {
  id: string;
  from: number;
  to: number;
}

/** Batches of an issue's subscribers, claimed by one process at a time. */
export interface SendQueue {
  /** Subscriber ids per batch. */
  readonly batchSize: number;
  /** How long a claim holds without its process (seconds); also the TTL of the batch's lock. */
  readonly leaseSeconds: number;
  /**
   * Joins the issue's round of batches under way, or starts a new round (every batch of ids
   * 1 to `maxSubscriberId`) when none is. Every process may call it at once: a round's
   * batches are enqueued under unique keys, and duplicates are ignored. With `joinOnly`,
   * no new round is started. Returns whether a round is under way.
   */
  open(issueId: string, maxSubscriberId: number, options?: { joinOnly?: boolean }): Promise<boolean>;
  /** Claims the next batch nobody holds, or null when none is waiting now. */
  claim(issueId: string): Promise<BatchClaim | null>;
  /** The batch is done (every subscriber in it has a final or deferred ledger row): nobody claims it again. */
  complete(issueId: string, claim: BatchClaim): Promise<void>;
  /** Gives a batch back unfinished (stopped, or its lock is held elsewhere): another claim may take it in a moment. */
  release(issueId: string, claim: BatchClaim): Promise<void>;
  /** Batches of the round not done yet: waiting, or claimed by a process, alive or not. */
  pending(issueId: string): Promise<number>;
  close(): Promise<void>;
}
