/**
 * Where a delivery run's work comes from: the subscribers to mail, read from the store a
 * batch at a time and queued in the ledger before any of them goes out. It is apart from
 * the dispatcher (dispatch-jobs.ts) so that sending does not care which subscribers it gets
 * or how: the whole list under the issue's lock, or one range of ids claimed from the
 * PostgreSQL send queue by one of several senders (`idRange`, see deliver-in-batches.ts).
 *
 * 1. Stream active subscribers not on the suppression list (in `idRange` when given),
 *    LEDGER_BATCH at a time, and read their ledger rows in one go.
 * 2. Skip those the ledger has as sent or failed (an earlier run), and those the issue has
 *    nothing for (compose returns null); stop taking new ones at `limit`. The rest are handed
 *    to `planBatch` first (their reading plans, issue #20), all at once.
 * 3. Compose the rest, each under the Message-ID its ledger row already has (a resend must
 *    carry the same one) or a new stable one, IO_SLICE at a time with the server's replies
 *    answered in between (yield-to-io.ts), and queue them all in one transaction.
 * 4. Just before they go out, check the next RECHECK_GROUP queued readers again in one query:
 *    a reader who unsubscribed, bounced, complained, was suppressed or forgotten since their
 *    batch was read (minutes ago at a slow SEND_RATE_PER_SEC) is not mailed; their ledger
 *    row is put back as it was and they count as `leftMeanwhile`. A check holds RECHECK_MS;
 *    readers checked longer ago than that are checked again. The next group is checked while
 *    this one goes out, so a fast send pays one query per group, not one per message.
 *    The dispatcher asks the same of readers the pacer held back (a throttled domain's
 *    retries, or a queue that was full), before each retry (`recheck`): the same query for a
 *    group of them, the same outcome for those who left.
 * 5. Hand them out one at a time (`take`); when fewer than a batch are left, the next batch
 *    is read ahead, so it is composed while this one is sent and the workers rarely wait.
 *
 * A store failure while reading goes to `onError` (the run stops, as for a failing ledger
 * write: no message goes out unrecorded).
 */
import type { Delivery, Subscriber } from '../types.js';
import type { ComposedMessage } from './create-issue-composer.js';
import type { LedgerWriter } from './create-ledger-writer.js';
import type { DeliveryProgress } from './delivery-progress.js';
import type { JobSourceStore } from './delivery-store-needs.js';
import { IO_SLICE, yieldToIo } from '../yield-to-io.js';

/** Subscribers read, composed and queued in the ledger together. */
export const LEDGER_BATCH = 128;
/** Queued readers checked again together, in one query, just before they go out (step 4). */
export const RECHECK_GROUP = 32;
/** How long that check holds, in ms: a reader checked longer ago is checked again before going out. */
export const RECHECK_MS = 1000;

/** A subscriber queued in the ledger by this run, waiting for a worker. */
export interface Job {
  sub: Subscriber;
  messageId: string;
  message: ComposedMessage;
  /** The ledger row before this run queued it, to put back if it is never tried. */
  previous: Delivery | null;
  /** When the reader was last found still mailable (performance.now()), by step 4 or `recheck`. */
  checkedAt?: number;
}

/** What the job source needs besides the store. */
export interface JobSourceOptions {
  store: JobSourceStore;
  ledger: Pick<LedgerWriter, 'queue' | 'restore'>;
  issueId: string;
  compose: (subscriber: Subscriber, messageId: string, date: Date) => ComposedMessage | null;
  messageIdFor: (subscriber: Subscriber) => string;
  /** Called with each batch's subscribers still to mail, before they are composed (issue/plan-readers.ts: their plans, one read per batch). */
  planBatch?: (subscribers: Subscriber[]) => Promise<void>;
  now: () => Date;
  /** Take no more than this many subscribers in this run. */
  limit?: number;
  /** Only subscribers with ids from `from` (inclusive) to `to` (exclusive). */
  idRange?: { from: number; to: number };
  /** `skipped` and `alreadyDone` are counted here. */
  progress: DeliveryProgress;
  onError: (e: unknown) => void;
}

/** The jobs of one run, a batch at a time. */
export interface JobSource {
  /** Active subscribers in range, and how many of them are on the suppression list. */
  count(): Promise<{ total: number; suppressed: number }>;
  /** Active subscribers in range, not suppressed, whom the ledger has no outcome (sent or failed) for in this issue: one query. */
  unfinished(): Promise<number>;
  /** The next job queued, or undefined when none is ready now; reads the next batch ahead when few are left. */
  take(): Job | undefined;
  /** True while a batch is being read or some subscribers are still unread. */
  pending(): boolean;
  /** Waits for the batch being read, or starts reading one, and for a group of it checked (step 4). */
  fill(): Promise<void>;
  /** True when subscribers were left out because of `limit`. */
  limited(): boolean;
  /** Stops reading: waits for a read under way and ends the stream. */
  close(): Promise<void>;
  /** Takes out the jobs queued and never handed out, to be put back in the ledger. */
  drain(): Job[];
  /**
   * Checks these jobs' readers again in one query (step 4), for jobs handed out earlier and
   * held since (the pacer keeps them for a retry): those who left have their ledger rows put
   * back as they were and count as `leftMeanwhile`, and are returned; the others are marked
   * checked now. A store failure goes to `onError` and is thrown.
   */
  recheck(jobs: Job[]): Promise<Job[]>;
}

