/** How a date is shown: "long" Thursday, December 11, 2025; "medium" Dec 11, 2025; "short" Dec 11. */
export type DateStyle = 'long' | 'medium' | 'short';

const formats: Record<DateStyle, Intl.DateTimeFormat> = {
  long: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
  medium: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }),
  short: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }),
};

/**
 * Formats a YYYY-MM-DD date in English. Dates are calendar days, not instants, so they are read
 * and printed in UTC: the server's time zone must not move "Dec 11" to "Dec 10". Returns '' for
 * null or anything that is not a real date.
 */
export function formatDate(isoDate: string | null | undefined, style: DateStyle = 'medium'): string {
  if (typeof isoDate !== 'string') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return '';
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3])) return '';
  return (formats[style] ?? formats.medium).format(date);
}
