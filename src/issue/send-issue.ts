/**
 * issue/ owns the pipeline that builds an issue and freezes it: ingest the digest, group it
 * into themes, apply the issue history, compile the templates, and freeze the result before
 * the first message goes out. `send`, `run`, the scheduler, `render`, the operator preview
 * and the web archive all build issues through here. Sending itself is deliver/'s.
 *
 * Layering: issue/ may import the stages below it (ingest/, topics/, render/, store/,
 * subscribers/) and deliver/, which it hands a frozen issue to; never schedule/, web/ or cli/.
 *
 * One send, shared by `send`, `run` and the scheduler:
 *
 * 1. ingest the digest;
 * 2. reuse the issue frozen at its first send, or build it afresh (prepare-issue.ts);
 * 3. freeze it, with the papers it carries, before the first message goes out (a resend
 *    after a crash uses exactly the same content, whatever happened to the templates since);
 * 4. deliver it: to every active subscriber, or one test copy (--to), or nobody (--dry-run).
 *    On PostgreSQL, several processes may deliver one issue at once: each claims batches of
 *    subscribers from the send queue (deliver/deliver-in-batches.ts). Exactly one of them
 *    freezes the issue (the first insert); the others send the content it froze.
 */
import type { App } from '../app.js';
import { DigestError } from '../errors.js';
import { ingestDigest, type DigestFormat } from '../ingest/ingest-digest.js';
import { personalizeIssue } from '../render/personalize-issue.js';
import { linksFor } from '../subscribers/links-for.js';
import type { IngestWarning } from '../types.js';
import { makeVerpAddress } from '../bounces/make-verp-address.js';
import { parseAddress } from '../deliver/build-message.js';
import { createIssueComposer } from '../deliver/create-issue-composer.js';
import { deliverIssue, type DeliveryProgress, type DeliverySummary } from '../deliver/deliver-issue.js';
import { deliverInBatches } from '../deliver/deliver-in-batches.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import { messageIdFor } from '../deliver/message-id-for.js';
import { sendTestCopy } from '../deliver/send-test-copy.js';
import { prepareIssue, type PreparedIssue } from './prepare-issue.js';

/** Options of one send. */
export interface SendIssueOptions {
  /** Digest source; default DIGEST_SOURCE. */
  source?: string;
  format?: DigestFormat;
  date?: string;
  dryRun?: boolean;
  /** Send one test copy here, outside the ledger. */
  to?: string;
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (p: DeliveryProgress) => void;
  /** Injected for tests of stdin sources. */
  stdin?: NodeJS.ReadableStream;
}

/** What a send did. */
export interface SendReport {
  issueId: string;
  subject: string;
  mode: 'send' | 'dry-run' | 'test' | 'not-sent';
  /** For 'not-sent': why. */
  reason?: string;
  /** True when this run froze the issue (its first send). */
  frozeNow: boolean;
  /** For a dry run: how many active subscribers would get it now. */
  wouldSend?: number;
  summary?: DeliverySummary;
  warnings: IngestWarning[];
  renderWarnings: string[];
  htmlBytes: number;
}

