/**
 * Who an issue is for, by cadence (docs/CONTEXT.md): a daily issue goes to daily readers only;
 * a weekly issue (`YYYY-Www`) goes to weekly readers on their weekday, in the week after the
 * one it covers. Every path that delivers an issue (send, the daily job, a resumed or shared
 * send) asks here, so a weekly reader never gets a daily issue however the send started.
 *
 * A weekly reader whose day has come earlier in that week and who has not had the issue yet
 * (the run of their day was missed, or their delivery was deferred) gets it at the next run
 * of the same week; the ledger keeps it to once. When no run came after their day in that week,
 * the scheduler's weekly step gives it to them at the next run, in the week after
 * (schedule/run-weekly-step.ts, step 2; weekly-owed.ts).
 */
import { daysOfWeek, isWeekId, addWeeks, weekdayOf } from '../iso-week.js';
import { cadenceOf } from '../subscribers/cadence.js';
import type { Cadence, Subscriber } from '../types.js';

/** True for a weekly issue's id (`2026-W49`). */
export const isWeeklyIssue = (issueId: string) => isWeekId(issueId);

/**
 * The cadences an issue goes to on `today` (YYYY-MM-DD in TZ): ['daily'] for a daily issue; for a
 * weekly one, the weekly cadences whose day, in the week after the issue's, has come by `today`
 * (none before that week, all seven after it).
 */
export function audienceCadences(issueId: string, today: string): Cadence[] {
  if (!isWeeklyIssue(issueId)) return ['daily'];
  const sendingWeek = daysOfWeek(addWeeks(issueId, 1));
  return sendingWeek.filter((d) => d <= today).map((d) => `weekly:${weekdayOf(d)}` as const);
}

/** The test `audienceCadences` makes, per subscriber. */
export function audienceOf(issueId: string, today: string): (s: Pick<Subscriber, 'cadence'>) => boolean {
  const cadences = new Set<Cadence>(audienceCadences(issueId, today));
  return (s) => cadences.has(cadenceOf(s));
}
