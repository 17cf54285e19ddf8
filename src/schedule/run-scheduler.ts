/**
 * schedule/ owns the daily job and its timing: catch-up, resuming unfinished issues, the run
 * records, logging. It builds issues through issue/ and never imports web/ or cli/.
 *
 * `paperpost schedule`: runs the daily job at CRON_SCHEDULE in TZ until stopped.
 *
 * 1. On start, catch up once: if the latest scheduled time is within the catch-up window
 *    and no run is recorded for it (the process was down), run it now.
 * 2. Then run at every scheduled time; node-cron never starts a run while one is going. On
 *    start, warn of each weekday weekly readers chose that the schedule never runs on.
 * 2a. Beside them, the doctor checks the sending setup daily (run-daily-doctor.ts).
 * 3. On abort (SIGTERM, SIGINT): stop scheduling, let the running job finish the messages
 *    in flight and record them, then resolve — within `shutdownMs`.
 */
import type { App } from '../app.js';
import { PaperpostError } from '../errors.js';
import { createCronClock } from './create-cron-clock.js';
import { runDailyDoctor, type DailyDoctorOptions } from './run-daily-doctor.js';
import { runDailyJob, type DailyJobOptions, type DailyJobResult, type JobLogger } from './run-daily-job.js';
import { unscheduledWeekdays } from './unscheduled-weekdays.js';
import { weekdayName } from '../subscribers/cadence.js';
import { plural } from '../plural.js';

/** One line per weekday the schedule never runs on that active weekly readers chose (unscheduled-weekdays.ts). */
async function weekdayWarnings(app: App, cron: ReturnType<typeof createCronClock>): Promise<string[]> {
  const lines: string[] = [];
  for (const day of unscheduledWeekdays(cron, app.config.timeZone)) {
    const readers = await app.store().countSubscribers({ status: 'active', suppressed: false, cadence: [`weekly:${day}`] });
    if (readers === 0) continue;
    lines.push(`no run of "${app.config.cronSchedule}" falls on a ${weekdayName(day)}, the day ${plural(readers, 'weekly reader')} chose: they get each week's issue at the first run after it, in the week after, not on their day`);
  }
  return lines;
}

/** Options of the scheduler loop. */
export interface SchedulerOptions {
  log: JobLogger;
  signal: AbortSignal;
  now?: () => Date;
  /** The longest a shutdown may wait for the running job. */
  shutdownMs?: number;
  onResult?: (r: DailyJobResult) => void;
  job?: Pick<DailyJobOptions, 'fetchRetryBaseMs' | 'sleep' | 'onProgress'>;
  /** Run the doctor daily beside the runs, with this DNS and CA (tests inject them); absent: no doctor. */
  doctor?: Pick<DailyDoctorOptions, 'resolver' | 'ca' | 'sleep'>;
}

/** Runs until `signal` aborts; see the file comment for the steps. */
export async function runScheduler(app: App, o: SchedulerOptions): Promise<void> {
  const now = o.now ?? (() => new Date());
  // The schedule is the scheduler's own: CRON_SCHEDULE in TZ.
  const cron = createCronClock(app.config.cronSchedule, app.config.timeZone);
  let running: Promise<void> | null = null;

  const runOnce = (scheduledFor: Date, reason: string): Promise<void> => {
    const p = (async () => {
      o.log.info({ scheduledFor: scheduledFor.toISOString(), reason }, `daily run (${reason})`);
      try {
        const r = await runDailyJob(app, { ...o.job, scheduledFor, signal: o.signal, log: o.log });
        o.log.info({ outcome: r.outcome, issueId: r.issueId, summaries: r.summaries.map((s) => ({ issueId: s.issueId, ...s.summary })) }, `run finished: ${r.outcome}: ${r.detail}`);
        o.onResult?.(r);
      } catch (e) {
        // One failed day must not stop the scheduler: log it, and the next tick tries again.
        const message = e instanceof PaperpostError ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : `unexpected failure: ${(e as Error).stack ?? e}`;
        o.log.error({ err: { message } }, `run failed: ${message}`);
      }
    })();
    running = p.finally(() => {
      if (running === p) running = null;
    });
    return p;
  };

  // 1. Catch-up.
  const graceMs = app.config.catchUpHours * 3600_000;
  const missed = graceMs > 0 ? cron.previousRun(now(), graceMs) : null;
  if (missed && !(await app.store().findRunFor(missed.toISOString()))) {
    await runOnce(missed, `catch-up: the run of ${missed.toISOString()} did not happen`);
  }

  // 2. The schedule.
  const next = cron.nextRuns(1)[0];
  o.log.info({ cron: app.config.cronSchedule, timeZone: app.config.timeZone, next: next?.toISOString() }, `scheduled: "${app.config.cronSchedule}" in ${app.config.timeZone}; next run ${next?.toISOString() ?? 'never'}`);
  // Weekly readers whose weekday has no run get their issue at the first run after it: say so.
  for (const line of await weekdayWarnings(app, cron)) o.log.warn({ cron: app.config.cronSchedule }, line);
  // The sending setup is checked daily beside the runs (run-daily-doctor.ts); it never stops them.
  const doctor = !o.doctor ? Promise.resolve() : runDailyDoctor(app, { ...o.doctor, log: o.log, signal: o.signal, now });
  const task = cron.start((scheduledFor) => (o.signal.aborted ? Promise.resolve() : runOnce(scheduledFor, 'scheduled')));

  // 3. Shutdown.
  await new Promise<void>((resolve) => (o.signal.aborted ? resolve() : o.signal.addEventListener('abort', () => resolve(), { once: true })));
  o.log.info({}, 'stopping: no new runs; waiting for the messages in flight');
  await task.stop();
  // A doctor run in flight is not waited for: it only reads DNS and saves a record.
  void doctor;
  const inFlight = running as Promise<void> | null;
  if (inFlight) {
    const limit = o.shutdownMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      inFlight.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), limit))),
    ]);
    clearTimeout(timer);
    if (timedOut) o.log.warn({ waitedMs: limit }, 'the running job did not stop in time; its unrecorded messages will be resent (same Message-ID) by the next run');
  }
  o.log.info({}, 'stopped');
}
