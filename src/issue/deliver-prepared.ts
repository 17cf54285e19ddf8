/**
 * Steps 3 and 4 of sending an issue, shared by `send` (send-issue.ts) and the daily job
 * (`run`, `schedule`: schedule/run-daily-job.ts, schedule/join-shared-sends.ts):
 *
 * 3. check the copies the send will make, unless the issue is frozen already (the gate,
 *    check-before-send.ts: an error stops the send here, before anything is stored or sent);
 *    then freeze the issue, with the papers it carries, before the first message goes out (a
 *    resend after a crash uses exactly the same content, whatever happened to the templates
 *    since). On PostgreSQL several processes may do this at once: exactly one of them freezes
 *    the issue (the first insert); the others send the content it froze;
 *    A weekly issue's papers are not recorded: they were recorded by the daily issues that
 *    carried them, and the issue history is a history of days (the weekly one reads the
 *    previous weekly issue's frozen content instead, prepare-weekly-issue.ts);
 * 4. deliver it to every active subscriber of its audience (issue-audience.ts: daily readers
 *    for a daily issue, weekly readers on their weekday for a weekly one, who the ledger says
 *    are owed it, weekly-owed.ts; the others are counted as skipped): each batch of readers planned (their picks and order,
 *    issue/plan-readers.ts), each message composed for its recipient
 *    (subscribers/recipient.ts) by the issue's composer, through the ledger loop
 *    (deliver/deliver-issue.ts), or, where a send queue exists, batch by batch with the other
 *    senders (deliver/deliver-in-batches.ts).
 *
 * It takes only what it uses (SendPorts), never the App: the settings of the message, a
 * store with the issue and delivery tables, the transport and the send queue.
 */
import type { Config } from '../config.js';
import { makeVerpAddress } from '../bounces/make-verp-address.js';
import { parseAddress } from '../deliver/build-message.js';
import { createIssueComposer } from '../deliver/create-issue-composer.js';
import { deliverIssue, type DeliverIssueOptions, type DeliveryProgress, type DeliverySummary } from '../deliver/deliver-issue.js';
import { deliverInBatches } from '../deliver/deliver-in-batches.js';
import { dnsMxResolver } from '../deliver/group-domain.js';
import { messageIdFor } from '../deliver/message-id-for.js';
import type { SendQueue } from '../deliver/send-queue.js';
import type { Transport } from '../deliver/transport.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import { copyRecipient } from '../render/copy-recipient.js';
import { copyParts, personalizeIssue } from '../render/personalize-issue.js';
import type { IssueStore } from '../store/store.js';
import { checkBeforeSend, type SendCheckPorts, type SendCheckReport } from './check-before-send.js';
import { localDate } from '../iso-week.js';
import { audienceOf, isWeeklyIssue } from './issue-audience.js';
import { createReaderPlanner, type PlanPorts } from './plan-readers.js';
import type { WeeklyOwed } from './weekly-owed.js';
import type { PreparedIssue } from './prepare-issue.js';

/** Freezing an issue and recording what it carried (role: IssueStore). */
export type IssueFreezer = Pick<IssueStore, 'freezeIssue' | 'recordIssuePapers'>;

/** The settings one issue's messages are made with. */
export type SendSettings = Pick<
  Config,
  | 'mailFrom'
  | 'listId'
  | 'unsubscribeMailto'
  | 'publicUrl'
  | 'secretKey'
  | 'bounces'
  | 'sendMaxAttempts'
  | 'sendRetryBaseMs'
  | 'sendRatePerSec'
  | 'sendRetryMaxMs'
  | 'smtpDomainLimits'
  | 'smtpMxGroups'
  | 'maxHardBounceRate'
  | 'sendChecks'
  | 'timeZone'
  | 'picks'
>;

/** What delivering a prepared issue uses. */
export interface SendPorts {
  config: SendSettings;
  /** The issue and delivery tables: freezing, and the ledger loop's (DeliveryLedger, Locks, SubscriberStore). */
  store(): IssueFreezer & DeliverIssueOptions['store'] & ReturnType<SendCheckPorts['store']>;
  transport(): Transport;
  /** The queue several senders share an issue through; null where one process sends an issue. */
  sendQueue(): SendQueue | null;
  /** The readers' signals their plans are made from (issue/plan-readers.ts), a batch at a time. */
  readerSignals: PlanPorts['readerSignals'];
  topicMatcher?: PlanPorts['topicMatcher'];
}

