/**
 * Building and sending one issue, shared by `send`, `run` and the scheduler:
 *
 * 1. ingest the digest;
 * 2. reuse the issue frozen at its first send, or build it afresh: group the day's papers,
 *    take out the ones earlier issues already carried (issue history), compile;
 * 3. freeze it, with the papers it carries, before the first message goes out (a resend
 *    after a crash uses exactly the same content, whatever happened to the templates since);
 * 4. deliver it: to every active subscriber, or one test copy (--to), or nobody (--dry-run).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import type { Config } from '../config.js';
import { DigestError, InputError, SmtpError } from '../errors.js';
import { ingestDigest, type DigestFormat } from '../ingest/ingest-digest.js';
import { groupPapers } from '../topics/group-papers.js';
import { loadOperatorThemes } from '../topics/load-operator-themes.js';
import { applyIssueHistory } from './apply-issue-history.js';
import { compileIssue, type CompiledIssue } from '../render/compile-issue.js';
import { personalizeIssue } from '../render/personalize-issue.js';
import { signToken } from '../subscribers/sign-token.js';
import { normalizeEmail } from '../subscribers/normalize-email.js';
import type { Digest, IngestWarning } from '../types.js';
import { createMessageBuilder, parseAddress } from '../deliver/build-message.js';
import { createIssueComposer } from '../deliver/create-issue-composer.js';
import { deliverIssue, type DeliveryProgress, type DeliverySummary } from '../deliver/deliver-issue.js';
import { SendFailure } from '../deliver/transport.js';

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

/** Links that belong to one subscriber. */
export interface RecipientLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** An issue ready to deliver, and what building it found. */
export interface PreparedIssue {
  compiled: CompiledIssue;
  /** True when the issue was frozen by an earlier send. */
  frozen: boolean;
  /** Papers carried in full; 0 means every paper was already sent in an earlier issue. */
  newPaperCount: number;
  /** Papers moved to "Still trending" (or dropped) because an earlier issue carried them. */
  repeatCount: number;
}

/** Builds the signed unsubscribe and preferences links for a subscriber. */
export function linksFor(app: App, subscriberId: number): RecipientLinks {
  const { publicUrl, secretKey } = app.config;
  return {
    unsubscribeUrl: `${publicUrl}/u/${signToken(secretKey, 'unsubscribe', subscriberId)}`,
    preferencesUrl: `${publicUrl}/p/${signToken(secretKey, 'preferences', subscriberId)}`,
  };
}

const mailDomain = (app: App) => parseAddress(app.config.mailFrom).email.split('@')[1] ?? 'localhost';

/** The Message-ID for (issue, subscriber): stable across attempts and reruns, not guessable. */
export function messageIdFor(app: App, issueId: string, subscriberId: number): string {
  const h = createHmac('sha256', app.config.secretKey).update(`message:${issueId}:${subscriberId}`).digest('hex').slice(0, 20);
  return `<${issueId}.${h}@${mailDomain(app)}>`;
}

/** The group stage with the configured parameters and the operator's themes.yml. */
export function groupDigest(config: Config, digest: Digest) {
  return groupPapers(digest, { ...config.themes, operatorThemes: loadOperatorThemes(config.themesFile) });
}

/** Groups and compiles a digest into an issue, without issue history (previews, `render`). */
export async function buildIssue(app: App, digest: Digest): Promise<CompiledIssue> {
  const themed = groupDigest(app.config, digest);
  return compileIssue(themed, { templatesDir: app.config.templatesDir, publicUrl: app.config.publicUrl });
}

/** Step 2: the frozen issue for this digest's date, or a fresh one with issue history applied. */
export async function prepareIssue(app: App, digest: Digest & { date: string }): Promise<PreparedIssue> {
  const store = app.store();
  const stored = await store.getIssue(digest.date);
  if (stored) {
    const compiled = JSON.parse(stored.frozen) as CompiledIssue;
    return { compiled, frozen: true, newPaperCount: compiled.paperCount, repeatCount: 0 };
  }
  const themed = groupDigest(app.config, digest);
  const earlier = await store.findEarlierPapers(
    digest.papers.map((p) => p.id),
    digest.date,
  );
  const recent = await store.recentIssuePapers(digest.date, 7);
  const history = applyIssueHistory(themed, earlier, recent, app.config.repeats);
  const compiled = await compileIssue(history.themed, {
    templatesDir: app.config.templatesDir,
    publicUrl: app.config.publicUrl,
    stillTrending: history.stillTrending,
    themeStatus: history.themeStatus,
  });
  return { compiled, frozen: false, newPaperCount: history.newPaperCount, repeatCount: digest.papers.length - history.newPaperCount };
}

