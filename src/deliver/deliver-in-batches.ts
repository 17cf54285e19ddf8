/**
 * Delivers one issue together with any number of other processes (`send` or `schedule`, on
 * any hosts) on one PostgreSQL database: each claims batches of subscriber ids from the send
 * queue (send-queue.ts) and runs deliver-issue.ts on each, under the batch's lock instead of
 * the issue's: the batch's range of ids is then all the job source reads
 * (create-job-source.ts, `idRange`). The ledger keeps its rules per subscriber, so a message
 * that may have gone out (a queued row left by a process that died) is resent under the
 * same Message-ID by whoever finishes that batch.
 *
 * 1. Join the issue's round of batches, or start one (every process may try; duplicates are
 *    ignored).
 * 2. Claim a batch; deliver to it; complete it. A batch whose lock another live process holds
 *    (its claim outlived the lease) is given back for later; one this process stopped in
 *    (abort, --limit, a fatal SMTP failure) is given back for another process to finish.
 * 3. No batch to claim: while some are still claimed (by live processes, or by dead ones whose
 *    lease runs out), wait and look again; when none is left, stop.
 * 4. Mark the issue sent when no batch is left and the ledger has nothing queued or deferred.
 *    Deferred rows wait for the next run, which starts the next round.
 */
import { LockError } from '../errors.js';
import { deliverIssue, type DeliverIssueOptions, type DeliveryProgress, type DeliverySummary } from './deliver-issue.js';
import type { SendQueue } from './send-queue.js';

/** Options of a shared send: deliverIssue's (one batch at a time), and the queue. */
export interface DeliverInBatchesOptions extends Omit<DeliverIssueOptions, 'idRange' | 'lockTtlMs'> {
  queue: SendQueue;
  /** With `joinOnly`, help with a round under way only; never start one (a scheduler whose tick another has). */
  joinOnly?: boolean;
  /** How often a process with nothing to claim looks again while other batches are still claimed (ms). */
  pollMs?: number;
}

const COUNTERS = ['total', 'sent', 'deferred', 'failed', 'skipped', 'suppressed', 'alreadyDone', 'leftMeanwhile', 'resent'] as const;

/** `a` plus `b`, counter by counter; the last error is `b`'s if it has one. */
function add(a: DeliveryProgress, b: DeliveryProgress): DeliveryProgress {
  const sum = { ...a, lastError: b.lastError ?? a.lastError };
  for (const k of COUNTERS) sum[k] = a[k] + b[k];
  return sum;
}

/** Runs this process's share of an issue's delivery; see the file comment for the steps. */
export async function deliverInBatches(o: DeliverInBatchesOptions): Promise<DeliverySummary> {
  const { queue, joinOnly, pollMs = 1000, ...deliverOptions } = o;
  const started = performance.now();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        o.signal?.removeEventListener('abort', done);
        resolve();
      }
      o.signal?.addEventListener('abort', done, { once: true });
    });

  // 1.
  const underWay = await queue.open(o.issueId, await o.store.maxSubscriberId(), { joinOnly });

  // 2–3.
  let done: DeliveryProgress = { total: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, suppressed: 0, alreadyDone: 0, leftMeanwhile: 0, resent: 0, lastError: null };
  let stoppedEarly = false;
  let stoppedBy: string | undefined;
  const relayNotes: string[] = [];
  let remaining = o.limit;
  /** True when the limit, and nothing else, ended the claim loop early. */
  let atLimit = false;
  while (underWay) {
    if (o.signal?.aborted || (remaining !== undefined && remaining <= 0)) {
      atLimit = !o.signal?.aborted;
      stoppedEarly = true;
      break;
    }
    const claim = await queue.claim(o.issueId);
    if (!claim) {
      if ((await queue.pending(o.issueId)) === 0) break;
      await sleep(pollMs);
      continue;
    }
    let summary: DeliverySummary;
    try {
      const base = done;
      summary = await deliverIssue({
        ...deliverOptions,
        idRange: { from: claim.from, to: claim.to },
        lockTtlMs: queue.leaseSeconds * 1000,
        limit: remaining,
        onProgress: o.onProgress && ((p) => o.onProgress!(add(base, p))),
      });
    } catch (e) {
      // Whatever stopped this batch, another process (or the next run) takes it from the ledger as it is.
      await queue.release(o.issueId, claim).catch(() => undefined);
      if (e instanceof LockError) continue;
      throw e;
    }
    done = add(done, summary);
    for (const note of summary.relayNotes ?? []) if (!relayNotes.includes(note)) relayNotes.push(note);
    if (remaining !== undefined) remaining -= summary.sent + summary.deferred + summary.failed;
    if (summary.stoppedEarly) {
      // A guardrail's stop is the issue's: this process takes no other batch either.
      stoppedBy = summary.stoppedBy;
      atLimit = summary.stoppedAtLimit === true;
      await queue.release(o.issueId, claim);
      stoppedEarly = true;
      break;
    }
    await queue.complete(o.issueId, claim);
  }

  // 4.
  const counts = await o.store.countDeliveries(o.issueId);
  const complete = (underWay || !joinOnly) && !stoppedEarly && counts.queued === 0 && counts.deferred === 0 && (await queue.pending(o.issueId)) === 0;
  if (complete) await o.store.markIssueSent(o.issueId);
  const seconds = (performance.now() - started) / 1000;
  const onlyLimit = atLimit && !complete && done.deferred === 0 && !stoppedBy;
  // Who is left to send, over the whole issue (batches never claimed included), from the ledger.
  const notTried = stoppedEarly ? Math.max(0, (await o.store.countSubscribers({ status: 'active', suppressed: false, unfinishedIn: o.issueId })) - done.deferred - done.skipped) : undefined;
  return { ...done, seconds, perSecond: seconds > 0 ? done.sent / seconds : 0, stoppedEarly, complete, ...(stoppedBy ? { stoppedBy } : {}), ...(onlyLimit ? { stoppedAtLimit: true as const } : {}), ...(notTried !== undefined ? { notTried } : {}), ...(relayNotes.length ? { relayNotes } : {}) };
}
