/**
 * The `send` pipeline for one digest:
 *
 * 1. ingest the digest;
 * 2. reuse the issue frozen at its first send, or group and compile it afresh;
 * 3. freeze it before the first message goes out (a resend after a crash uses exactly
 *    the same content, whatever happened to the templates since);
 * 4. deliver it: to every active subscriber, or one test copy (--to), or nobody (--dry-run).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { DigestError, InputError } from '../errors.js';
import { ingestDigest, type DigestFormat } from '../ingest/ingest-digest.js';
import { groupPapers } from '../group/group-papers.js';
import { loadOperatorThemes } from '../group/load-operator-themes.js';
import { compileIssue, type CompiledIssue } from '../render/compile-issue.js';
import { personalizeIssue } from '../render/personalize-issue.js';
import { signToken } from '../subscribers/sign-token.js';
import { normalizeEmail } from '../subscribers/normalize-email.js';
import type { Digest, IngestWarning, Subscriber } from '../types.js';
import { createMessageBuilder, parseAddress } from './build-message.js';
import { createIssueComposer } from './create-issue-composer.js';
import { deliverIssue, type DeliveryProgress, type DeliverySummary } from './deliver-issue.js';

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
  mode: 'send' | 'dry-run' | 'test';
  /** True when this run froze the issue (its first send). */
  frozeNow: boolean;
  /** For a dry run: how many active subscribers would get it now. */
  wouldSend?: number;
  summary?: DeliverySummary;
  warnings: IngestWarning[];
  renderWarnings: string[];
  htmlBytes: number;
}

/** Links and ids that belong to one subscriber. */
export interface RecipientLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** Builds the signed unsubscribe and preferences links for a subscriber. */
export function linksFor(app: App, subscriberId: number): RecipientLinks {
  const { publicUrl, secretKey } = app.config;
  return {
    unsubscribeUrl: `${publicUrl}/u/${signToken(secretKey, 'unsubscribe', subscriberId)}`,
    preferencesUrl: `${publicUrl}/p/${signToken(secretKey, 'preferences', subscriberId)}`,
  };
}

/** The Message-ID for (issue, subscriber): stable across attempts and reruns, not guessable. */
export function messageIdFor(app: App, issueId: string, subscriberId: number): string {
  const domain = parseAddress(app.config.mailFrom).email.split('@')[1] ?? 'localhost';
  const h = createHmac('sha256', app.config.secretKey).update(`message:${issueId}:${subscriberId}`).digest('hex').slice(0, 20);
  return `<${issueId}.${h}@${domain}>`;
}

/** Groups and compiles a digest into an issue (no database involved). */
export async function buildIssue(app: App, digest: Digest): Promise<CompiledIssue> {
  const themed = groupPapers(digest, { ...app.config.themes, operatorThemes: loadOperatorThemes(app.config.themesFile) });
  return compileIssue(themed, { templatesDir: app.config.templatesDir, publicUrl: app.config.publicUrl });
}

/** Runs the send pipeline; see the file comment for the steps. */
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
  const issueId = digest.date;
  const store = app.store();

  // 2. Frozen or fresh.
  const stored = await store.getIssue(issueId);
  const compiled: CompiledIssue = stored ? (JSON.parse(stored.frozen) as CompiledIssue) : await buildIssue(app, digest);
  const base = { issueId, subject: compiled.subject, warnings, renderWarnings: compiled.warnings, htmlBytes: compiled.htmlBytes };

  const build = createMessageBuilder({
    issueId,
    from: app.config.mailFrom,
    listId: app.config.listId,
    unsubscribeMailto: app.config.unsubscribeMailto,
  });
  const copyFor = (sub: Pick<Subscriber, 'email' | 'name' | 'themes'>, links: RecipientLinks) =>
    personalizeIssue(compiled, { email: sub.email, name: sub.name, themes: sub.themes, ...links });

  // 4a. A test copy, outside the ledger.
  if (options.to !== undefined) {
    let to: string;
    try {
      to = normalizeEmail(options.to);
    } catch (e) {
      throw new InputError(`--to ${(e as Error).message}`, 'give one address such as you@example.org');
    }
    const known = await store.getSubscriberByEmail(to);
    const links = known ? linksFor(app, known.id) : { unsubscribeUrl: `${app.config.publicUrl}/u/test`, preferencesUrl: `${app.config.publicUrl}/p/test` };
    const copy = copyFor({ email: to, name: known?.name ?? null, themes: null }, links) ?? copyFor({ email: to, name: null, themes: null }, links)!;
    const messageId = `<test.${issueId}.${randomBytes(8).toString('hex')}@${parseAddress(app.config.mailFrom).email.split('@')[1] ?? 'localhost'}>`;
    const raw = build({ to, toName: known?.name ?? null, subject: `[TEST] ${copy.subject}`, html: copy.html, text: copy.text, messageId, unsubscribeUrl: links.unsubscribeUrl, date: new Date() });
    const transport = app.transport();
    await transport.send({ from: parseAddress(app.config.mailFrom).email, to, messageId, raw, meta: { issueId, subscriberId: null, subject: copy.subject, html: () => copy.html } });
    await transport.finish?.(issueId);
    return { ...base, mode: 'test', frozeNow: false };
  }

  // 4b. A dry run: count who would get it now.
  if (options.dryRun) {
    let wouldSend = 0;
    for await (const sub of store.listSubscribers({ status: 'active' })) {
      const d = await store.getDelivery(issueId, sub.id);
      if (d && (d.status === 'sent' || d.status === 'failed')) continue;
      if (copyFor(sub, linksFor(app, sub.id)) !== null) wouldSend++;
    }
    return { ...base, mode: 'dry-run', frozeNow: false, wouldSend };
  }

  // 3. Freeze before the first message.
  let frozeNow = false;
  if (!stored) {
    await store.freezeIssue(issueId, JSON.stringify(compiled));
    frozeNow = true;
  }

  // 4c. Deliver.
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
  return { ...base, mode: 'send', frozeNow, summary };
}
