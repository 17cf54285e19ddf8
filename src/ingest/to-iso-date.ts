/**
 * Date helpers: every date paperpost stores is a calendar date, YYYY-MM-DD, in UTC.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2025-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && ymd(Number(m[1]), Number(m[2]), Number(m[3])) === value;
}

/** YYYY-MM-DD for a year, month (1–12) and day, or null when that day does not exist. */
export function ymd(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > days) return null;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * The UTC calendar date of a timestamp ("2026-08-03T00:00:00.000Z", "Mon, 06 Jan 2025
 * 00:00:00 -0500"), or null when it is not one.
 */
export function toIsoDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const trimmed = value.trim();
  // The common case, a UTC timestamp ("2026-08-03T00:00:00.000Z"): its date is its first ten characters.
  const utc = /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]00:?00)$/.exec(trimmed);
  if (utc) return isIsoDate(utc[1]!) ? utc[1]! : null;
  if (isIsoDate(trimmed)) return trimmed;
  const time = Date.parse(trimmed);
  if (Number.isNaN(time)) return null;
  const iso = new Date(time).toISOString().slice(0, 10);
  return isIsoDate(iso) ? iso : null;
}

/** The UTC date of `now` as YYYY-MM-DD. */
export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The last real YYYY-MM-DD in a file name (or URL, or `hf:DATE`), or null:
 * `digests/hf-papers-2025-12-11.txt` → 2025-12-11. Only the last path segment of a file
 * path counts; a URL is searched whole (dates often sit in its query).
 */
export function dateInName(name: string): string | null {
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(name) && !/^[a-z]:[\\/]/i.test(name);
  const haystack = isUrl ? name : name.split(/[\\/]/).pop() ?? name;
  const matches = haystack.match(/(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)/g) ?? [];
  for (let i = matches.length - 1; i >= 0; i--) {
    if (isIsoDate(matches[i]!)) return matches[i]!;
  }
  return null;
}