/** Options of one delivery run. */
export interface DeliverPreparedOptions {
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (p: DeliveryProgress) => void;
  /** Help with a round of batches under way only; never start one (see deliver-in-batches.ts). */
  joinOnly?: boolean;
  /** The local date (YYYY-MM-DD in TZ) that decides a weekly issue's audience; default: today. */
  today?: string;
  /** For a weekly issue: which readers of its audience the ledger says are owed it (weekly-owed.ts). */
  owed?: WeeklyOwed;
}

/** Steps 3 and 4: freezes the issue if needed and delivers it to every active subscriber. */
export async function deliverPrepared(
  ports: SendPorts,
  prepared: Pick<PreparedIssue, 'compiled' | 'frozen'>,
  options: DeliverPreparedOptions = {},
): Promise<{ summary: DeliverySummary; frozeNow: boolean; checks: SendCheckReport | null }> {
  const { config } = ports;
  let { compiled } = prepared;
  const store = ports.store();
  // The first SMTP connection opens while the issue is checked, frozen and its first batch composed
  // (`paperpost send` opened it already, before the app loaded: cli/context.ts openTransportEarly; then this does nothing).
  const transport = ports.transport();
  transport.warmUp?.();
  const issueId = compiled.id;
  let frozeNow = false;
  // 3.
  const checks = prepared.frozen ? null : await checkBeforeSend(ports, compiled);
  if (!prepared.frozen) {
    const stored = await store.freezeIssue(issueId, JSON.stringify(compiled));
    // Another process froze it a moment before: what it froze is what goes out, from every sender.
    if (!stored.created) compiled = JSON.parse(stored.frozen) as CompiledIssue;
  }
  if (!prepared.frozen && compiled === prepared.compiled && !isWeeklyIssue(issueId)) {
    await store.recordIssuePapers(
      compiled.themes.flatMap((t) =>
        t.papers.map((p) => ({
          issueId,
          paperId: p.id,
          title: p.title,
          url: p.url,
          upvotes: p.upvotes,
          themeLabel: t.label,
          themeId: t.id,
          keywords: p.keywords,
          abstract: p.abstract,
        })),
      ),
    );
  }
  if (!prepared.frozen && compiled === prepared.compiled) frozeNow = true;
  // 4. Each batch of readers planned in one read of their signals, each copy laid out by its plan.
  const bounceDomain = config.bounces.domain;
  const inAudience = audienceOf(issueId, options.today ?? localDate(new Date(), config.timeZone));
  const planner = createReaderPlanner(compiled, ports);
  const now = new Date();
  const composeAll = createIssueComposer({
    issueId,
    from: config.mailFrom,
    listId: config.listId,
    unsubscribeMailto: config.unsubscribeMailto,
    personalize: (recipient) => personalizeIssue(compiled, recipient),
    recipientFor: (subscriber) => copyRecipient(config, compiled, { ...subscriber, plan: planner.planOf(subscriber) }, now),
    parts: copyParts(compiled),
  });
  const owed = options.owed;
  const compose: DeliverIssueOptions['compose'] = (sub, messageId, date) => (inAudience(sub) && (owed?.owes(sub) ?? true) ? composeAll(sub, messageId, date) : null);
  const queue = ports.sendQueue();
  const deliver = queue ? (o: DeliverIssueOptions) => deliverInBatches({ ...o, queue, joinOnly: options.joinOnly }) : deliverIssue;
  const summary = await deliver({
    store,
    transport,
    issueId,
    from: parseAddress(config.mailFrom).email,
    compose,
    planBatch: async (subscribers) => {
      await owed?.load(subscribers.filter(inAudience));
      await planner.planBatch(subscribers);
    },
    messageIdFor: (sub) => messageIdFor(config, issueId, sub.id),
    // With BOUNCE_DOMAIN, each message's Return-Path names its delivery (VERP), so a bounce that arrives later maps to it.
    envelopeFrom: bounceDomain ? (sub) => makeVerpAddress(config.secretKey, bounceDomain, issueId, sub.id) : undefined,
    maxAttempts: config.sendMaxAttempts,
    retryBaseMs: config.sendRetryBaseMs,
    retryMaxMs: config.sendRetryMaxMs,
    ratePerSec: config.sendRatePerSec,
    domainLimits: config.smtpDomainLimits,
    resolveMx: config.smtpMxGroups ? dnsMxResolver : undefined,
    maxHardBounceRate: config.maxHardBounceRate,
    limit: options.limit,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { summary, frozeNow, checks };
}
