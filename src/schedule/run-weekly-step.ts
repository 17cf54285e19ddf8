/**
 * The weekly step of every scheduled tick (run-daily-job.ts, step 7): one process sends daily
 * and weekly issues. On each tick it offers the last full week's issue to the weekly readers
 * whose day has come (issue/send-weekly-issue.ts); the ledger makes that once per reader, so
 * on most days it finds nobody new and says nothing.
 *
 * 1. Nobody reads weekly, or nobody's day has come: nothing, silently (no issue is built).
 * 2. Otherwise build or reuse the week's issue and deliver it; report what it did.
 * 3. A failure of the weekly issue (a lock another sender holds, a template error) is logged
 *    and reported, never thrown: the day's run is recorded either way.
 */
import type { App } from '../app.js';
import type { DeliveryProgress, DeliverySummary } from '../deliver/deliver-issue.js';
import { PaperpostError } from '../errors.js';
import { audienceCadences } from '../issue/issue-audience.js';
import { sendWeeklyIssue } from '../issue/send-weekly-issue.js';
import { lastFullWeek } from '../iso-week.js';
import type { JobLogger } from './run-daily-job.js';

/** What the weekly step did, when it did anything. */
export interface WeeklyStepResult {
  issueId: string;
  detail: string;
  summary?: DeliverySummary;
  /** Deliveries were left deferred or unsent, or the step failed: the run is incomplete. */
  incomplete: boolean;
}

/** Options of one weekly step. */
export interface WeeklyStepOptions {
  /** The local date of the tick (YYYY-MM-DD in TZ). */
  today: string;
  signal?: AbortSignal;
  log: JobLogger;
  onProgress?: (issueId: string, p: DeliveryProgress) => void;
}

/** Runs the weekly step once; null when there was nothing to do. */
export async function runWeeklyStep(app: App, o: WeeklyStepOptions): Promise<WeeklyStepResult | null> {
  const weekId = lastFullWeek(o.today);
  // 1.
  const cadence = audienceCadences(weekId, o.today);
  if ((await app.store().countSubscribers({ status: 'active', suppressed: false, cadence })) === 0) return null;
  try {
    // 2.
    const r = await sendWeeklyIssue(app, { weekId, today: o.today, signal: o.signal, onProgress: (p) => o.onProgress?.(weekId, p) });
    if (r.mode !== 'send' || !r.summary) {
      o.log.info({ issueId: weekId }, `weekly issue ${weekId} not sent: ${r.reason}`);
      return { issueId: weekId, detail: `weekly issue ${weekId} not sent: ${r.reason}`, incomplete: false };
    }
    const s = r.summary;
    if (s.sent + s.deferred + s.failed === 0 && s.complete) return null;
    const detail = `weekly issue ${weekId}: ${app.config.smtpUrl ? 'sent' : 'written to the outbox'} ${s.sent}, deferred ${s.deferred}, failed ${s.failed}`;
    o.log.info({ issueId: weekId, ...s }, detail);
    return { issueId: weekId, detail, summary: s, incomplete: !s.complete };
  } catch (e) {
    // 3.
    const message = e instanceof PaperpostError ? e.message : `unexpected failure: ${(e as Error).message}`;
    o.log.error({ issueId: weekId, err: { message } }, `weekly issue ${weekId} failed: ${message}`);
    return { issueId: weekId, detail: `weekly issue ${weekId} failed: ${message}`, incomplete: true };
  }
}
