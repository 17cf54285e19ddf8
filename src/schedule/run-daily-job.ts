/**
 * The daily job, as `run`, `schedule --once` and every scheduled tick run it:
 *
 * 1. record the run (at most one per scheduled time, whoever else is scheduling);
 * 2. finish what earlier runs left: issues with deferred or interrupted deliveries;
 * 3. fetch the newest digest, retrying a failed fetch with growing waits;
 * 4. skip it when it is empty, already sent (warning of papers a source lists that the frozen
 *    issue does not carry: issue/frozen-issue-gaps.ts), or older than the last issue;
 * 5. build the issue with issue history (repeats to "Still trending"); skip it when every
 *    paper is a repeat;
 * 6. deliver it, once the pre-send checks pass (issue/check-before-send.ts; SEND_CHECKS);
 * 7. then, on the same tick, the weekly issue: the last full week's, to the weekly readers
 *    whose day it is (run-weekly-step.ts), whatever the day's digest brought, even when the
 *    day's part failed (a fetch that failed, a pre-send check that stopped the day's issue).
 *
 * On PostgreSQL, delivering (steps 2 and 6) goes through the send queue that several
 * processes share (issue/deliver-prepared.ts), and a scheduler that finds the tick taken in step 1
 * joins the sends of the run that has it (join-shared-sends.ts).
 */
import type { App } from '../app.js';
import { DigestError, EmptyDigestError, LockError, PaperpostError } from '../errors.js';
import { ingestDigest } from '../ingest/ingest-digest.js';
import { deliverPrepared } from '../issue/deliver-prepared.js';
import { frozenIssueGaps } from '../issue/frozen-issue-gaps.js';
import { prepareIssue } from '../issue/prepare-issue.js';
import { gateLines } from '../render/checks/check-problem.js';
import type { DeliveryProgress, DeliverySummary } from '../deliver/deliver-issue.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { IngestWarning } from '../types.js';
import { DuplicateRunError } from '../store/store.js';
import { isWeeklyIssue } from '../issue/issue-audience.js';
import { localDate } from '../iso-week.js';
import { joinSharedSends } from './join-shared-sends.js';
import { runWeeklyStep } from './run-weekly-step.js';

/** Structured log lines (pino's signature). */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of one run. */
export interface DailyJobOptions {
  /** The cron time this run is for; null for a manual run (`run`, `schedule --once`). */
  scheduledFor?: Date | null;
  signal?: AbortSignal;
  log: JobLogger;
  sleep?: (ms: number) => Promise<void>;
  /** First wait between fetch attempts (doubles each time). */
  fetchRetryBaseMs?: number;
  onProgress?: (issueId: string, p: DeliveryProgress) => void;
}

/** How a run ended. `resumed`: it finished earlier issues, and today's digest brought nothing to send. */
export type JobOutcome = 'sent' | 'resumed' | 'nothing-new' | 'not-sent' | 'incomplete' | 'skipped';

