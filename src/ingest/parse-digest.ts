/**
 * Bytes or text → normalized digest, synchronously and without I/O: decode, tell the
 * format (unless given), run that format's parser, settle the date, drop repeats. Bad
 * content throws DigestError (exit 2) with one line naming the source and where.
 */
import { EmptyDigestError, UsageError } from '../errors.js';
import type { IngestWarning, Paper } from '../types.js';
import type { Digest } from '../types.js';
import { decodeText } from './decode-text.js';
import { dedupePapers } from './dedupe-papers.js';
import { DIGEST_FORMATS, detectFormat, type DigestFormat } from './detect-format.js';
import { contentError, createParseContext, quote, type ParseContext, type ParsedDigest } from './parse-context.js';
import { parseArxivFeed } from './parse-arxiv-feed.js';
import { parseHfApi } from './parse-hf-api.js';
import { parseHfPage } from './parse-hf-page.js';
import { parsePaperpostJson } from './parse-paperpost-json.js';
import { dateInName, isIsoDate } from './to-iso-date.js';

export { DIGEST_FORMATS, type DigestFormat } from './detect-format.js';

/** A parsed digest and the problems with single entries that did not stop it loading. */
export interface IngestResult {
  digest: Digest;
  warnings: IngestWarning[];
  /** The format it was read as (absent for a digest merged from several sources). */
  format?: DigestFormat;
  /** For a digest merged from several sources: each source, in list order, with the ids of the papers it listed. */
  sources?: { source: string; paperIds: string[] }[];
}

/** Options of parseDigest. `name` is the source as shown in messages and in digest.source. */
export interface ParseDigestOptions {
  name: string;
  /** Skip detection and read as this format. */
  format?: DigestFormat;
  /** YYYY-MM-DD: the date of a digest whose content and file name give none (a different date they give wins, with a warning). */
  date?: string;
  /** "Today", for year-less dates (default: the clock). */
  now?: Date;
  /** Return a well-formed digest with no papers (SEND_EMPTY) instead of throwing EmptyDigestError. */
  allowEmpty?: boolean;
}

/**
 * Parses a digest in any supported format. Throws DigestError for unreadable content (and
 * when no paper at all could be read), UsageError for a bad `format` or `date` option.
 */
export function parseDigest(input: Buffer | string, options: ParseDigestOptions): IngestResult {
  const { name } = options;
  checkOptions(options);
  const ctx = createParseContext(name, options.date, options.now ?? new Date());
  const text = decodeText(input, ctx);
  const detected = options.format ? { format: options.format } : detectFormat(text, name);
  const parsed = runParser(detected.format, text, ctx, 'json' in detected ? detected.json : undefined);
  const papers: Paper[] = dedupePapers(parsed.papers, ctx);
  // The source's own date wins; --date dates a source that gives none, and is warned about when it differs.
  const own = parsed.date ?? dateInName(name);
  if (options.date !== undefined && own !== null && own !== options.date) ctx.warn(name, `the source is dated ${own}; --date ${options.date} is ignored (it dates only a source that gives no date)`);
  const date = own ?? options.date ?? null;
  if (papers.length === 0) {
    const error = noPapers(parsed, ctx);
    if (!(options.allowEmpty && error instanceof EmptyDigestError)) throw error;
  }
  return { digest: { date, source: name, papers }, warnings: ctx.warnings, format: detected.format };
}

/** Throws UsageError for a `format` or `date` that the CLI should not have let through. */
export function checkOptions(options: { format?: string; date?: string }): void {
  if (options.format !== undefined && !(DIGEST_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format ${quote(options.format)}: expected one of ${DIGEST_FORMATS.join(', ')}`);
  }
  if (options.date !== undefined && !isIsoDate(options.date)) {
    throw new UsageError(`--date ${quote(options.date)}: expected a date as YYYY-MM-DD`);
  }
}

function runParser(format: DigestFormat, text: string, ctx: ParseContext, json: unknown): ParsedDigest {
  switch (format) {
    case 'hf-page':
      return parseHfPage(text, ctx);
    case 'hf-api':
      return json === undefined ? parseHfApi(text, ctx) : parseHfApi(text, ctx, json);
    case 'arxiv':
      return parseArxivFeed(text, ctx);
    case 'paperpost':
      return json === undefined ? parsePaperpostJson(text, ctx) : parsePaperpostJson(text, ctx, json);
  }
}

function noPapers(parsed: ParsedDigest, ctx: ParseContext) {
  const first = ctx.warnings[0];
  if (first === undefined) {
    return new EmptyDigestError(`${ctx.name}: found no ${parsed.noun}`, 'check that the digest is complete and in a supported format');
  }
  const problem = first.message.replace(/;[^;]*skipped$/, '');
  const count = ctx.warningCount;
  return contentError(
    first.position,
    `${problem} (no paper could be read${count > 1 ? `; ${count} problems in all` : ''})`,
    'fix the digest; every entry has a problem like this one',
  );
}
