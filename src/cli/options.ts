/**
 * Option parsers shared by several commands. A bad value is a UsageError: one line, exit 2.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { DIGEST_FORMATS } from '../ingest/detect-format.js';
import { isIsoDate } from '../ingest/to-iso-date.js';

const parseDate = (v: string) => {
  // A real calendar day: 2025-02-30 is refused, not read as March 2 (Date.parse rolls it over).
  if (!isIsoDate(v)) throw new UsageError(`--date ${JSON.stringify(v)} is not a date`, 'use YYYY-MM-DD, e.g. --date 2025-12-11');
  return v;
};

/** A parser for a positive whole number option such as --limit, written in digits (not 1e2 or 0x5), at most `max`. */
export const parsePositive = (name: string, max = Number.MAX_SAFE_INTEGER) => (v: string) => {
  const n = /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} ${JSON.stringify(v)} is not a positive whole number`, `for example ${name} 10`);
  if (n > max) throw new UsageError(`${name} ${v} is more than ${max}`, `give ${name} a number from 1 to ${max}`);
  return n;
};

/** Adds --format and --date, which every command that reads a digest takes. */
export const addDigestOptions = (cmd: Command) =>
  cmd
    .addOption(new Option('--format <format>', 'digest format (detected from the content by default)').choices([...DIGEST_FORMATS]))
    .addOption(new Option('--date <YYYY-MM-DD>', 'the digest date, when the source does not say (a date the source gives wins; a different --date is warned about and ignored)').argParser(parseDate));