/** What a run did; `incomplete` means deliveries were left deferred or unsent. */
export interface DailyJobResult {
  outcome: JobOutcome;
  issueId: string | null;
  detail: string;
  /** Deliveries of this run, per issue (resumed ones included). */
  summaries: { issueId: string; summary: DeliverySummary }[];
  warnings: IngestWarning[];
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Runs the daily job once; see the file comment for the steps. */
export async function runDailyJob(app: App, o: DailyJobOptions): Promise<DailyJobResult> {
  const store = app.store();
  const sleep = o.sleep ?? ((ms: number) => defaultSleep(ms, o.signal));
  const scheduledFor = o.scheduledFor ? o.scheduledFor.toISOString() : null;
  // The local day of this run: which weekly readers' day it is.
  const today = localDate(o.scheduledFor ?? new Date(), app.config.timeZone);

  // 1. One run per scheduled time: a second scheduler's insert fails on the unique index.
  let runId: number;
  try {
    runId = await store.startRun(scheduledFor);
  } catch (e) {
    if (scheduledFor && e instanceof DuplicateRunError) {
      o.log.info({ scheduledFor }, 'another scheduler has this run; skipping');
      // On PostgreSQL, this scheduler still sends its share of the issues that run sends.
      const summaries = app.sendQueue() ? await joinSharedSends(app, { scheduledFor, signal: o.signal, onProgress: o.onProgress }) : [];
      const sent = summaries.reduce((n, s) => n + s.summary.sent, 0);
      const detail = `another scheduler has this run${summaries.length ? `; helped it send ${summaries.map((s) => s.issueId).join(', ')} (${sent} sent here)` : ''}`;
      return { outcome: 'skipped', issueId: null, detail, summaries, warnings: [] };
    }
    throw e;
  }
  const result: DailyJobResult = { outcome: 'nothing-new', issueId: null, detail: '', summaries: [], warnings: [] };
  // 7. The weekly issue, on the same tick, after the day's: it is built from stored daily issues,
  // so it goes out whatever the day's part did, a failure of it included (see the catch below).
  const weeklyStep = async () => {
    const weeks = o.signal?.aborted ? [] : await runWeeklyStep(app, { today, signal: o.signal, log: o.log, onProgress: o.onProgress });
    for (const w of weeks) if (w.summary) result.summaries.push({ issueId: w.issueId, summary: w.summary });
    if (!weeks.length) return null;
    const sent = weeks.reduce((n, w) => n + (w.summary?.sent ?? 0), 0);
    return { detail: weeks.map((w) => w.detail).join('; '), incomplete: weeks.some((w) => w.incomplete), sent };
  };
  const finish = async (outcome: JobOutcome, issueId: string | null, detail: string) => {
    // A run that finished earlier issues did something, whatever today's digest brought: say so.
    const resumed = result.summaries.filter((s) => s.issueId !== issueId || outcome === 'nothing-new');
    if ((outcome === 'nothing-new' || outcome === 'not-sent') && resumed.length > 0) {
      const sent = resumed.reduce((n, s) => n + s.summary.sent, 0);
      const left = resumed.some((s) => !s.summary.complete);
      detail = `finished ${resumed.map((s) => s.issueId).join(', ')} (${sent} sent${left ? ', some still left' : ''}); then ${outcome === 'nothing-new' ? 'nothing new' : 'not sent'}: ${detail}`;
      outcome = left ? 'incomplete' : 'resumed';
    }
    const weekly = await weeklyStep();
    if (weekly) {
      detail = detail ? `${detail}; ${weekly.detail}` : weekly.detail;
      if (weekly.incomplete) outcome = 'incomplete';
      // A tick whose mail was the weekly issue sent something, whatever the day's digest brought.
      else if (weekly.sent > 0 && (outcome === 'nothing-new' || outcome === 'not-sent' || outcome === 'resumed')) outcome = 'sent';
    }
    Object.assign(result, { outcome, issueId, detail });
    await store.finishRun(runId, outcome, issueId, detail);
    return result;
  };

  const deliver = async (compiled: CompiledIssue, frozen: boolean) => {
    const { summary, checks } = await deliverPrepared(app, { compiled, frozen }, { today, signal: o.signal, onProgress: (p) => o.onProgress?.(compiled.id, p) });
    // The gate's findings that did not stop the send (a failing gate throws, and the run fails with its lines).
    for (const line of checks ? gateLines(checks) : []) o.log.warn({ issueId: compiled.id }, `pre-send check: ${line}`);
    result.summaries.push({ issueId: compiled.id, summary });
    o.log.info({ issueId: compiled.id, ...summary }, `issue ${compiled.id}: ${app.config.smtpUrl ? 'sent' : 'written to the outbox'} ${summary.sent}, deferred ${summary.deferred}, failed ${summary.failed}, skipped ${summary.skipped}`);
    // A relay that failed or was left out beside healthy ones: one warning each (`run` prints them on stderr).
    for (const note of summary.relayNotes ?? []) o.log.warn({ issueId: compiled.id }, note);
    return summary;
  };

  try {
    // 2. Leftovers first: they are older, and their subscribers have waited longer.
    for (const issue of await store.listUnfinishedIssues()) {
      if (o.signal?.aborted) return await finish('incomplete', issue.id, 'stopped before finishing earlier issues');
      o.log.info({ issueId: issue.id }, `resuming issue ${issue.id}: deliveries left deferred or unsent by an earlier run`);
      try {
        await deliver(JSON.parse(issue.frozen) as CompiledIssue, true);
      } catch (e) {
        if (e instanceof LockError) o.log.warn({ issueId: issue.id }, e.message);
        else throw e;
      }
    }

    // 3. The newest digest.
    const source = app.config.digestSource;
    let ingested: Awaited<ReturnType<typeof ingestDigest>> | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        ingested = await ingestDigest(source, { timeoutMs: app.config.http.timeoutMs, retries: app.config.http.retries, allowEmpty: app.config.sendEmpty });
        break;
      } catch (e) {
        if (e instanceof EmptyDigestError && !app.config.sendEmpty) return await finish('not-sent', null, `the digest is empty: ${e.message}`);
        // Bad content will not get better by asking again; a network failure (exit code 1) might.
        const retryable = e instanceof DigestError && e.exitCode === 1;
        if (!retryable || attempt >= app.config.fetchAttempts || o.signal?.aborted) throw e;
        const wait = (o.fetchRetryBaseMs ?? 30_000) * 2 ** (attempt - 1);
        o.log.warn({ attempt, waitMs: wait }, `fetching the digest failed (${(e as Error).message}); trying again in ${Math.round(wait / 1000)} s`);
        await sleep(wait);
      }
    }
    const { digest, warnings } = ingested;
    result.warnings = warnings;
    for (const w of warnings) o.log.warn({ position: w.position }, w.message);
    if (!digest.date) throw new DigestError(`${digest.source}: the digest has no date, and an issue is named by its date`, 'use a source that dates its digests');

