/**
 * The Pacer port: when the dispatcher (dispatch-jobs.ts) may try a message, and what it
 * hears back. The dispatcher owns the worker pool and the retry policy; how fast messages
 * may go, and to whom, is the pacer's alone, so pacing can change without touching the
 * ledger or the retries.
 *
 * Two implementations:
 * - create-rate-pacer.ts: one rate for the whole run (SEND_RATE_PER_SEC across all
 *   connections). Its `acquire` makes the worker wait.
 * - create-domain-pacer.ts (the run's default): a queue per receiving domain or provider
 *   group, each with its own concurrency and rate, slowed by the replies it hears. Its
 *   `acquire` keeps a job whose queue cannot take it now (`'kept'`) and hands it back later
 *   through `resume`, so the worker takes the next job: other domains never wait behind a
 *   throttled one. Its `retryLater` keeps a job that failed for its retry, for no less than
 *   the backoff and any pause its queue's server asked for.
 *
 * The calls are per attempt and on the hot path: `acquire` returns undefined when the
 * attempt may go at once, so a pacer with nothing to wait for costs no promise.
 */
import type { FailureKind } from './transport.js';
import type { Job } from './create-job-source.js';

/** How one attempt ended: accepted, or the transport's classification of its failure. */
export type AttemptOutcome = 'sent' | FailureKind;

/**
 * Hands a kept job back. `go`: its place is taken, send it now. `closed`: its queue takes
 * nothing more in this run (a server asked for a wait longer than the run allows); no place
 * is taken, and the job waits for the next run.
 */
export type Resume = (job: Job, verdict: 'go' | 'closed') => void;

/** Decides when each attempt may go; see the file comment. */
export interface Pacer {
  /**
   * Before each attempt of `job`: undefined to go at once, a promise that settles when it may
   * go, or `'kept'` when the pacer keeps the job and will hand it back through `resume`
   * (only when `resume` is given).
   */
  acquire(job: Job, resume?: Resume): Promise<void> | undefined | 'kept';
  /** After each attempt of `job`, whatever its outcome (also when it threw): frees what `acquire` took. */
  release(job: Job): void;
  /** The outcome of each attempt of `job` and the server's reply (or the failure's text), before `release`. */
  onOutcome(job: Job, outcome: AttemptOutcome, reply: string | null): void;
  /**
   * Keeps a job that failed for its next attempt, handed back through `resume` no sooner than
   * `delayMs` and any pause its queue has. Without it, the dispatcher waits `delayMs` in the
   * worker and calls `acquire` again.
   */
  retryLater?(job: Job, delayMs: number, resume: Resume): void;
  /** How many jobs the pacer keeps now (all will be handed back unless the run stops). */
  waiting?(): number;
  /** The run stops: hands back nothing more, and returns the jobs it still keeps. */
  drain?(): Job[];
}
