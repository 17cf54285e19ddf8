/**
 * The scheduler's daily doctor (issue #22, item 4): DNS records get edited, keys rotate and
 * certificates expire between sends, so `paperpost schedule` checks the sending setup once a
 * day, keeps the result for /admin (deliver/doctor/doctor-record.ts) and logs each failed or
 * warned check, without ever stopping the scheduler.
 *
 * 1. Run the doctor's checks (runDoctor) with the configured settings.
 * 2. Save the result, dated by the scheduler's clock.
 * 3. Log one line per failure (error) and warning (warn), or that all passed (info).
 * 4. Wait a day (from when the last one started) and go again, until the signal aborts.
 * The first check comes DOCTOR_FIRST_AFTER_MS after the scheduler starts, not at once: a
 * scheduler restarted in a loop (a crash, a deploy) does not hammer DNS and the relay.
 */
import type { App } from '../app.js';
import { saveDoctorResult } from '../deliver/doctor/doctor-record.js';
import { doctorSettingsOf } from '../deliver/doctor/doctor-settings.js';
import type { CheckResult, Resolver } from '../deliver/doctor/doctor-check.js';
import { formatCheck, runDoctor } from '../deliver/doctor/run-doctor.js';
import type { JobLogger } from './run-daily-job.js';

/** How often the doctor runs. */
export const DOCTOR_EVERY_MS = 24 * 3600_000;

/** How long after the scheduler starts the first check comes. */
export const DOCTOR_FIRST_AFTER_MS = 10 * 60_000;

export interface DailyDoctorOptions {
  log: JobLogger;
  signal: AbortSignal;
  now?: () => Date;
  /** DNS for the checks (tests inject a zone). */
  resolver?: Resolver;
  /** Extra trusted CA (tests). */
  ca?: string | Buffer;
  /** Waits `ms` or until `signal` aborts (tests pass a fake clock's). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Steps 1–3 once; never throws (a broken setup is a logged failure, not a crash). */
export async function runDoctorOnce(app: App, o: Omit<DailyDoctorOptions, 'signal'>): Promise<CheckResult[] | null> {
  const now = o.now ?? (() => new Date());
  try {
    const results = await runDoctor(doctorSettingsOf(app.config), { resolver: o.resolver, timeoutMs: app.config.http.timeoutMs, ca: o.ca });
    await saveDoctorResult(app.store(), { at: now().toISOString(), by: 'schedule', results });
    const failed = results.filter((r) => r.status === 'failure');
    for (const r of failed) o.log.error({ check: r.name, publish: r.publish }, `doctor: ${formatCheck(r)}`);
    for (const r of results.filter((x) => x.status === 'warning')) o.log.warn({ check: r.name }, `doctor: ${formatCheck(r)}`);
    if (failed.length === 0) o.log.info({ checks: results.length }, 'doctor: the sending setup passed');
    return results;
  } catch (e) {
    o.log.error({ err: { message: (e as Error).message } }, `doctor: could not run: ${(e as Error).message}`);
    return null;
  }
}

/** Step 4: runs after DOCTOR_FIRST_AFTER_MS, then every DOCTOR_EVERY_MS, until `signal` aborts; resolves when stopped. */
export async function runDailyDoctor(app: App, o: DailyDoctorOptions): Promise<void> {
  const sleep = o.sleep ?? wait;
  await sleep(DOCTOR_FIRST_AFTER_MS, o.signal);
  while (!o.signal.aborted) {
    await runDoctorOnce(app, o);
    await sleep(DOCTOR_EVERY_MS, o.signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
