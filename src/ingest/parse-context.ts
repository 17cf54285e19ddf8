/**
 * Shared state of one parse: where the digest came from (for messages), the options that
 * steer it, and the warnings collected on the way. Every parser takes one of these.
 */
import { DigestError } from '../errors.js';
import type { IngestWarning, Paper } from '../types.js';

/** The largest digest paperpost reads: files are checked before reading, streams cut off. */
export const MAX_DIGEST_BYTES = 50 * 1024 * 1024;

/** What a format parser needs besides the text, and where it reports entry-level problems. */
export interface ParseContext {
  /** The file, URL, 'stdin' or 'hf:DATE': prefix of every message. */
  readonly name: string;
  /** The --date override (already validated), if any. */
  readonly date: string | undefined;
  readonly now: Date;
  readonly warnings: IngestWarning[];
  /** How many warnings there were, counting those left out of `warnings`. */
  readonly warningCount: number;
  /** Records a problem that did not stop the rest of the digest from loading. */
  warn(position: string, message: string): void;
}

/** One paper with the position it was read from (for duplicate warnings). */
export interface ParsedPaper {
  paper: Paper;
  position: string;
}

/** What each format parser returns: the date its content gives (if any) and its papers. */
export interface ParsedDigest {
  date: string | null;
  papers: ParsedPaper[];
  /** How the format names an entry in "no papers" messages ("papers on the page", "entries"). */
  noun: string;
}

/** At most this many warnings are kept; one more says how many were left out. */
export const MAX_WARNINGS = 100;

/** Creates the context for parsing `name`. */
export function createParseContext(name: string, date: string | undefined, now: Date): ParseContext {
  const warnings: IngestWarning[] = [];
  let omitted = 0;
  return {
    name,
    date,
    now,
    warnings,
    get warningCount() {
      return Math.min(warnings.length, MAX_WARNINGS) + omitted;
    },
    warn(position, message) {
      if (warnings.length < MAX_WARNINGS) {
        warnings.push({ position, message: oneLine(message) });
        return;
      }
      // A digest broken in every entry would otherwise print thousands of lines.
      omitted++;
      const summary = { position: name, message: `${omitted} more warning${omitted === 1 ? '' : 's'} not shown` };
      if (warnings.length === MAX_WARNINGS) warnings.push(summary);
      else warnings[MAX_WARNINGS] = summary;
    },
  };
}

/** Collapses any whitespace (newlines included) so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Quotes untrusted text for a message: JSON-escaped (no control characters) and shortened. */
export function quote(text: string, max = 60): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return JSON.stringify(short);
}

/** Builds the DigestError for bad content at `position` (exit 2). */
export function contentError(position: string, problem: string, hint = 'fix the digest, or pass --format to say what it is'): DigestError {
  return new DigestError(`${position}: ${oneLine(problem)}`, hint);
}

/** "a string", "a number (12)", "null": what a JSON value is, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${quote(value, 30)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Appends a JSON path segment: `$.papers` + 3 → `$.papers[3]`; odd keys are quoted. */
export function jsonPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}
