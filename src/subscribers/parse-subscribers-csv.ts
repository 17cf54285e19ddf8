/**
 * subscribers/ owns the rules about people on the list that are not SQL: address
 * normalisation, CSV import rows, signed tokens and the links they make. It imports only
 * types.ts, errors.ts, config.ts and the folders below it in eslint.config.js's order; never
 * store/ (the store depends on these rules, not the other way round), nor deliver/, issue/,
 * schedule/, web/ or cli/.
 *
 * Reads a subscriber CSV (header `email,name,themes`) into validated rows. Every bad row is
 * reported with its line number and reason; nothing is written here, so the caller can
 * refuse the whole file before touching the database.
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { SubscriberInput } from './subscriber-input.js';
import type { SubscriberStatus } from '../types.js';
import { normalizeEmail } from './normalize-email.js';
import { checkName } from './clean-name.js';
import { unguardCell } from './spreadsheet-cell.js';
import { parseSignalsCell } from './signals-cell.js';
import { parseCadence } from './cadence.js';

/** A row that could not be imported. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** The valid rows (with their line numbers) and the rejected ones. */
export interface ParsedSubscribers {
  rows: { line: number; input: SubscriberInput }[];
  rejected: RejectedRow[];
}

/** Splits a themes cell or option: "A, B; C" → ["A", "B", "C"]; empty → null (all themes). */
export function parseThemeList(value: string | undefined | null): string[] | null {
  if (!value) return null;
  const list = value
    .split(/[;,|]/)
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return list.length ? [...new Set(list)] : null;
}

const STATUSES: readonly SubscriberStatus[] = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'];

/** The separator of a CSV file, told from its header line: a comma, a semicolon (spreadsheets in many locales) or a tab. */
function detectDelimiter(text: string): string {
  const header = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/** An ISO time cell (an export's created_at and friends), or undefined when empty. */
function parseTime(value: string | undefined, column: string): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new Error(`${column} ${JSON.stringify(value)} is not a date and time (use ISO 8601, as paperpost subscribers export writes it)`);
  return new Date(t).toISOString();
}

/**
 * Parses CSV text; throws InputError only when the file as a whole is unreadable. Columns:
 * email (required), name, themes, cadence (daily or weekly:<day>; empty keeps the list's) and
 * those of `paperpost subscribers export` (status, created_at, confirmed_at, unsubscribed_at,
 * and signals when some reader had ratings or follows), so an export imports back exactly.
 */
export function parseSubscribersCsv(text: string, fileName: string): ParsedSubscribers {
  let parsed: { record: string[]; info: { lines: number } }[];
  // CRLF is folded first: csv-parse counts a CRLF inside quotes as two lines.
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  try {
    parsed = parse(source, {
      delimiter: detectDelimiter(source),
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new InputError(`${fileName}:${err.lines ?? '?'}: not valid CSV (${String(err.message ?? e).split('\n')[0]})`, 'save the file as CSV with a header line email,name,themes');
  }
  // The ' an export puts before a formula-like cell comes off again (spreadsheet-cell.ts).
  for (const p of parsed) p.record = p.record.map(unguardCell);
  const records = parsed.map((p) => p.record);
  if (records.length === 0) throw new InputError(`${fileName}: the file is empty`, 'add a header line email,name,themes and one row per subscriber');
  const header = records[0]!.map((h) => h.toLowerCase());
  const col = {
    email: header.indexOf('email'),
    name: header.indexOf('name'),
    // "topics" is the column's name since the topic map; "themes" still reads the same.
    themes: header.indexOf('topics') >= 0 ? header.indexOf('topics') : header.indexOf('themes'),
    status: header.indexOf('status'),
    cadence: header.indexOf('cadence'),
    createdAt: header.indexOf('created_at'),
    confirmedAt: header.indexOf('confirmed_at'),
    unsubscribedAt: header.indexOf('unsubscribed_at'),
    signals: header.indexOf('signals'),
  };
  if (col.email < 0) {
    throw new InputError(
      `${fileName}:1: the header has no "email" column (found ${JSON.stringify(records[0]!.join(','))})`,
      'the first line must name the columns, separated by commas (or semicolons): email,name,themes',
    );
  }
  const out: ParsedSubscribers = { rows: [], rejected: [] };
  const seen = new Map<string, number>();
  let previousEnd = parsed[0]!.info.lines;
  parsed.slice(1).forEach(({ record: rec, info }) => {
    // info.lines is where a record ends; a person looks for where it starts.
    const line = previousEnd + 1;
    previousEnd = info.lines;
    // Blank lines (a trailing newline too many, a spacer) are no one: skipped, not rejected.
    if (rec.every((cell) => cell === '')) return;
    const raw = rec[col.email] ?? '';
    let email: string;
    try {
      email = normalizeEmail(raw);
    } catch (e) {
      out.rejected.push({ line, reason: `email ${(e as Error).message}` });
      return;
    }
    const key = email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      out.rejected.push({ line, reason: `duplicate of line ${first} (${email})` });
      return;
    }
    seen.set(key, line);
    let name: string | null = null;
    try {
      name = col.name >= 0 ? checkName(rec[col.name] ?? '') : null;
    } catch (e) {
      out.rejected.push({ line, reason: (e as Error).message });
      return;
    }
    const input: SubscriberInput = { email, name, themes: col.themes >= 0 ? parseThemeList(rec[col.themes]) : null };
    const status = col.status >= 0 ? (rec[col.status] ?? '').toLowerCase() : '';
    if (status) {
      if (!STATUSES.includes(status as SubscriberStatus)) {
        out.rejected.push({ line, reason: `status ${JSON.stringify(status)} is not one of ${STATUSES.join(', ')}` });
        return;
      }
      input.status = status as SubscriberStatus;
    }
    const cadence = col.cadence >= 0 ? (rec[col.cadence] ?? '') : '';
    if (cadence) {
      try {
        input.cadence = parseCadence(cadence);
      } catch (e) {
        out.rejected.push({ line, reason: `cadence ${(e as Error).message}` });
        return;
      }
    }
    try {
      input.createdAt = parseTime(rec[col.createdAt], 'created_at');
      input.confirmedAt = parseTime(rec[col.confirmedAt], 'confirmed_at');
      input.unsubscribedAt = parseTime(rec[col.unsubscribedAt], 'unsubscribed_at');
      if (col.signals >= 0) input.signals = parseSignalsCell(rec[col.signals] ?? '');
    } catch (e) {
      out.rejected.push({ line, reason: (e as Error).message });
      return;
    }
    out.rows.push({ line, input });
  });
  return out;
}
