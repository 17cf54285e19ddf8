/**
 * Reads a suppression list: addresses that must never be mailed (a previous provider's
 * unsubscribes, bounces and complaints, a legal request) and whole domains written as
 * "@example.com". One entry a line; a CSV file with an "email" column works too (only that
 * column is read). Blank lines and lines starting with # are skipped. Every bad entry is
 * reported with its line number; nothing is written here.
 *
 * `suppress list`'s own output reads back as it was written, so a list moves to another
 * installation: a line with tabs is entry, reason, date, and its reason and date are kept.
 * Its entries include the keyed marks of forgotten addresses (`forgotten:<hex>`,
 * `suppressed:<hex>`, forgotten-address.ts), which are taken as they are: they only mean
 * something to an installation with the same SECRET_KEY.
 */
import { parse } from 'csv-parse/sync';
import { normalizeEmail } from './normalize-email.js';
import { FORGOTTEN_PREFIX, SUPPRESSED_PREFIX } from './forgotten-address.js';

/** One entry read, with its line; reason and date only from `suppress list`'s tab-separated lines. */
export interface SuppressionEntry {
  line: number;
  pattern: string;
  reason?: string;
  createdAt?: string;
}

/** A keyed mark of a forgotten address, as `suppress list` prints it (prefix and 64 hex digits). */
const MARK = new RegExp(`^(?:${FORGOTTEN_PREFIX}|${SUPPRESSED_PREFIX})[0-9a-f]{64}$`);
/** A date as the store writes it (toISOString). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
/** Longest reason kept (as `suppress add --reason`). */
const MAX_REASON_LENGTH = 200;

/** True for a keyed mark of a forgotten address. */
export const isForgottenMark = (pattern: string) => MARK.test(pattern);

/** An entry as the store keeps it: a lowercased address, or "@domain". Throws a plain message when it is neither. */
export function toSuppressionPattern(raw: string): string {
  const entry = raw.trim();
  if (entry.startsWith('@')) {
    const domain = entry.slice(1).toLowerCase();
    if (!/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) throw new Error(`${JSON.stringify(entry)} is not a domain (write @example.com)`);
    return '@' + domain;
  }
  return normalizeEmail(entry).toLowerCase();
}

/** An entry of a file: a keyed mark as it is, else an address or @domain (toSuppressionPattern). */
function toImportedPattern(raw: string): string {
  const mark = raw.trim().toLowerCase();
  return MARK.test(mark) ? mark : toSuppressionPattern(raw);
}

/** One tab-separated line of `suppress list` (entry, reason, date); throws a plain message when it is not one. */
function readListedLine(text: string): Omit<SuppressionEntry, 'line'> {
  const [entry = '', reason = '', createdAt = '', ...more] = text.split('\t');
  if (more.length) throw new Error('more than three tab-separated fields (suppress list prints entry, reason, date)');
  const pattern = toImportedPattern(entry);
  const date = createdAt.trim();
  if (date !== '' && !(ISO_DATE.test(date) && Number.isFinite(Date.parse(date)))) throw new Error(`${JSON.stringify(date.slice(0, 40))} is not a date as suppress list prints it (2026-03-01T07:00:00.000Z)`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const why = reason.replace(/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim().slice(0, MAX_REASON_LENGTH);
  return { pattern, ...(why ? { reason: why } : {}), ...(date ? { createdAt: date } : {}) };
}

/** The entries of a suppression file, each with its line, and the rejected lines. */
export function parseSuppressionList(text: string): { entries: SuppressionEntry[]; rejected: { line: number; reason: string }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  let column = -1;
  let delimiter = ',';
  if (header >= 0 && /(^|[,;\t])\s*"?email"?\s*([,;\t]|$)/i.test(lines[header]!)) {
    delimiter = [',', ';', '\t'].find((d) => lines[header]!.includes(d)) ?? ',';
    column = (parse(lines[header]!, { delimiter }) as string[][])[0]!.findIndex((h) => h.trim().toLowerCase() === 'email');
  }
  const out = { entries: [] as SuppressionEntry[], rejected: [] as { line: number; reason: string }[] };
  const seen = new Set<string>();
  lines.forEach((text, i) => {
    const line = i + 1;
    if (i === header && column >= 0) return;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let cell = trimmed;
    if (column >= 0) {
      try {
        cell = ((parse(text, { delimiter, relax_column_count: true }) as string[][])[0] ?? [])[column] ?? '';
      } catch {
        out.rejected.push({ line, reason: 'not a CSV row' });
        return;
      }
    }
    try {
      const entry = column < 0 && text.includes('\t') ? readListedLine(text) : { pattern: toImportedPattern(cell) };
      if (!seen.has(entry.pattern)) out.entries.push({ line, ...entry });
      seen.add(entry.pattern);
    } catch (e) {
      out.rejected.push({ line, reason: (e as Error).message });
    }
  });
  return out;
}
