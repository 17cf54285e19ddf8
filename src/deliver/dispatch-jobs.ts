/**
 * The dispatcher: a pool of workers that take jobs from the job source and send them, and
 * the retry policy that decides what each failure means. It is apart from where jobs come
 * from (create-job-source.ts), how fast they may go (the Pacer, pacer.ts) and how outcomes
 * are written (create-ledger-writer.ts), so each can change alone.
 *
 * 1. As many workers as the transport takes messages at once; each takes the next job,
 *    waiting for a batch when none is ready, until none is left or the run is stopping.
 * 2. Each attempt waits for the pacer, is queued in the ledger (the first attempt was queued
 *    with its batch), and goes out with the ledger's `beforeData` rule.
 * 3. Accepted: recorded write-behind. Temporary failure: retried after exponential backoff
 *    with full jitter, up to `maxAttempts`, then left deferred for the next run. Permanent:
 *    recorded failed and the subscriber bounced. Fatal (auth, TLS): recorded deferred and
 *    the run stops; so it does after UNREACHABLE_LIMIT failures in a row to open a session
 *    at all (a dead server is not tried once per message).
 * 4. The run is stopping when a fatal failure was seen, the signal aborted, or `halted()`
 *    (a store failure elsewhere): no new work is taken; attempts in flight finish.
 */
import { SendFailure, type Transport } from './transport.js';
import type { Subscriber } from '../types.js';
import type { Job, JobSource } from './create-job-source.js';
import type { LedgerWriter } from './create-ledger-writer.js';
import type { DeliveryProgress } from './delivery-progress.js';
import type { Pacer } from './pacer.js';

/** Failures in a row to open a session at all after which the server counts as down for this run. */
export const UNREACHABLE_LIMIT = 3;

/** What the dispatcher works with. */
export interface DispatchOptions {
  source: Pick<JobSource, 'take' | 'pending' | 'fill'>;
  ledger: Pick<LedgerWriter, 'begin' | 'record' | 'flush' | 'finish' | 'bounce'>;
  pacer: Pacer;
  transport: Transport;
  issueId: string;
  from: string;
  envelopeFrom?: (subscriber: Subscriber) => string;
  maxAttempts: number;
  /** Base of the exponential backoff between attempts, in ms. */
  retryBaseMs: number;
  sleep: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** True when the run must stop for a reason outside the dispatcher (a failed store write). */
  halted: () => boolean;
  /** `sent`, `deferred`, `failed`, `resent` and `lastError` are counted here. */
  progress: DeliveryProgress;
  onProgress?: (p: DeliveryProgress) => void;
}

/** How the workers ended. */
export interface DispatchResult {
  /** The failure that stopped the run, if one did. */
  fatal: SendFailure | null;
  /** True when workers stopped with work possibly left (stopping). */
  stoppedEarly: boolean;
}

/** Runs the workers until the jobs are done or the run stops; see the file comment for the steps. */
export async function dispatchJobs(o: DispatchOptions): Promise<DispatchResult> {
  const p = o.progress;
  const { ledger, pacer, transport, source } = o;
  const beforeData = ledger.flush;
  let fatal: SendFailure | null = null;
  let unreachableInARow = 0;
  let stoppedEarly = false;
  const stopping = () => fatal !== null || o.signal?.aborted === true || o.halted();

  // 2–3.
  const deliverOne = async (job: Job) => {
    const { sub, messageId, message } = job;
    const uncertain = job.previous?.status === 'queued';
    for (let attempt = 1; ; attempt++) {
      const turn = pacer.acquire(job);
      if (turn) await turn;
      let response = '';
      let failure: SendFailure | null = null;
      try {
        if (attempt > 1) await ledger.begin(sub.id, messageId);
        try {
          response = (
            await transport.send({
              from: o.envelopeFrom ? o.envelopeFrom(sub) : o.from,
              to: sub.email,
              messageId,
              raw: message.raw,
              meta: { issueId: o.issueId, subscriberId: sub.id, subject: message.subject, html: message.html },
              beforeData,
            })
          ).response;
        } catch (e) {
          failure = e instanceof SendFailure ? e : new SendFailure('temporary', e instanceof Error ? e.message : String(e));
        }
        pacer.onOutcome(job, failure ? failure.kind : 'sent', failure ? failure.message : response);
      } finally {
        pacer.release(job);
      }
      if (failure === null) {
        ledger.record(sub.id, 'sent', response);
        unreachableInARow = 0;
        p.sent++;
        if (uncertain) p.resent++;
        return;
      }
      p.lastError = failure.message;
      if (failure.unreachable && failure.kind === 'temporary' && ++unreachableInARow >= UNREACHABLE_LIMIT) {
        failure = new SendFailure(
          'fatal',
          `cannot reach the mail server: ${failure.message} (${unreachableInARow} attempts in a row)`,
          failure.responseCode,
          'check SMTP_URL and that the mail server is up; the rest stay queued for the next run',
          true,
        );
      } else if (!failure.unreachable) unreachableInARow = 0;
      if (failure.kind === 'permanent') {
        await ledger.bounce(sub.id, failure.message);
        p.failed++;
        return;
      }
      if (failure.kind === 'fatal') {
        await ledger.finish(sub.id, 'deferred', failure.message);
        fatal ??= failure;
        p.deferred++;
        return;
      }
      if (attempt >= o.maxAttempts || stopping()) {
        await ledger.finish(sub.id, 'deferred', failure.message);
        p.deferred++;
        return;
      }
      // Exponential backoff with full jitter, so pooled workers do not retry in lockstep.
      await o.sleep(Math.random() * o.retryBaseMs * 2 ** (attempt - 1));
    }
  };

  // 1, 4.
  const worker = async () => {
    for (;;) {
      if (stopping()) {
        stoppedEarly = true;
        return;
      }
      let job = source.take();
      while (!job && source.pending()) {
        await source.fill();
        if (stopping()) break;
        job = source.take();
      }
      if (!job) {
        if (stopping()) stoppedEarly = true;
        return;
      }
      await deliverOne(job);
      o.onProgress?.({ ...p });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, transport.concurrency) }, worker));
  return { fatal, stoppedEarly };
}
