/**
 * The weekly step of every scheduled tick (run-daily-job.ts, step 7): one process sends daily
 * and weekly issues. On each tick it offers the last full week's issue to the weekly readers
 * whose day has come (issue/send-weekly-issue.ts); the ledger makes that once per reader, so
 * on most days it finds nobody new and says nothing.
 *
 * 1. Nobody reads weekly: nothing, silently (no issue is built).
 * 2. First the week before the last full week, to the readers who were subscribed on their
 *    day of the week it was due and never had it (the ledger says so). A reader whose day had no tick after it in its
 *    week (weekly:sun when the Sunday run was missed, weekly:sat or sun under a weekday-only
 *    CRON_SCHEDULE) gets that week at the next tick, in the week after, instead of losing it,
 *    and the next week at a later tick (weekly-owed.ts: at most one week a day per reader).
 * 3. Then the last full week, to the weekly readers whose day has come (nobody: silently);
 *    build or reuse the week's issue and deliver it; report what it did.
 * 4. A failure of a weekly issue (a lock another sender holds, a template error) is logged
 *    and reported, never thrown: the day's run is recorded either way.
 */
import type { App } from '../app.js';
import type { DeliveryProgress, DeliverySummary } from '../deliver/deliver-issue.js';
import { PaperpostError } from '../errors.js';
import { audienceCadences } from '../issue/issue-audience.js';
import { sendWeeklyIssue } from '../issue/send-weekly-issue.js';
import { weeklyOwed, type WeeklyOwed } from '../issue/weekly-owed.js';
import { addWeeks, isoWeekOf, isWeekId, lastFullWeek } from '../iso-week.js';
import { WEEKLY_CADENCES } from '../subscribers/cadence.js';
import type { Subscriber } from '../types.js';
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

/** Readers read from the list at once when looking for one who is owed an overdue week. */
const BATCH = 500;

/** True when some active weekly reader is owed `weekId` and has not had it (sent, or failed for good). */
async function someoneOwed(app: App, weekId: string, owed: WeeklyOwed): Promise<boolean> {
  const store = app.store();
  const check = async (subs: Subscriber[]) => {
    await owed.load(subs);
    const rows = await store.getDeliveries(weekId, subs.map((x) => x.id));
    return subs.some((x) => owed.owes(x) && !['sent', 'failed'].includes(rows.get(x.id)?.status ?? ''));
  };
  let batch: Subscriber[] = [];
  for await (const sub of store.listSubscribers({ status: 'active', suppressed: false, cadence: WEEKLY_CADENCES })) {
    batch.push(sub);
    if (batch.length >= BATCH) {
      if (await check(batch)) return true;
      batch = [];
    }
  }
  return batch.length > 0 && (await check(batch));
}

/** One week to the readers it is for today (the options say which); null when it sent nobody anything. */
async function sendWeek(app: App, o: WeeklyStepOptions, weekId: string, label: string, overdue = false): Promise<WeeklyStepResult | null> {
  try {
    const r = await sendWeeklyIssue(app, { weekId, today: o.today, overdue, signal: o.signal, onProgress: (p) => o.onProgress?.(weekId, p) });
    if (r.mode !== 'send' || !r.summary) {
      o.log.info({ issueId: weekId }, `${label} ${weekId} not sent: ${r.reason}`);
      return { issueId: weekId, detail: `${label} ${weekId} not sent: ${r.reason}`, incomplete: false };
    }
    const s = r.summary;
    if (s.sent + s.deferred + s.failed === 0 && s.complete) return null;
    const detail = `${label} ${weekId}: ${app.config.smtpUrl ? 'sent' : 'written to the outbox'} ${s.sent}, deferred ${s.deferred}, failed ${s.failed}`;
    o.log.info({ issueId: weekId, ...s }, detail);
    return { issueId: weekId, detail, summary: s, incomplete: !s.complete };
  } catch (e) {
    // 4.
    const message = e instanceof PaperpostError ? e.message : `unexpected failure: ${(e as Error).message}`;
    o.log.error({ issueId: weekId, err: { message } }, `${label} ${weekId} failed: ${message}`);
    return { issueId: weekId, detail: `${label} ${weekId} failed: ${message}`, incomplete: true };
  }
}

/** Runs the weekly step once: what it did, one result per week it sent (none when there was nothing to do). */
export async function runWeeklyStep(app: App, o: WeeklyStepOptions): Promise<WeeklyStepResult[]> {
  const store = app.store();
  // 1.
  if ((await store.countSubscribers({ status: 'active', suppressed: false, cadence: WEEKLY_CADENCES })) === 0) return [];
  const results: WeeklyStepResult[] = [];
  const weekId = lastFullWeek(o.today);
  // 2. The week before, to the readers subscribed on their day of the week it was due who have not had it.
  const overdue = addWeeks(weekId, -1);
  const issueIds = (await store.listIssueIds()).map((i) => i.id);
  const owed = weeklyOwed({ ledger: store, issueIds, timeZone: app.config.timeZone }, overdue, o.today, { overdue: true });
  if (issueIds.some((id) => !isWeekId(id) && isoWeekOf(id) === overdue) && (await someoneOwed(app, overdue, owed))) {
    const r = await sendWeek(app, o, overdue, 'overdue weekly issue', true);
    if (r) results.push(r);
  }
  // 3.
  if (o.signal?.aborted) return results;
  const cadence = audienceCadences(weekId, o.today);
  if ((await store.countSubscribers({ status: 'active', suppressed: false, cadence })) === 0) return results;
  const r = await sendWeek(app, o, weekId, 'weekly issue');
  if (r) results.push(r);
  return results;
}