/** Builds the job source of one run; see the file comment for the steps. */
export function createJobSource(o: JobSourceOptions): JobSource {
  const range = o.idRange ? { idRange: o.idRange } : {};
  const p = o.progress;
  let stream: AsyncIterator<Subscriber> | undefined;
  // Queued and not checked since (step 4), and checked at `at` (performance.now()), ready to go.
  const jobs: Job[] = [];
  const ready: { job: Job; at: number }[] = [];
  let streamDone = false;
  let reading: Promise<void> | null = null;
  let checking: Promise<void> | null = null;
  let reserved = 0;
  let limited = false;

  // 1–3.
  const readBatch = async () => {
    stream ??= o.store.listSubscribers({ status: 'active', suppressed: false, ...range })[Symbol.asyncIterator]();
    const subs: Subscriber[] = [];
    while (subs.length < LEDGER_BATCH) {
      const { value, done } = await stream.next();
      if (done) {
        streamDone = true;
        break;
      }
      subs.push(value);
    }
    if (!subs.length) return;
    const rows = await o.store.getDeliveries(o.issueId, subs.map((s) => s.id));
    const done = (sub: Subscriber) => {
      const previous = rows.get(sub.id);
      return previous !== undefined && (previous.status === 'sent' || previous.status === 'failed');
    };
    await o.planBatch?.(subs.filter((s) => !done(s)));
    const batch: Job[] = [];
    let composed = 0;
    for (const sub of subs) {
      const previous = rows.get(sub.id) ?? null;
      if (done(sub)) {
        p.alreadyDone++;
        continue;
      }
      const messageId = previous?.messageId ?? o.messageIdFor(sub);
      // A few copies at a time: the connections' replies are answered in between (yield-to-io.ts).
      if (++composed % IO_SLICE === 0) await yieldToIo();
      const message = o.compose(sub, messageId, o.now());
      if (message === null) {
        p.skipped++;
        continue;
      }
      if (o.limit !== undefined && reserved >= o.limit) {
        limited = true;
        continue;
      }
      reserved++;
      batch.push({ sub, messageId, message, previous });
    }
    if (!batch.length) return;
    await o.ledger.queue(batch.map((j) => ({ subscriberId: j.sub.id, messageId: j.messageId })));
    jobs.push(...batch);
  };
  const read = () =>
    (reading ??= readBatch()
      .catch(o.onError)
      .finally(() => (reading = null)));

  // 4.
  /** The ids of `group`'s readers who may still be mailed, in one query. */
  const stillMailable = async (group: Job[]) => {
    const still = new Set<number>();
    for await (const sub of o.store.listSubscribers({ status: 'active', suppressed: false, ids: group.map((j) => j.sub.id) })) still.add(sub.id);
    return still;
  };
  /** Readers who left: not mailed, their rows put back as they were, counted. */
  const leave = async (gone: Job[]) => {
    if (!gone.length) return;
    p.leftMeanwhile += gone.length;
    await o.ledger.restore(gone.map((j) => ({ subscriberId: j.sub.id, previous: j.previous })));
  };
  const recheckGroup = async () => {
    const group = jobs.splice(0, RECHECK_GROUP);
    if (!group.length) return;
    let still: Set<number>;
    try {
      still = await stillMailable(group);
    } catch (e) {
      // Unchecked, so never handed out: put back to be restored with the rest when the run stops.
      jobs.unshift(...group);
      throw e;
    }
    const at = performance.now();
    for (const job of group) {
      if (!still.has(job.sub.id)) continue;
      job.checkedAt = at;
      ready.push({ job, at });
    }
    await leave(group.filter((j) => !still.has(j.sub.id)));
  };
  const recheck = () =>
    (checking ??= recheckGroup()
      .catch(o.onError)
      .finally(() => (checking = null)));
  /** Readers checked too long ago go back to be checked again. */
  const dropStale = () => {
    const until = performance.now() - RECHECK_MS;
    let n = 0;
    while (n < ready.length && ready[n]!.at < until) n++;
    if (n) jobs.unshift(...ready.splice(0, n).map((r) => r.job));
  };

  return {
    async count() {
      return {
        total: await o.store.countSubscribers({ status: 'active', ...range }),
        suppressed: await o.store.countSubscribers({ status: 'active', suppressed: true, ...range }),
      };
    },
    unfinished: () => o.store.countSubscribers({ status: 'active', suppressed: false, ...range, unfinishedIn: o.issueId }),
    // 5.
    take() {
      if (jobs.length + ready.length < LEDGER_BATCH && !streamDone) void read();
      dropStale();
      // The next group is checked while this one goes out.
      if (ready.length < RECHECK_GROUP / 2 && jobs.length) void recheck();
      return ready.shift()?.job;
    },
    pending: () => reading !== null || checking !== null || jobs.length > 0 || !streamDone,
    async fill() {
      // The batch being read (or the next, when nothing is queued), the group being checked, then a group to hand out.
      await Promise.all([reading ?? (jobs.length || ready.length ? undefined : read()), checking]);
      if (!ready.length && jobs.length) await recheck();
    },
    limited: () => limited,
    async close() {
      await reading;
      await checking;
      await stream?.return?.(undefined);
    },
    drain: () => [...ready.splice(0).map((r) => r.job), ...jobs.splice(0)],
    async recheck(group) {
      try {
        const still = await stillMailable(group);
        const at = performance.now();
        const gone: Job[] = [];
        for (const job of group) {
          if (still.has(job.sub.id)) job.checkedAt = at;
          else gone.push(job);
        }
        await leave(gone);
        return gone;
      } catch (e) {
        o.onError(e);
        throw e;
      }
    },
  };
}
