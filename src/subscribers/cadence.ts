/**
 * Cadence (docs/CONTEXT.md): how often a subscriber gets an issue, `daily` or
 * `weekly:<mon..sun>`. One parser for every way a person or an operator gives it (the CLI's
 * --cadence, a CSV column, the web forms), so they all accept and refuse the same values with
 * the same words.
 */
import type { Cadence, Subscriber, Weekday } from '../types.js';
import { WEEKDAYS } from '../iso-week.js';

/** Weekly without a day means Monday: the first day of an ISO week, the day after the week it covers. */
export const DEFAULT_WEEKDAY: Weekday = 'mon';

const FULL_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** What the parser accepts, in words, for error messages. */
export const CADENCE_HELP = 'daily, weekly, or weekly:<day> with a day of mon, tue, wed, thu, fri, sat, sun';

/** A weekday from "mon", "Monday", "MON" …; null when it is none. */
export function parseWeekday(value: string): Weekday | null {
  const v = value.trim().toLowerCase();
  for (const d of WEEKDAYS) if (v === d || v === FULL_NAMES[d].toLowerCase()) return d;
  return null;
}

/** Parses a cadence as a person writes it ("daily", "weekly", "weekly:fri", "Weekly:Friday"); throws an Error that says what is accepted. */
export function parseCadence(value: string): Cadence {
  const v = value.trim().toLowerCase();
  if (v === 'daily') return 'daily';
  if (v === 'weekly') return `weekly:${DEFAULT_WEEKDAY}`;
  const m = /^weekly\s*[:=]\s*(.+)$/.exec(v);
  const day = m ? parseWeekday(m[1]!) : null;
  if (day) return `weekly:${day}`;
  throw new Error(`${JSON.stringify(value.slice(0, 40))} is not a cadence: give ${CADENCE_HELP}`);
}

/** A subscriber's cadence (absent: daily). */
export const cadenceOf = (s: Pick<Subscriber, 'cadence'>): Cadence => s.cadence ?? 'daily';

/** The weekday of a weekly cadence; null for daily. */
export const weekdayOfCadence = (c: Cadence): Weekday | null => (c === 'daily' ? null : (c.slice(7) as Weekday));

/** "daily" or "weekly on Friday". */
export const describeCadence = (c: Cadence): string => {
  const day = weekdayOfCadence(c);
  return day ? `weekly on ${FULL_NAMES[day]}` : 'daily';
};

/** The full name of a weekday ("Friday"). */
export const weekdayName = (d: Weekday): string => FULL_NAMES[d];

/** Every weekly cadence, Monday first. */
export const WEEKLY_CADENCES: readonly Cadence[] = WEEKDAYS.map((d) => `weekly:${d}` as const);
