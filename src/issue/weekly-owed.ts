/**
 * Whether a reader of a weekly issue's audience (issue-audience.ts: cadence and weekday) is owed
 * it, as the ledger says. Cadence alone cannot tell: a reader who switched from daily to weekly
 * has had part of that week as daily issues, and a reader who is given an overdue week on a
 * tick must not be given a second week on the same tick. Every weekly send asks here (the
 * scheduler's weekly step, `send --weekly` and its --dry-run), so they all agree.
 *
 * 1. A reader who was sent any daily issue of the week is not owed its weekly issue: they had
 *    that week as dailies (they switched to weekly during it or after it), and the weekly issue
 *    would repeat what those carried (a switch mid-week: most of its papers). That week reaches
 *    them as the daily issues they had; from the next week on, its weekly issue is theirs.
 * 2. A reader who was sent the week before or after today (the local date in TZ) gets this one
 *    at a later tick: no reader gets two weekly issues on one day.
 * 3. For a catch-up of an overdue week (`overdue`, run-weekly-step.ts): only readers who were
 *    subscribed on their weekday of the week it was due (the week after it), so it was due to
 *    them and no tick came after; a reader who joined after their day gets the next week.
 */
import type { DeliveryLedger } from '../store/store.js';
import type { Subscriber } from '../types.js';
import { addWeeks, daysOfWeek, isoWeekOf, isWeekId, localDate, WEEKDAYS } from '../iso-week.js';
import { cadenceOf, weekdayOfCadence } from '../subscribers/cadence.js';

/** What the check reads: the ledger, the ids of the stored issues, and the time zone that says what "today" is. */
export interface OwedReads {
  ledger: Pick<DeliveryLedger, 'getDeliveries'>;
  issueIds: string[];
  timeZone: string;
}

/** A per-reader check, loaded a batch of readers at a time before it is asked. */
export interface WeeklyOwed {
  load(subscribers: Subscriber[]): Promise<void>;
  owes(subscriber: Subscriber): boolean;
}

/** The check for `weekId` on `today`; see the file comment for the rules. */
export function weeklyOwed(reads: OwedReads, weekId: string, today: string, o: { overdue?: boolean } = {}): WeeklyOwed {
  const store = reads.ledger;
  const tz = reads.timeZone;
  const dailyIds = reads.issueIds.filter((id) => !isWeekId(id) && isoWeekOf(id) === weekId);
  const neighbours = [addWeeks(weekId, -1), addWeeks(weekId, 1)];
  const dueWeek = daysOfWeek(addWeeks(weekId, 1));
  const notOwed = new Set<number>();
  return {
    async load(subscribers) {
      if (!subscribers.length) return;
      const ids = subscribers.map((s) => s.id);
      // 1.
      for (const issueId of dailyIds) {
        for (const [id, d] of await store.getDeliveries(issueId, ids)) if (d.status === 'sent') notOwed.add(id);
      }
      // 2.
      for (const issueId of neighbours) {
        for (const [id, d] of await store.getDeliveries(issueId, ids)) if (d.status === 'sent' && localDate(new Date(d.updatedAt), tz) === today) notOwed.add(id);
      }
      // 3.
      if (o.overdue) {
        for (const s of subscribers) {
          const day = weekdayOfCadence(cadenceOf(s));
          const due = day ? dueWeek[WEEKDAYS.indexOf(day)]! : null;
          if (due === null || localDate(new Date(s.confirmedAt ?? s.createdAt), tz) > due) notOwed.add(s.id);
        }
      }
    },
    owes: (s) => !notOwed.has(s.id),
  };
}
