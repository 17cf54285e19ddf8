/**
 * Reads a suppression list: addresses that must never be mailed (a previous provider's
 * unsubscribes, bounces and complaints, a legal request) and whole domains written as
 * "@example.com". One entry a line; a CSV file with an "email" column works too (only that
 * column is read). Blank lines and lines starting with # are skipped. Every bad entry is
 * reported with its line number; nothing is written here.
 */
import { parse } from 'csv-parse/sync';
import { normalizeEmail } from './normalize-email.js';

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

/** The entries of a suppression file, each with its line, and the rejected lines. */
export function parseSuppressionList(text: string): { entries: { line: number; pattern: string }[]; rejected: { line: number; reason: string }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  let column = -1;
  let delimiter = ',';
  if (header >= 0 && /(^|[,;\t])\s*"?email"?\s*([,;\t]|$)/i.test(lines[header]!)) {
    delimiter = [',', ';', '\t'].find((d) => lines[header]!.includes(d)) ?? ',';
    column = (parse(lines[header]!, { delimiter }) as string[][])[0]!.findIndex((h) => h.trim().toLowerCase() === 'email');
  }
  const out = { entries: [] as { line: number; pattern: string }[], rejected: [] as { line: number; reason: string }[] };
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
      const pattern = toSuppressionPattern(cell);
      if (!seen.has(pattern)) out.entries.push({ line, pattern });
      seen.add(pattern);
    } catch (e) {
      out.rejected.push({ line, reason: (e as Error).message });
    }
  });
  return out;
}