    // 4. New, or not? (Weekly issues are named by their week, not a day: they are not the last issue.)
    const latest = (await store.listIssues()).find((i) => !isWeeklyIssue(i.id));
    if (latest && digest.date < latest.id) {
      return await finish('nothing-new', null, `the newest digest (${digest.date}) is older than the last issue (${latest.id}); ignored`);
    }
    if (latest && digest.date === latest.id) {
      // Step 2 has already given its unfinished deliveries their chance in this run.
      const current = await store.getIssue(latest.id);
      if (current?.sentAt) {
        // Papers a source lists now that the frozen issue does not carry are not sent: say so.
        for (const line of await frozenIssueGaps(store, JSON.parse(current.frozen) as CompiledIssue, ingested)) o.log.warn({ issueId: latest.id }, line);
        return await finish('nothing-new', latest.id, `issue ${latest.id} has already gone out`);
      }
      return await finish('incomplete', latest.id, `issue ${latest.id} still has deliveries left deferred; the next run retries them`);
    }

    // 5. Build it.
    const prepared = await prepareIssue(app, { ...digest, date: digest.date });
    if (!prepared.frozen && prepared.newPaperCount === 0 && digest.papers.length > 0) {
      return await finish('not-sent', digest.date, `all ${digest.papers.length} papers of ${digest.date} were already sent in earlier issues`);
    }

    // An issue frozen for nobody would count as sent when the first subscribers arrive.
    if (!prepared.frozen && (await store.countSubscribers({ status: 'active' })) === 0) {
      return await finish('not-sent', digest.date, 'there are no active subscribers yet (paperpost subscribers add or import)');
    }

    // 6. Deliver it.
    if (o.signal?.aborted) return await finish('incomplete', digest.date, 'stopped before sending');
    const summary = await deliver(prepared.compiled, prepared.frozen);
    const detail =
      `issue ${digest.date}: ${app.config.smtpUrl ? 'sent' : 'written to the outbox'} ${summary.sent}, deferred ${summary.deferred}, failed ${summary.failed}, skipped ${summary.skipped}` +
      (prepared.repeatCount ? `; ${prepared.repeatCount} repeat(s) ${app.config.repeats === 'drop' ? 'left out' : 'under "Still trending"'}` : '');
    return await finish(summary.complete ? 'sent' : 'incomplete', digest.date, detail);
  } catch (e) {
    const message = e instanceof PaperpostError ? e.message : `unexpected failure: ${(e as Error).message}`;
    if (e instanceof LockError) {
      await finish('skipped', null, e.message);
      o.log.warn({}, e.message);
      return result;
    }
    // The day's part failed; the weekly readers whose day it is still get their week. The run is
    // recorded as failed, and the error still ends it, with what the weekly step did beside it.
    const weekly = await weeklyStep();
    await store.finishRun(runId, 'failed', result.issueId, weekly ? `${message}; ${weekly.detail}` : message);
    throw e;
  }
}
