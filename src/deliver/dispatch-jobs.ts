/**
 * The dispatcher: a pool of workers that take jobs from the job source and send them, and
 * the retry policy that decides what each failure means. It is apart from where jobs come
 * from (create-job-source.ts), how fast they may go and to whom (the Pacer, pacer.ts: a queue
 * per receiving domain, create-domain-pacer.ts) and how outcomes are written
 * (create-ledger-writer.ts), so each can change alone.
 *
 * 1. As many workers as the transport takes messages at once. Each takes, in this order: a
 *    job the pacer hands back (its turn has come), else the next job from the source (waiting
 *    for a batch when none is ready), else waits for the pacer while it keeps jobs; until
 *    nothing is left or the run is stopping. While the pacer keeps MAX_KEPT jobs (a throttled
 *    domain's), no more are taken from the source: their composed messages are in memory.
 * 2. Each attempt asks the pacer first. A pacer may keep the job for later (its domain's queue
 *    is full, slowed or paused) and the worker goes on with another one. A job the pacer held,
 *    and every retry, is checked again first when its reader's last check is older than
 *    RECHECK_MS (create-job-source.ts, step 4): in one query with the other readers held
 *    whose check is as old, RECHECK_GROUP at most. A reader who left meanwhile (unsubscribed,
 *    bounced, complained, suppressed, forgotten) is not mailed: the ledger row is put back as
 *    it was and they count as `leftMeanwhile`, as with the source's own check. The attempt is
 *    queued in the ledger (the first was queued with its batch) and goes out with the
 *    ledger's `beforeData` rule.
 * 3. Accepted: recorded write-behind, with the relay that took it. Temporary failure: retried
 *    after exponential backoff with full jitter, capped at `retryMaxMs`, and no sooner than the
 *    server asked (the pacer keeps the job that long), up to `maxAttempts`, then left deferred
 *    for the next run. Permanent (the address refused): recorded failed and the subscriber
 *    bounced. Fatal (auth, TLS, the sender or the message refused): recorded deferred, never
 *    bounced, and the run stops; so it does after UNREACHABLE_LIMIT failures in
 *    a row to open a session at all (a dead server is not tried once per message).
 * 4. The run is stopping when a fatal failure was seen, the signal aborted, or `halted()` (a
 *    store failure elsewhere, a guardrail): no new work is taken; attempts in flight finish.
 *    Jobs the pacer still keeps then, or hands back as `closed` (their domain asked for a
 *    longer wait than the run allows), are set aside: those tried before are recorded
 *    deferred, the others returned as `untried`, to be put back as they were.
 */
import { SendFailure, type Transport } from './transport.js';
import type { Subscriber } from '../types.js';
import { RECHECK_GROUP, RECHECK_MS, type Job, type JobSource } from './create-job-source.js';
import type { LedgerWriter } from './create-ledger-writer.js';
import type { DeliveryProgress } from './delivery-progress.js';
import type { AttemptOutcome, Pacer, Resume } from './pacer.js';

/** Failures in a row to open a session at all after which the server counts as down for this run. */
export const UNREACHABLE_LIMIT = 3;
/** Different readers in a row refused at RCPT TO by policy (5.7.x) after which the run stops: it is the sender, not them. */
export const POLICY_LIMIT = 3;
/** Jobs the pacer may keep before workers stop taking new ones from the source (memory). */
export const MAX_KEPT = 1024;

/** What the dispatcher works with. */
export interface DispatchOptions {
  source: Pick<JobSource, 'take' | 'pending' | 'fill' | 'recheck'>;
  ledger: Pick<LedgerWriter, 'begin' | 'record' | 'flush' | 'finish' | 'bounce'>;
  pacer: Pacer;
  transport: Transport;
  issueId: string;
  from: string;
  envelopeFrom?: (subscriber: Subscriber) => string;
  maxAttempts: number;
  /** Base of the exponential backoff between attempts, in ms. */
  retryBaseMs: number;
  /** The longest backoff between two attempts, in ms (default: no cap). */
  retryMaxMs?: number;
  sleep: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** True when the run must stop for a reason outside the dispatcher (a failed store write, a guardrail). */
  halted: () => boolean;
  /** Each message's final outcome in this run: sent, permanent (bounced) or deferred. */
  onFinal?: (outcome: AttemptOutcome | 'deferred') => void;
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
  /** Jobs never tried in this run that the pacer kept when it stopped (or closed): to put back as they were. Absent when none. */
  untried?: Job[];
}

