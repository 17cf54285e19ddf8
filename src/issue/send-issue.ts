/**
 * issue/ owns the pipeline that builds an issue and freezes it: ingest the digest, group it
 * into themes, apply the issue history, compile the templates, and freeze the result before
 * the first message goes out. `send`, `run`, the scheduler, `render`, the operator preview
 * and the web archive all build issues through here (prepare-issue.ts). Sending itself is
 * deliver/'s.
 *
 * Layering: issue/ may import the stages below it (ingest/, topics/, render/, store/,
 * subscribers/) and deliver/, which it hands a frozen issue to; never schedule/, web/, cli/ or
 * app.ts. Its functions take the few settings and stores they use (narrow ports, e.g.
 * SendPorts), never the App.
 *
 * This file is the `send` command's flow (the daily job of `run` and `schedule` has its own,
 * schedule/run-daily-job.ts, and shares steps 2 to 4 with it):
 *
 * 1. ingest the digest;
 * 2. reuse the issue frozen at its first send, or build it afresh (prepare-issue.ts);
 * 3. check the copies it will make (the gate, check-before-send.ts), then freeze it, with the
 *    papers it carries, before the first message goes out (deliver-prepared.ts);
 * 4. deliver it: to every active subscriber (deliver-prepared.ts), or one test copy (--to,
 *    deliver/send-test-copy.ts), or nobody (--dry-run: count who would get it).
 */
import type { Config } from '../config.js';
import { DigestError } from '../errors.js';
import { ingestDigest, type DigestFormat } from '../ingest/ingest-digest.js';
import type { DeliveryLedger, SubscriberStore } from '../store/store.js';
import type { IngestWarning } from '../types.js';
import type { DeliveryProgress, DeliverySummary } from '../deliver/deliver-issue.js';
import { sendTestCopy, type TestCopyPorts } from '../deliver/send-test-copy.js';
import { checkBeforeSend, type SendCheckReport } from './check-before-send.js';
import { countWouldSend } from './count-would-send.js';
import { deliverPrepared, type SendPorts } from './deliver-prepared.js';
import { audienceOf } from './issue-audience.js';
import { frozenIssueGaps } from './frozen-issue-gaps.js';
import { planOne } from './plan-readers.js';
import { prepareIssue, type IssueInputs } from './prepare-issue.js';

/** Who would get an issue now, for a dry run (roles: SubscriberStore, DeliveryLedger). */
export type DryRunReads = Pick<SubscriberStore, 'listSubscribers' | 'countSubscribers'> & Pick<DeliveryLedger, 'getDelivery'>;

/** What `send` uses: its digest settings, and what building, delivering and test copies use. */
export interface SendIssuePorts {
  config: Pick<Config, 'digestSource' | 'http' | 'sendEmpty'> & IssueInputs['config'] & SendPorts['config'] & TestCopyPorts['config'];
  store(): ReturnType<IssueInputs['store']> & ReturnType<SendPorts['store']> & ReturnType<TestCopyPorts['store']> & DryRunReads;
  transport: SendPorts['transport'];
  sendQueue: SendPorts['sendQueue'];
  readerSignals: SendPorts['readerSignals'];
  topicMatcher?: SendPorts['topicMatcher'];
}

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
  /** With a dry run: active subscribers on the suppression list, whom the send leaves out (and counts). */
  suppressed?: number;
  summary?: DeliverySummary;
  warnings: IngestWarning[];
  renderWarnings: string[];
  htmlBytes: number;
  /** What the pre-send checks found, when they ran and did not stop the send (check-before-send.ts). */
  checks?: SendCheckReport | null;
}

/** Runs the `send` command; see the file comment for the steps. */
export async function sendIssue(ports: SendIssuePorts, options: SendIssueOptions = {}): Promise<SendReport> {
  // 1. Ingest.
  const source = options.source ?? ports.config.digestSource;
  const ingested = await ingestDigest(source, {
    format: options.format,
    date: options.date,
    timeoutMs: ports.config.http.timeoutMs,
    retries: ports.config.http.retries,
    stdin: options.stdin,
    allowEmpty: ports.config.sendEmpty,
  });
  const { digest } = ingested;
  const warnings = [...ingested.warnings];
  if (!digest.date) {
    throw new DigestError(`${digest.source}: the digest has no date, and an issue is named by its date`, 'pass --date YYYY-MM-DD');
  }
  const date = digest.date;
  // 2.
  const prepared = await prepareIssue(ports, { ...digest, date });
  const { compiled } = prepared;
  // A frozen issue is sent as it was frozen: papers a source lists now that it does not carry are not sent; say so.
  if (prepared.frozen) for (const message of await frozenIssueGaps(ports.store(), compiled, ingested)) warnings.push({ position: digest.source, message });
  const base = { issueId: compiled.id, subject: compiled.subject, warnings, renderWarnings: compiled.warnings, htmlBytes: compiled.htmlBytes };

  // 4a. A test copy, outside the ledger.
  if (options.to !== undefined) {
    await sendTestCopy({ ...ports, planOf: (reader) => planOne(compiled, ports, reader) }, compiled, options.to);
    return { ...base, mode: 'test', frozeNow: false };
  }

  // 4b. A dry run: count who would get it now (this run: at most --limit).
  if (options.dryRun) {
    // The gate runs as the send would run it: a dry run of a send it would stop fails the same way.
    const checks = prepared.frozen ? null : await checkBeforeSend(ports, compiled);
    // Daily readers only: weekly readers get the weekly issue (issue-audience.ts).
    const subscribers = ports.store().listSubscribers({ status: 'active', suppressed: false });
    const wouldSend = await countWouldSend(ports, compiled, subscribers, audienceOf(compiled.id, ''), options.limit);
    const suppressed = await ports.store().countSubscribers({ status: 'active', suppressed: true });
    return { ...base, mode: 'dry-run', frozeNow: false, wouldSend, suppressed, checks };
  }

  // An issue frozen for nobody would be "sent" already when the first subscribers arrive.
  if (!prepared.frozen && (await ports.store().countSubscribers({ status: 'active' })) === 0) {
    return { ...base, mode: 'not-sent', frozeNow: false, reason: 'there are no active subscribers (add some with paperpost subscribers add or import)' };
  }
  if (!prepared.frozen && prepared.newPaperCount === 0) {
    const reason = digest.papers.length === 0 ? 'the digest has no papers' : `all ${digest.papers.length} papers were already sent in earlier issues`;
    if (digest.papers.length > 0 || !ports.config.sendEmpty) return { ...base, mode: 'not-sent', frozeNow: false, reason };
  }
  // 3 and 4c.
  const { summary, frozeNow, checks } = await deliverPrepared(ports, prepared, options);
  return { ...base, mode: 'send', frozeNow, summary, checks };
}
