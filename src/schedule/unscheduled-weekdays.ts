/**
 * A weekly reader's issue goes out at a run on (or after) the weekday they chose. A schedule
 * that never runs on that day (CRON_SCHEDULE="0 7 * * 1-5" and a reader who chose Sunday)
 * still delivers it, at the first run after their day (run-weekly-step.ts, step 2), but never on
 * their day: the operator is told so when the scheduler starts and by `schedule --next`.
 *
 * 1. Take the schedule's next runs, enough for most schedules to span over a week.
 * 2. A schedule too frequent for them to span a week runs on most days: nothing is said.
 * 3. Otherwise, the weekdays (in TZ) none of them falls on.
 */
import { localDate, weekdayOf, WEEKDAYS } from '../iso-week.js';
import type { Weekday } from '../types.js';
import type { CronClock } from './create-cron-clock.js';

/** Runs looked at: a weekday-only daily schedule's 40 weeks, an hourly one's 8 days. */
const RUNS = 200;
const WEEK_MS = 7 * 86_400_000;

/** The weekdays the schedule never runs on (see the file comment), Monday first. */
export function unscheduledWeekdays(clock: Pick<CronClock, 'nextRuns'>, timeZone: string): Weekday[] {
  // 1.
  const runs = clock.nextRuns(RUNS);
  // 2.
  if (runs.length === 0 || runs[runs.length - 1]!.getTime() - runs[0]!.getTime() < WEEK_MS) return [];
  // 3.
  const days = new Set(runs.map((d) => weekdayOf(localDate(d, timeZone))));
  return WEEKDAYS.filter((d) => !days.has(d));
}
