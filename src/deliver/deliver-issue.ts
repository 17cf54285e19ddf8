/**
 * deliver/ owns sending: the transports (SMTP pool, wire connection, outbox), composing each
 * subscriber's raw message, and the ledger loop below. It gets a compiled issue and sends
 * it; it never builds one, so it imports render/, store/ and subscribers/ but never issue/,
 * schedule/, web/ or cli/.
 *
 * Delivers one issue to every active subscriber exactly once, recording each delivery in
 * the ledger before and after the message goes out.
 *
 * 1. Take the issue's send lock (a second sender stops here).
 * 2. Stream active subscribers not on the suppression list, LEDGER_BATCH at a time: read their
 *    ledger rows in one go and skip those already sent or failed.
 * 3. Compose the rest and mark them all queued (attempt + 1) in one transaction before any of
 *    them goes out; send; record "sent" for the messages that finished in one transaction per
 *    turn of the event loop. A connection writes its next message only once the outcomes
 *    before it are recorded (`beforeData`), so at any moment at most one message per
 *    connection has reached the server unrecorded, as with one write per message. A row found
 *    queued was interrupted between sending and recording: it is resent under the same
 *    Message-ID so receivers can drop the copy. Rows queued but never tried when the run
 *    stops are put back as they were.
 * 4. Temporary failures retry with exponential backoff and jitter; permanent ones bounce
 *    the subscriber; a fatal one (auth, TLS) stops the run, and so do UNREACHABLE_LIMIT
 *    failures in a row to open a session at all (a dead server is not tried once per message).
 * 5. Release the lock; mark the issue sent when nobody is left.
 *
 * With `idRange` (several senders on PostgreSQL, see deliver-in-batches.ts) the same steps run
 * on one claimed batch of subscriber ids, under that batch's lock.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { LockError, SmtpError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Delivery, DeliveryStatus, Subscriber } from '../types.js';
import { SendFailure, type Transport } from './transport.js';
import type { ComposedMessage } from './create-issue-composer.js';

/** Everything deliverIssue needs, injected so tests can drive each piece. */
export interface DeliverIssueOptions {
  store: Store;
  transport: Transport;
  issueId: string;
  from: string;
  /** The envelope sender (Return-Path) of one subscriber's message, when it is not `from`: a VERP address, so a bounce names its delivery. */
  envelopeFrom?: (subscriber: Subscriber) => string;
  /** Builds the subscriber's message (see create-issue-composer.ts), or null when the issue has nothing they follow. */
  compose: (subscriber: Subscriber, messageId: string, date: Date) => ComposedMessage | null;
  /** Stable per (issue, subscriber): the same on every attempt and every rerun. */
  messageIdFor: (subscriber: Subscriber) => string;
  maxAttempts: number;
  /** Base of the exponential backoff between attempts, in ms. */
  retryBaseMs?: number;
  /** Messages per second across all connections; 0 means no limit. */
  ratePerSec?: number;
  /** Stop after this many messages sent in this run. */
  limit?: number;
  /** Aborting takes no new work; in-flight messages finish and are recorded. */
  signal?: AbortSignal;
  lockTtlMs?: number;
  /**
   * Only subscribers with ids from `from` (inclusive) to `to` (exclusive): one batch claimed by
   * this process when several send the issue (deliver-in-batches.ts). The lock is then the
   * batch's, not the issue's, and the issue is not marked sent here: the claim loop does that
   * once no batch is left.
   */
  idRange?: { from: number; to: number };
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (p: DeliveryProgress) => void;
}

/** Counters reported while sending and at the end. */
export interface DeliveryProgress {
  total: number;
  sent: number;
  deferred: number;
  failed: number;
  /** Active subscribers not mailed because the issue has none of the themes they follow. */
  skipped: number;
  /** Active subscribers left out because their address or domain is on the suppression list. */
  suppressed: number;
  /** Active subscribers the ledger already has as sent or failed (an earlier run). */
  alreadyDone: number;
  /** Of `sent`, how many were resends of a delivery whose outcome was unknown. */
  resent: number;
  /** The last failure seen (a 4xx reply, a refused connection), to say why anything was deferred. */
  lastError: string | null;
}

/** The outcome of one run. */
export interface DeliverySummary extends DeliveryProgress {
  seconds: number;
  perSecond: number;
  /** True when the run stopped early (limit, abort) and some subscribers were not tried. */
  stoppedEarly: boolean;
  /** True when every active subscriber now has a final ledger row (sent or failed) or was skipped. */
  complete: boolean;
}

