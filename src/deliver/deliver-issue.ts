/**
 * deliver/ owns sending: the transports (SMTP pool, wire connection, outbox), composing each
 * subscriber's raw message, and the delivery run below. It gets a compiled issue and sends
 * it; it never builds one, so it imports render/, store/ and subscribers/ but never issue/,
 * schedule/, web/ or cli/.
 *
 * Delivers one issue to every active subscriber exactly once, recording each delivery in
 * the ledger before and after the message goes out. The protocol, and the part that does
 * each step:
 *
 * 1. Take the issue's send lock as a lease (take-lock-lease.ts): a second sender stops here.
 * 2. Stream active subscribers not on the suppression list, LEDGER_BATCH at a time; skip
 *    those the ledger has as sent or failed; compose the rest and queue them all
 *    (attempt + 1) in one transaction before any goes out (the job source,
 *    create-job-source.ts; the composer is passed in).
 * 3. Send them from a pool of workers, each attempt when the pacer allows (the dispatcher,
 *    dispatch-jobs.ts, behind the Pacer port of pacer.ts: a queue per receiving domain or
 *    provider, create-domain-pacer.ts, so a throttled domain holds up nobody else). Record
 *    "sent", with the relay that took it, for the messages that finished in one transaction
 *    per turn of the event loop (the ledger writer, create-ledger-writer.ts). A connection
 *    writes its next message only once the outcomes before it are recorded (`beforeData`),
 *    so at any moment at most one message per connection has reached the server
 *    unrecorded, as with one write per message. A row found queued was interrupted between
 *    sending and recording: it is resent under the same Message-ID so receivers can drop
 *    the copy.
 * 4. Temporary failures retry with exponential backoff and jitter, and no sooner than the
 *    server asked; permanent ones (the address refused) bounce the subscriber; a fatal one
 *    (auth, TLS, the sender or the message refused) stops the run, and so do
 *    UNREACHABLE_LIMIT failures in a row to open a session at all. A failing
 *    store write stops it too: no message goes out unrecorded. So does a guardrail
 *    (create-guardrail.ts: too many hard bounces, or complaints over the line): it says why
 *    in one line (the summary's `stoppedBy`), kept for /admin in the meta table
 *    (GUARDRAIL_META_KEY).
 * 5. When the workers are done: write the outcomes still waiting, put the rows queued but
 *    never tried back as they were, release the lock, and mark the issue sent when nobody
 *    is left.
 *
 * With `idRange` (several senders on PostgreSQL, see deliver-in-batches.ts) the same steps run
 * on one claimed batch of subscriber ids, under that batch's lock.
 */
import { SmtpError } from '../errors.js';
import type { Subscriber } from '../types.js';
import type { Transport } from './transport.js';
import type { ComposedMessage } from './create-issue-composer.js';
import type { DeliverIssueStore } from './delivery-store-needs.js';
import type { DeliveryProgress, DeliverySummary } from './delivery-progress.js';
import { takeLockLease } from './take-lock-lease.js';
import { createLedgerWriter } from './create-ledger-writer.js';
import { createJobSource } from './create-job-source.js';
import { createDomainPacer } from './create-domain-pacer.js';
import { createGuardrail, GUARDRAIL_META_KEY } from './create-guardrail.js';
import { dispatchJobs, type DispatchResult } from './dispatch-jobs.js';
import type { Pacer } from './pacer.js';
import type { DomainLimits } from './parse-domain-limits.js';
import type { MxResolver } from './group-domain.js';

/** The longest wait within a run unless configured (SEND_RETRY_MAX_MS): five minutes. */
export const DEFAULT_RETRY_MAX_MS = 300_000;

export type { DeliveryProgress, DeliverySummary } from './delivery-progress.js';

