/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday), the identity of a
 * weekly issue (`2026-W49`). Shared by every stage that names a week: building the weekly issue
 * (issue/), its timing (schedule/), its archive page (web/) and the commands (cli/). Plain date
 * arithmetic in UTC on YYYY-MM-DD strings, so a time zone never shifts a day.
 */
import type { Weekday } from './types.js';

/** The weekdays in ISO order, Monday first. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const DAY_MS = 86_400_000;
const WEEK_ID = /^(\d{4})-W(\d{2})$/;

const toUtc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** True for a well-formed week id whose week exists (W53 only in long years). */
export function isWeekId(value: string): boolean {
  const m = WEEK_ID.exec(value);
  if (!m) return false;
  const week = Number(m[2]);
  return week >= 1 && week <= weeksInYear(Number(m[1]));
}

/** 52 or 53: a year has 53 ISO weeks when its 28 December falls in week 53. */
function weeksInYear(year: number): number {
  return Number(isoWeekOf(`${String(year).padStart(4, '0')}-12-28`).slice(6));
}

/** The weekday of a date (0 Monday … 6 Sunday). */
const weekdayIndex = (date: string) => (new Date(toUtc(date)).getUTCDay() + 6) % 7;

/** The weekday of a YYYY-MM-DD date. */
export const weekdayOf = (date: string): Weekday => WEEKDAYS[weekdayIndex(date)]!;

/** The ISO week a YYYY-MM-DD date falls in, as `YYYY-Www`. */
export function isoWeekOf(date: string): string {
  const t = toUtc(date);
  // The Thursday of the same week decides the year.
  const thursday = t + (3 - weekdayIndex(date)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const firstJan = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday - firstJan) / DAY_MS / 7) + 1;
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The seven dates of a week, Monday first. */
export function daysOfWeek(weekId: string): string[] {
  const m = WEEK_ID.exec(weekId);
  if (!m || !isWeekId(weekId)) throw new Error(`${JSON.stringify(weekId)} is not an ISO week such as 2026-W49`);
  const year = Number(m[1]);
  // 4 January is always in week 1.
  const jan4 = `${m[1]}-01-04`;
  const monday1 = Date.UTC(year, 0, 4) - weekdayIndex(jan4) * DAY_MS;
  const monday = monday1 + (Number(m[2]) - 1) * 7 * DAY_MS;
  return Array.from({ length: 7 }, (_, i) => fromUtc(monday + i * DAY_MS));
}

/** The week `n` weeks after `weekId` (before, for negative `n`). */
export function addWeeks(weekId: string, n: number): string {
  return isoWeekOf(fromUtc(toUtc(daysOfWeek(weekId)[0]!) + n * 7 * DAY_MS));
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The last full week before the one `date` falls in: the week a weekly issue sent on `date` covers. */
export const lastFullWeek = (date: string) => addWeeks(isoWeekOf(date), -1);