/** Steps 3 and 4: freezes the issue if needed and delivers it to every active subscriber. */
export async function deliverPrepared(
  app: App,
  prepared: Pick<PreparedIssue, 'compiled' | 'frozen'>,
  options: Pick<SendIssueOptions, 'limit' | 'signal' | 'onProgress'> & { joinOnly?: boolean } = {},
): Promise<{ summary: DeliverySummary; frozeNow: boolean }> {
  let { compiled } = prepared;
  const store = app.store();
  const issueId = compiled.id;
  let frozeNow = false;
  if (!prepared.frozen) {
    const stored = await store.freezeIssue(issueId, JSON.stringify(compiled));
    // Another process froze it a moment before: what it froze is what goes out, from every sender.
    if (!stored.created) compiled = JSON.parse(stored.frozen) as CompiledIssue;
  }
  if (!prepared.frozen && compiled === prepared.compiled) {
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
    frozeNow = true;
  }
  const bounceDomain = app.config.bounces.domain;
  const compose = createIssueComposer({
    issueId,
    from: app.config.mailFrom,
    listId: app.config.listId,
    unsubscribeMailto: app.config.unsubscribeMailto,
    personalize: (values) => personalizeIssue(compiled, values),
    valuesFor: (sub) => ({ email: sub.email, name: sub.name, themes: sub.themes, ...linksFor(app.config, sub.id) }),
  });
  const queue = app.sendQueue();
  const deliver = queue ? (o: Parameters<typeof deliverIssue>[0]) => deliverInBatches({ ...o, queue, joinOnly: options.joinOnly }) : deliverIssue;
  const summary = await deliver({
    store,
    transport: app.transport(),
    issueId,
    from: parseAddress(app.config.mailFrom).email,
    compose,
    messageIdFor: (sub) => messageIdFor(app.config, issueId, sub.id),
    // With BOUNCE_DOMAIN, each message's Return-Path names its delivery (VERP), so a bounce that arrives later maps to it.
    envelopeFrom: bounceDomain ? (sub) => makeVerpAddress(app.config.secretKey, bounceDomain, issueId, sub.id) : undefined,
    maxAttempts: app.config.sendMaxAttempts,
    retryBaseMs: app.config.sendRetryBaseMs,
    ratePerSec: app.config.sendRatePerSec,
    limit: options.limit,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { summary, frozeNow };
}

/** Runs the `send` command; see the file comment for the steps. */
export async function sendIssue(app: App, options: SendIssueOptions = {}): Promise<SendReport> {
  // 1. Ingest.
  const source = options.source ?? app.config.digestSource;
  const { digest, warnings } = await ingestDigest(source, {
    format: options.format,
    date: options.date,
    timeoutMs: app.config.http.timeoutMs,
    retries: app.config.http.retries,
    stdin: options.stdin,
    allowEmpty: app.config.sendEmpty,
  });
  if (!digest.date) {
    throw new DigestError(`${digest.source}: the digest has no date, and an issue is named by its date`, 'pass --date YYYY-MM-DD');
  }
  const date = digest.date;
  // 2.
  const prepared = await prepareIssue(app, { ...digest, date });
  const { compiled } = prepared;
  const base = { issueId: compiled.id, subject: compiled.subject, warnings, renderWarnings: compiled.warnings, htmlBytes: compiled.htmlBytes };

  // 4a. A test copy, outside the ledger.
  if (options.to !== undefined) {
    await sendTestCopy(app, compiled, options.to);
    return { ...base, mode: 'test', frozeNow: false };
  }

  // 4b. A dry run: count who would get it now (this run: at most --limit).
  if (options.dryRun) {
    const store = app.store();
    let wouldSend = 0;
    for await (const sub of store.listSubscribers({ status: 'active', suppressed: false })) {
      if (options.limit !== undefined && wouldSend >= options.limit) break;
      const d = await store.getDelivery(compiled.id, sub.id);
      if (d && (d.status === 'sent' || d.status === 'failed')) continue;
      if (personalizeIssue(compiled, { email: sub.email, name: sub.name, themes: sub.themes, ...linksFor(app.config, sub.id) }) !== null) wouldSend++;
    }
    return { ...base, mode: 'dry-run', frozeNow: false, wouldSend };
  }

  // An issue frozen for nobody would be "sent" already when the first subscribers arrive.
  if (!prepared.frozen && (await app.store().countSubscribers({ status: 'active' })) === 0) {
    return { ...base, mode: 'not-sent', frozeNow: false, reason: 'there are no active subscribers (add some with paperpost subscribers add or import)' };
  }
  if (!prepared.frozen && prepared.newPaperCount === 0) {
    const reason = digest.papers.length === 0 ? 'the digest has no papers' : `all ${digest.papers.length} papers were already sent in earlier issues`;
    if (digest.papers.length > 0 || !app.config.sendEmpty) return { ...base, mode: 'not-sent', frozeNow: false, reason };
  }
  // 3 and 4c.
  const { summary, frozeNow } = await deliverPrepared(app, prepared, options);
  return { ...base, mode: 'send', frozeNow, summary };
}