/** Runs the workers until the jobs are done or the run stops; see the file comment for the steps. */
export async function dispatchJobs(o: DispatchOptions): Promise<DispatchResult> {
  const p = o.progress;
  const { ledger, pacer, transport, source } = o;
  const beforeData = ledger.flush;
  let fatal: SendFailure | null = null;
  let unreachableInARow = 0;
  // Readers in a row refused at RCPT TO by policy (a temporary failure with a 5xx code: create-smtp-pool-transport.ts).
  let policyInARow = new Set<number>();
  let stoppedEarly = false;
  const stopping = () => fatal !== null || o.signal?.aborted === true || o.halted();
  /** Attempts made and the last failure, of jobs that failed and wait for another attempt. */
  const tried = new Map<Job, { attempts: number; lastError: string }>();
  /** Jobs the pacer handed back: to send now (their place taken), or set aside (closed). */
  const ready: { job: Job; verdict: 'go' | 'closed' }[] = [];
  const untried: Job[] = [];
  let kept = 0;
  /** Jobs the pacer keeps now; of those, and of those it handed back, the readers found gone (rows already put back). */
  const held = new Set<Job>();
  const gone = new Set<Job>();
  /** Jobs in a check under way (2.), and the check. */
  const checking = new Map<Job, Promise<void>>();
  const idle: (() => void)[] = [];
  const resume: Resume = (job, verdict) => {
    kept--;
    held.delete(job);
    ready.push({ job, verdict });
    idle.shift()?.();
  };
  const keep = (job: Job) => {
    kept++;
    held.add(job);
  };
  /** Waits for the pacer to hand a job back, looking at `stopping()` now and then. */
  const waitForPacer = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const i = idle.indexOf(done);
        if (i >= 0) idle.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, 250);
      idle.push(done);
    });

  /**
   * 2. True when `job`'s reader may still be mailed: checked again when the last check is older
   * than RECHECK_MS, together with the readers held (or handed back) whose check is as old.
   * A store failure throws (the run stops).
   */
  const stillMailable = async (job: Job): Promise<boolean> => {
    for (let c = checking.get(job); c; c = checking.get(job)) await c;
    const t = performance.now();
    const stale = (j: Job) => (j.checkedAt ?? -Infinity) < t - RECHECK_MS && !checking.has(j) && !gone.has(j);
    if (stale(job)) {
      const group = new Set([job]);
      for (const r of ready) if (group.size < RECHECK_GROUP && r.verdict === 'go' && stale(r.job)) group.add(r.job);
      for (const j of held) {
        if (group.size >= RECHECK_GROUP) break;
        if (stale(j)) group.add(j);
      }
      const check = source
        .recheck([...group])
        .then((left) => {
          for (const j of left) gone.add(j);
        })
        .finally(() => {
          for (const j of group) checking.delete(j);
        });
      for (const j of group) checking.set(j, check);
      await check;
    }
    if (!gone.delete(job)) return true;
    tried.delete(job);
    return false;
  };

  /** A job that will not be tried again in this run: deferred if it was tried, else back as it was (a reader found gone: already put back). */
  const setAside = async (job: Job, why: string | null) => {
    if (gone.delete(job)) return void tried.delete(job);
    const t = tried.get(job);
    if (!t) return void untried.push(job);
    tried.delete(job);
    await ledger.finish(job.sub.id, 'deferred', why ? `${t.lastError}; ${why}` : t.lastError);
    p.deferred++;
    o.onFinal?.('deferred');
  };

  // 2–3. Attempts of one job that holds its place; returns when it is done or kept for a retry.
  // `waited`: the job waited (in the pacer, or for its backoff), so its reader is checked again first.
  const deliverOne = async (job: Job, waited: boolean) => {
    const { sub, messageId, message } = job;
    const uncertain = job.previous?.status === 'queued';
    for (;; waited = true) {
      if (waited) {
        let mailable: boolean;
        try {
          mailable = await stillMailable(job);
        } catch {
          // The store failed (the run stops): not sent, set aside as any job the run leaves.
          pacer.release(job);
          return setAside(job, null);
        }
        if (!mailable) return pacer.release(job);
      }
      const attempt = (tried.get(job)?.attempts ?? 0) + 1;
      let response = '';
      let relay: string | undefined;
      let failure: SendFailure | null = null;
      try {
        if (attempt > 1) await ledger.begin(sub.id, messageId);
        try {
          ({ response, relay } = await transport.send({
            from: o.envelopeFrom ? o.envelopeFrom(sub) : o.from,
            to: sub.email,
            messageId,
            raw: message.raw,
            meta: { issueId: o.issueId, subscriberId: sub.id, subject: message.subject, html: message.html },
            beforeData,
          }));
        } catch (e) {
          failure = e instanceof SendFailure ? e : new SendFailure('temporary', e instanceof Error ? e.message : String(e));
        }
        // A session that could not be opened (the relay refused it, even with "421 … try again
        // in 60 seconds") says nothing about this message's domain: the pacer hears no reply.
        pacer.onOutcome(job, failure ? failure.kind : 'sent', failure ? (failure.unreachable ? null : failure.message) : response);
      } finally {
        pacer.release(job);
      }
      if (failure === null) {
        // The server has every byte: the message's slab space may be written again (a failed
        // attempt's bytes may still sit in a dropped connection's queue, so they are never reused).
        message.release?.();
        ledger.record(sub.id, 'sent', response, relay);
        tried.delete(job);
        unreachableInARow = 0;
        if (policyInARow.size) policyInARow = new Set();
        p.sent++;
        if (uncertain) p.resent++;
        o.onFinal?.('sent');
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
      // One reader's server may refuse them by policy; POLICY_LIMIT readers in a row is the relay refusing the sender.
      if (failure.kind === 'temporary' && (failure.responseCode ?? 0) >= 500) {
        policyInARow.add(sub.id);
        if (policyInARow.size >= POLICY_LIMIT) {
          failure = new SendFailure(
            'fatal',
            `the relay refused ${policyInARow.size} readers in a row by policy, so it refuses the sender, not their addresses: ${failure.message}`,
            failure.responseCode,
            "no reader was marked bounced; fix the sender (MAIL_FROM, the user and password in SMTP_URL) or what the relay's policy refuses, then rerun to send the rest",
          );
        }
      } else policyInARow = new Set();
      if (failure.kind === 'permanent') {
        tried.delete(job);
        await ledger.bounce(sub.id, failure.message);
        p.failed++;
        o.onFinal?.('permanent');
        return;
      }
      if (failure.kind === 'fatal' || attempt >= o.maxAttempts || stopping()) {
        tried.delete(job);
        await ledger.finish(sub.id, 'deferred', failure.message);
        if (failure.kind === 'fatal') fatal ??= failure;
        p.deferred++;
        o.onFinal?.('deferred');
        return;
      }
      tried.set(job, { attempts: attempt, lastError: failure.message });
      // Exponential backoff with full jitter, so pooled workers do not retry in lockstep.
      const delay = Math.random() * Math.min(o.retryMaxMs ?? Infinity, o.retryBaseMs * 2 ** (attempt - 1));
      if (pacer.retryLater) {
        keep(job);
        pacer.retryLater(job, delay, resume);
        return;
      }
      await o.sleep(delay);
      const turn = pacer.acquire(job);
      if (turn && turn !== 'kept') await turn;
    }
  };

  // 1, 4.
  const worker = async () => {
    for (;;) {
      if (stopping()) {
        stoppedEarly = true;
        return;
      }
      const back = ready.shift();
      if (back) {
        if (back.verdict === 'closed') await setAside(back.job, 'its domain asked for a longer wait than this run allows');
        else await deliverOne(back.job, true);
        o.onProgress?.({ ...p });
        continue;
      }
      let job: Job | undefined;
      if (kept < MAX_KEPT) {
        job = source.take();
        while (!job && source.pending()) {
          await source.fill();
          if (stopping()) break;
          job = source.take();
        }
      }
      if (job) {
        const turn = pacer.acquire(job, resume);
        if (turn === 'kept') {
          keep(job);
          continue;
        }
        if (turn) await turn;
        await deliverOne(job, false);
        o.onProgress?.({ ...p });
        continue;
      }
      if (stopping()) {
        stoppedEarly = true;
        return;
      }
      if (kept > 0) {
        if (ready.length === 0) await waitForPacer();
        continue;
      }
      if (ready.length === 0) return;
    }
  };
  const wakeAll = () => {
    for (const w of idle.splice(0)) w();
  };
  o.signal?.addEventListener('abort', wakeAll, { once: true });
  try {
    await Promise.all(Array.from({ length: Math.max(1, transport.concurrency) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', wakeAll);
  }

  // 4. What the pacer still keeps, and what it handed back that no worker took.
  const left = pacer.drain?.() ?? [];
  for (const { job, verdict } of ready.splice(0)) {
    if (verdict === 'go') pacer.release(job);
    left.push(job);
  }
  for (const job of left) await setAside(job, stopping() ? null : 'its domain asked for a longer wait than this run allows');
  if (left.length) stoppedEarly = true;
  return untried.length ? { fatal, stoppedEarly, untried } : { fatal, stoppedEarly };
}