/** Steps 3 and 4: freezes the issue if needed and delivers it to every active subscriber. */
export async function deliverPrepared(
  app: App,
  prepared: Pick<PreparedIssue, 'compiled' | 'frozen'>,
  options: Pick<SendIssueOptions, 'limit' | 'signal' | 'onProgress'> = {},
): Promise<{ summary: DeliverySummary; frozeNow: boolean }> {
  const { compiled } = prepared;
  const store = app.store();
  const issueId = compiled.id;
  let frozeNow = false;
  if (!prepared.frozen) {
    await store.freezeIssue(issueId, JSON.stringify(compiled));
    await store.recordIssuePapers(
      compiled.themes.flatMap((t) =>
        t.papers.map((p) => ({ issueId, paperId: p.id, title: p.title, url: p.url, upvotes: p.upvotes, themeLabel: t.label })),
      ),
    );
    frozeNow = true;
  }
  const compose = createIssueComposer({
    issueId,
    from: app.config.mailFrom,
    listId: app.config.listId,
    unsubscribeMailto: app.config.unsubscribeMailto,
    personalize: (values) => personalizeIssue(compiled, values),
    valuesFor: (sub) => ({ email: sub.email, name: sub.name, themes: sub.themes, ...linksFor(app, sub.id) }),
  });
  const summary = await deliverIssue({
    store,
    transport: app.transport(),
    issueId,
    from: parseAddress(app.config.mailFrom).email,
    compose,
    messageIdFor: (sub) => messageIdFor(app, issueId, sub.id),
    maxAttempts: app.config.sendMaxAttempts,
    retryBaseMs: app.config.sendRetryBaseMs,
    ratePerSec: app.config.sendRatePerSec,
    limit: options.limit,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { summary, frozeNow };
}

/** Sends one test copy of an issue outside the ledger (`send --to`, the preview's test button). */
export async function sendTestCopy(app: App, compiled: CompiledIssue, address: string): Promise<void> {
  let to: string;
  try {
    to = normalizeEmail(address);
  } catch (e) {
    throw new InputError(`--to ${(e as Error).message}`, 'give one address such as you@example.org');
  }
  const known = await app.store().getSubscriberByEmail(to);
  const links = known ? linksFor(app, known.id) : { unsubscribeUrl: `${app.config.publicUrl}/u/test`, preferencesUrl: `${app.config.publicUrl}/p/test` };
  const copy = personalizeIssue(compiled, { email: to, name: known?.name ?? null, themes: null, ...links })!;
  const messageId = `<test.${compiled.id}.${randomBytes(8).toString('hex')}@${mailDomain(app)}>`;
  const build = createMessageBuilder({ issueId: compiled.id, from: app.config.mailFrom, listId: app.config.listId, unsubscribeMailto: app.config.unsubscribeMailto });
  const raw = build({ to, toName: known?.name ?? null, subject: `[TEST] ${copy.subject}`, html: copy.html, text: copy.text, messageId, unsubscribeUrl: links.unsubscribeUrl, date: new Date() });
  const transport = app.transport();
  try {
    await transport.send({ from: parseAddress(app.config.mailFrom).email, to, messageId, raw, meta: { issueId: compiled.id, subscriberId: null, subject: copy.subject, html: () => copy.html } });
  } catch (e) {
    if (!(e instanceof SendFailure)) throw e;
    throw new SmtpError(`the test copy to ${to} was not accepted by ${transport.name}: ${e.message}`, e.hint ?? 'check SMTP_URL and that the mail server is reachable', { smtpCode: e.responseCode });
  }
  await transport.finish?.(compiled.id);
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

  // 4b. A dry run: count who would get it now.
  if (options.dryRun) {
    const store = app.store();
    let wouldSend = 0;
    for await (const sub of store.listSubscribers({ status: 'active' })) {
      const d = await store.getDelivery(compiled.id, sub.id);
      if (d && (d.status === 'sent' || d.status === 'failed')) continue;
      if (personalizeIssue(compiled, { email: sub.email, name: sub.name, themes: sub.themes, ...linksFor(app, sub.id) }) !== null) wouldSend++;
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
