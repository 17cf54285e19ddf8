/**
 * Every count a reader sees goes through here: the CLI, the email and its text part, the web
 * pages and the feeds. One rule, so nothing says "1 papers", "1 themes" or "subscriber(s)":
 * exactly 1 takes the singular, everything else (0, 2, 1.5) the plural; counts of 1,000 and
 * more get thousands separators.
 */

const numberFormat = new Intl.NumberFormat('en-US');

/** The noun alone for `count`: pluralWord(1, 'paper') → "paper", pluralWord(3, 'child', 'children') → "children". */
export function pluralWord(count: number, singular: string, plural = `${singular}s`): string {
  return count === 1 ? singular : plural;
}

/** A count as plural() prints it: "7", "1,204". */
export function formatCount(n: number): string {
  // Small whole numbers are most counts; skipping Intl for them keeps the per-subscriber pass fast.
  return Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : numberFormat.format(n);
}

/** The count and its noun: plural(1, 'paper') → "1 paper", plural(1204, 'paper') → "1,204 papers". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  const n = Number.isFinite(count) ? count : 0;
  return `${formatCount(n)} ${pluralWord(n, singular, pluralForm)}`;
}
