/**
 * ingest/ owns reading digests: finding the source, fetching it, detecting its format and
 * parsing it into papers with clean text. It imports only types.ts, errors.ts and
 * to-safe-url.ts; never topics/, render/, store/ or anything above them.
 *
 * The ingest stage: a digest source (file, directory, URL, stdin, hf:DATE) → a normalized
 * Digest plus warnings about single entries that could not be read. Everything a user
 * can get wrong is a DigestError with one line naming the source and the problem.
 */
import type { DigestFormat } from './detect-format.js';
import { checkOptions, parseDigest, type IngestResult } from './parse-digest.js';
import { resolveSource } from './resolve-source.js';

export { DIGEST_FORMATS, type DigestFormat } from './detect-format.js';
export type { IngestResult } from './parse-digest.js';

/** Options of ingestDigest; all optional. */
export interface IngestOptions {
  /** Read as this format instead of detecting it. */
  format?: DigestFormat;
  /** YYYY-MM-DD: the digest's date, overriding what the content or file name says. */
  date?: string;
  /** "Today", for year-less dates on the papers page (default: the clock). */
  now?: Date;
  /** HTTP timeout per attempt (default 15 s). */
  timeoutMs?: number;
  /** HTTP retries after the first attempt (default 3). */
  retries?: number;
  /** Where `-` reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** The fetch to use (default Node's global fetch). */
  fetch?: typeof fetch;
  /** Accept a well-formed digest with no papers (SEND_EMPTY) instead of failing with EmptyDigestError. */
  allowEmpty?: boolean;
}


/** Reads and normalizes the digest at `source`. Throws DigestError (or UsageError for bad options). */
export async function ingestDigest(source: string, options: IngestOptions = {}): Promise<IngestResult> {
  checkOptions(options);
  const resolved = await resolveSource(source, {
    stdin: options.stdin,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
  });
  return parseDigest(resolved.data, { name: resolved.name, format: options.format, date: options.date, now: options.now, allowEmpty: options.allowEmpty });
}