/** True when `holder` ("host:pid:nonce") names a process on this host that no longer exists. */
function isDeadLocalHolder(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== os.hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Failures in a row to open a session at all after which the server counts as down for this run. */
export const UNREACHABLE_LIMIT = 3;

/** Subscribers read, composed and queued in the ledger together. */
export const LEDGER_BATCH = 128;

/** A subscriber queued in the ledger by this run, waiting for a worker. */
interface Job {
  sub: Subscriber;
  messageId: string;
  message: ComposedMessage;
  /** The ledger row before this run queued it, to put back if it is never tried. */
  previous: Delivery | null;
}

/** Runs one delivery pass for an issue; see the file comment for the steps. */
export async function deliverIssue(o: DeliverIssueOptions): Promise<DeliverySummary> {
  const now = o.now ?? (() => new Date());
  const sleep = o.sleep ?? defaultSleep;
  const retryBase = o.retryBaseMs ?? 1000;
  const ttl = o.lockTtlMs ?? 60_000;
  const lockName = o.idRange ? `send:${o.issueId}:${o.idRange.from}-${o.idRange.to}` : `send:${o.issueId}`;
  const range = o.idRange ? { idRange: o.idRange } : {};
  const holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  // 1. The lock.
  if (!(await o.store.acquireLock(lockName, holder, ttl))) {
    // A holder on this machine whose process is gone (killed, crashed) need not be waited out.
    const current = await o.store.lockHolder(lockName);
    if (current && isDeadLocalHolder(current)) await o.store.releaseLock(lockName, current);
    if (!(await o.store.acquireLock(lockName, holder, ttl))) {
      const what = o.idRange ? `subscribers ${o.idRange.from}–${o.idRange.to - 1} of issue ${o.issueId} are` : `issue ${o.issueId} is`;
      throw new LockError(`${what} being sent by another process${current ? ` (${current.split(':').slice(0, 2).join(', pid ')})` : ''}`);
    }
  }
  const renew = setInterval(() => void o.store.renewLock(lockName, holder, ttl).catch(() => {}), Math.max(1000, ttl / 3));
  renew.unref();

  const started = performance.now();
  const p: DeliveryProgress = {
    total: await o.store.countSubscribers({ status: 'active', ...range }),
    sent: 0,
    deferred: 0,
    failed: 0,
    skipped: 0,
    suppressed: await o.store.countSubscribers({ status: 'active', suppressed: true, ...range }),
    alreadyDone: 0,
    resent: 0,
    lastError: null,
  };
  let fatal: SendFailure | null = null;
  let unreachableInARow = 0;
  let stoppedEarly = false;
  let reserved = 0;
  let nextSlot = 0;
  const interval = o.ratePerSec && o.ratePerSec > 0 ? 1000 / o.ratePerSec : 0;

  const stopping = () => fatal !== null || o.signal?.aborted === true;

  const waitForSlot = async () => {
    if (!interval) return;
    const t = performance.now();
    const slot = Math.max(t, nextSlot);
    nextSlot = slot + interval;
    if (slot > t) await sleep(slot - t);
  };

  // Outcomes waiting to be written, and the chain of ledger writes (one at a time, in order).
  let outcomes: { subscriberId: number; status: DeliveryStatus; response: string | null }[] = [];
  let writes: Promise<void> = Promise.resolve();
  let writing = 0;
  let ledgerError: unknown = null;
  let flushScheduled = false;
  const flush = (): Promise<void> | undefined => {
    if (outcomes.length) {
      const rows = outcomes;
      outcomes = [];
      writing++;
      writes = writes
        .then(() => o.store.finishDeliveries(o.issueId, rows))
        .catch((e: unknown) => void (ledgerError ??= e))
        .finally(() => void writing--);
    }
    return writing > 0 ? writes : undefined;
  };
  const record = (subscriberId: number, status: DeliveryStatus, response: string | null) => {
    outcomes.push({ subscriberId, status, response });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        void flush();
      });
    }
  };
  const stoppingNow = () => stopping() || ledgerError !== null;

  const deliverOne = async ({ sub, messageId, message, previous }: Job) => {
    const uncertain = previous?.status === 'queued';
    for (let attempt = 1; ; attempt++) {
      await waitForSlot();
      // The first attempt was queued with its batch.
      if (attempt > 1) await o.store.beginDelivery(o.issueId, sub.id, messageId);
      try {
        const result = await o.transport.send({
          from: o.envelopeFrom ? o.envelopeFrom(sub) : o.from,
          to: sub.email,
          messageId,
          raw: message.raw,
          meta: { issueId: o.issueId, subscriberId: sub.id, subject: message.subject, html: message.html },
          beforeData: flush,
        });
        record(sub.id, 'sent', result.response);
        unreachableInARow = 0;
        p.sent++;
        if (uncertain) p.resent++;
        return;
      } catch (e) {
        let failure = e instanceof SendFailure ? e : new SendFailure('temporary', e instanceof Error ? e.message : String(e));
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
          await o.store.finishDelivery(o.issueId, sub.id, 'failed', failure.message);
          await o.store.setSubscriberStatus(sub.id, 'bounced');
          p.failed++;
          return;
        }
        if (failure.kind === 'fatal') {
          await o.store.finishDelivery(o.issueId, sub.id, 'deferred', failure.message);
          fatal ??= failure;
          p.deferred++;
          return;
        }
        if (attempt >= o.maxAttempts || stoppingNow()) {
          await o.store.finishDelivery(o.issueId, sub.id, 'deferred', failure.message);
          p.deferred++;
          return;
        }
        // Exponential backoff with full jitter, so pooled workers do not retry in lockstep.
        await sleep(Math.random() * retryBase * 2 ** (attempt - 1));
      }
    }
  };

  // 2–3. The next batch: ledger rows read together, messages composed, all queued in one transaction.
  const stream = o.store.listSubscribers({ status: 'active', suppressed: false, ...range })[Symbol.asyncIterator]();
  const jobs: Job[] = [];
  let streamDone = false;
  let refilling: Promise<void> | null = null;
  const readBatch = async () => {
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
    const batch: Job[] = [];
    for (const sub of subs) {
      const previous = rows.get(sub.id) ?? null;
      if (previous && (previous.status === 'sent' || previous.status === 'failed')) {
        p.alreadyDone++;
        continue;
      }
      const messageId = previous?.messageId ?? o.messageIdFor(sub);
      const message = o.compose(sub, messageId, now());
      if (message === null) {
        p.skipped++;
        continue;
      }
      if (o.limit !== undefined && reserved >= o.limit) {
        stoppedEarly = true;
        continue;
      }
      reserved++;
      batch.push({ sub, messageId, message, previous });
    }
    if (!batch.length) return;
    await o.store.beginDeliveries(o.issueId, batch.map((j) => ({ subscriberId: j.sub.id, messageId: j.messageId })));
    jobs.push(...batch);
  };
  // A failing store stops the run like a failing ledger write: no message goes out unrecorded.
  const refill = () =>
    (refilling ??= readBatch()
      .catch((e: unknown) => void (ledgerError ??= e))
      .finally(() => (refilling = null)));

  // 4. Workers share the queue; a refill starts ahead of time, so they rarely wait for one.
  const worker = async () => {
    for (;;) {
      if (stoppingNow()) {
        stoppedEarly = true;
        return;
      }
      if (jobs.length < LEDGER_BATCH / 2 && !streamDone) void refill();
      let job = jobs.shift();
      while (!job && (refilling || !streamDone)) {
        await refill();
        if (stoppingNow()) break;
        job = jobs.shift();
      }
      if (!job) {
        if (stoppingNow()) stoppedEarly = true;
        return;
      }
      await deliverOne(job);
      o.onProgress?.({ ...p });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.transport.concurrency) }, worker));
  } finally {
    clearInterval(renew);
    await refilling;
    // Outcomes still to be written, then the rows queued for nobody: back as they were.
    await flush();
    if (jobs.length) {
      stoppedEarly = true;
      await o.store.restoreDeliveries(o.issueId, jobs.splice(0).map((j) => ({ subscriberId: j.sub.id, previous: j.previous })));
    }
    await stream.return?.(undefined);
    await o.transport.finish?.(o.issueId);
    await o.store.releaseLock(lockName, holder);
  }
  if (ledgerError) throw ledgerError;

  // 5. Summary.
  const counts = await o.store.countDeliveries(o.issueId);
  const seconds = (performance.now() - started) / 1000;
  const complete = !stoppedEarly && counts.queued === 0 && counts.deferred === 0 && fatal === null;
  if (complete && !o.idRange) await o.store.markIssueSent(o.issueId);
  if (fatal) {
    const f: SendFailure = fatal;
    const counts = `${p.sent} sent before it stopped`;
    throw new SmtpError(
      f.hint ? `${o.transport.name}: ${f.message}; ${counts}` : `the SMTP server refused the session: ${f.message}; ${counts}`,
      f.hint ?? 'check the user, password and TLS settings in SMTP_URL; rerun to send the rest',
      { smtpCode: f.responseCode },
    );
  }
  return { ...p, seconds, perSecond: seconds > 0 ? p.sent / seconds : 0, stoppedEarly, complete };
}
