/**
 * The Pacer port: when the dispatcher (dispatch-jobs.ts) may try a message, and what it
 * hears back. The dispatcher owns the worker pool and the retry policy; how fast messages
 * may go, and to whom, is the pacer's alone, so pacing can change without touching the
 * ledger or the retries.
 *
 * Today one pacer paces the whole run (create-rate-pacer.ts: RATE_PER_SEC across all
 * connections). Pacing per receiving domain (issue #23) is another implementation of this
 * port, with nothing else changed:
 * - `acquire` finds the job's domain (or provider group) and waits for that queue's turn:
 *   its own concurrency, its own rate, and any pause a reply asked for;
 * - `release` frees the job's place in its domain's concurrency;
 * - `onOutcome` hears every reply: a 421 or 4.x.x halves that domain's rate, "try again in
 *   N seconds" pauses it for that long (the dispatcher's retry then waits in `acquire`, so
 *   no retry goes sooner than asked), and successes bring the rate back step by step.
 *
 * The calls are per attempt and on the hot path: `acquire` returns undefined when the
 * attempt may go at once, so a pacer with nothing to wait for costs no promise.
 *
 * A worker waits in `acquire` with its job. That is right for one rate (every job waits
 * alike), but with a queue per domain a throttled domain's jobs would hold workers that
 * other domains could use. So when #23 adds its pacer, the dispatcher also learns to let
 * `acquire` keep a job for later (its domain's queue) and take the next one, and to put
 * back the jobs a pacer still keeps when the run stops. That is a change to the dispatcher's
 * worker loop, not to this port's callers elsewhere.
 */
import type { FailureKind } from './transport.js';
import type { Job } from './create-job-source.js';

/** How one attempt ended: accepted, or the transport's classification of its failure. */
export type AttemptOutcome = 'sent' | FailureKind;

/** Decides when each attempt may go; see the file comment. */
export interface Pacer {
  /** Before each attempt of `job`: undefined to go at once, or a promise that settles when it may go. */
  acquire(job: Job): Promise<void> | undefined;
  /** After each attempt of `job`, whatever its outcome (also when it threw): frees what `acquire` took. */
  release(job: Job): void;
  /** The outcome of each attempt of `job` and the server's reply (or the failure's text), before `release`. */
  onOutcome(job: Job, outcome: AttemptOutcome, reply: string | null): void;
}