/** Everything deliverIssue needs, injected so tests can drive each piece. */
export interface DeliverIssueOptions {
  store: DeliverIssueStore;
  transport: Transport;
  issueId: string;
  from: string;
  /** The envelope sender (Return-Path) of one subscriber's message, when it is not `from`: a VERP address, so a bounce names its delivery. */
  envelopeFrom?: (subscriber: Subscriber) => string;
  /** Builds the subscriber's message (see create-issue-composer.ts), or null when the issue has nothing they follow. */
  compose: (subscriber: Subscriber, messageId: string, date: Date) => ComposedMessage | null;
  /** Called with each batch of subscribers before they are composed (issue/plan-readers.ts). */
  planBatch?: (subscribers: Subscriber[]) => Promise<void>;
  /** Stable per (issue, subscriber): the same on every attempt and every rerun. */
  messageIdFor: (subscriber: Subscriber) => string;
  maxAttempts: number;
  /** Base of the exponential backoff between attempts, in ms. */
  retryBaseMs?: number;
  /** The longest backoff between attempts, and the longest wait a server may ask for within the run (ms). */
  retryMaxMs?: number;
  /** Messages per second across all connections; 0 means no limit. Ignored when `pacer` is given. */
  ratePerSec?: number;
  /** Each receiving domain's or provider's rate and concurrency (SMTP_DOMAIN_LIMITS). Ignored when `pacer` is given. */
  domainLimits?: DomainLimits;
  /** With SMTP_MX_GROUPS: looks up MX hosts, so domains hosted by Google or Microsoft share their queue. */
  resolveMx?: MxResolver;
  /** When each attempt may go (pacer.ts); default: a queue per receiving domain (create-domain-pacer.ts). */
  pacer?: Pacer;
  /** MAX_HARD_BOUNCE_RATE as a fraction (default 0.05): above it in the last 1,000 outcomes, the run stops. */
  maxHardBounceRate?: number;
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

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs one delivery pass for an issue; see the file comment for the steps. */
export async function deliverIssue(o: DeliverIssueOptions): Promise<DeliverySummary> {
  const sleep = o.sleep ?? defaultSleep;
  const { store, issueId, idRange } = o;

  // 1. The lock.
  const lease = await takeLockLease(
    store,
    idRange ? `send:${issueId}:${idRange.from}-${idRange.to}` : `send:${issueId}`,
    o.lockTtlMs ?? 60_000,
    idRange ? `subscribers ${idRange.from}–${idRange.to - 1} of issue ${issueId} are` : `issue ${issueId} is`,
  );

  const started = performance.now();
  const p: DeliveryProgress = { total: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, suppressed: 0, alreadyDone: 0, leftMeanwhile: 0, resent: 0, lastError: null };
  // The first store failure of the ledger writer or the job source: it stops the run and is thrown at its end.
  let storeError: unknown = null;
  const onError = (e: unknown) => void (storeError ??= e);
  const ledger = createLedgerWriter(store, issueId, onError);
  const guardrail = createGuardrail({
    maxHardBounceRate: o.maxHardBounceRate ?? 0.05,
    complaints: async () => ({ complaints: (await store.mailEventCounts(issueId)).complaints, accepted: (await store.countDeliveries(issueId)).sent }),
    onError,
  });
  const source = createJobSource({ store, ledger, issueId, compose: o.compose, planBatch: o.planBatch, messageIdFor: o.messageIdFor, now: o.now ?? (() => new Date()), limit: o.limit, idRange, progress: p, onError });
  let result: DispatchResult = { fatal: null, stoppedEarly: false };
  let stoppedEarly = false;
  let relayNotes: string[] = [];
  try {
    Object.assign(p, await source.count());
    await guardrail.check();
    const retryMaxMs = o.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    // 2–4. The job source, the dispatcher and the ledger writer at work.
    result = await dispatchJobs({
      source,
      ledger,
      pacer: o.pacer ?? createDomainPacer({ limits: o.domainLimits, ratePerSec: o.ratePerSec, resolveMx: o.resolveMx, maxWaitMs: retryMaxMs }),
      transport: o.transport,
      issueId,
      from: o.from,
      envelopeFrom: o.envelopeFrom,
      maxAttempts: o.maxAttempts,
      retryBaseMs: o.retryBaseMs ?? 1000,
      retryMaxMs,
      sleep,
      signal: o.signal,
      halted: () => storeError !== null || guardrail.tripped() !== null,
      onFinal: guardrail.note,
      progress: p,
      onProgress: o.onProgress,
    });
  } finally {
    // 5. Outcomes still to be written, then the rows queued for nobody: back as they were.
    await source.close();
    await ledger.flush();
    const untried = [...(result.untried ?? []), ...source.drain()];
    if (untried.length) {
      stoppedEarly = true;
      await ledger.restore(untried.map((j) => ({ subscriberId: j.sub.id, previous: j.previous })));
    }
    await o.transport.finish?.(issueId);
    // Relays that failed or were left out in this run: taken now, so none is told again by the next.
    relayNotes = o.transport.takeNotes?.() ?? [];
    await lease.release();
  }
  if (storeError) throw storeError;
  const stoppedBy = guardrail.tripped();
  if (stoppedBy) await store.setMeta(GUARDRAIL_META_KEY(issueId), stoppedBy);

  // 5. The summary; the issue is sent when nobody is left.
  const { fatal } = result;
  // Cut short by the limit alone (--limit): what it left is for the next run, not a failure.
  const atLimit = source.limited() && !stoppedEarly && !result.stoppedEarly && fatal === null && !stoppedBy && p.deferred === 0;
  stoppedEarly ||= result.stoppedEarly || source.limited();
  const counts = await store.countDeliveries(issueId);
  const seconds = (performance.now() - started) / 1000;
  const complete = !stoppedEarly && counts.queued === 0 && counts.deferred === 0 && fatal === null;
  // Who is left to send, from the ledger: those whose batch was never read may have had the issue from an earlier run.
  const notTried = stoppedEarly && fatal === null ? Math.max(0, (await source.unfinished()) - p.deferred - p.skipped) : undefined;
  if (complete && !idRange) await store.markIssueSent(issueId);
  if (fatal) {
    const sent = `${p.sent} sent before it stopped`;
    throw new SmtpError(
      fatal.hint ? `${o.transport.name}: ${fatal.message}; ${sent}` : `the SMTP server refused the session: ${fatal.message}; ${sent}`,
      fatal.hint ?? 'check the user, password and TLS settings in SMTP_URL; rerun to send the rest',
      { smtpCode: fatal.responseCode },
    );
  }
  if (complete && (await store.getMeta(GUARDRAIL_META_KEY(issueId)))) await store.setMeta(GUARDRAIL_META_KEY(issueId), '');
  return { ...p, seconds, perSecond: seconds > 0 ? p.sent / seconds : 0, stoppedEarly, complete, ...(stoppedBy ? { stoppedBy } : {}), ...(atLimit && !complete ? { stoppedAtLimit: true as const } : {}), ...(notTried !== undefined ? { notTried } : {}), ...(relayNotes.length ? { relayNotes } : {}) };
}
