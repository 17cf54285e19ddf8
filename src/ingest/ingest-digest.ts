/**
 * ingest/ owns reading digests: finding the source, fetching it, detecting its format and
 * parsing it into papers with clean text. It imports only types.ts, errors.ts and
 * to-safe-url.ts; never topics/, render/, store/ or anything above them.
 *
 * The ingest stage: a digest source (file, directory, URL, stdin, hf:DATE), or a list of
 * them separated by commas, → a normalized Digest plus warnings about single entries that
 * could not be read. Everything a user can get wrong is a DigestError with one line naming
 * the source and the problem; in a list, the first source that fails stops the whole list.
 */
import path from 'node:path';
import { DigestError, EmptyDigestError } from '../errors.js';
import type { DigestFormat } from './detect-format.js';
import { mergeDigests, type SourceDigest } from './merge-digests.js';
import { checkOptions, parseDigest, type IngestResult } from './parse-digest.js';
import { resolveSource } from './resolve-source.js';
import { firstDuplicate, isSourceUrl, splitSourceList } from './split-source-list.js';

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


/**
 * Reads and normalizes the digest at `source`; a comma-separated list of sources is read
 * source by source and merged into one digest (see merge-digests.ts). Throws DigestError
 * (or UsageError for bad options).
 */
export async function ingestDigest(source: string, options: IngestOptions = {}): Promise<IngestResult> {
  checkOptions(options);
  const sources = splitSourceList(source);
  if (sources.length === 0) throw new DigestError(`${JSON.stringify(source)} names no digest source`, 'give a file, a directory, a URL or hf:latest (several separated by commas)');
  const twice = firstDuplicate(sources, (s) => (isSourceUrl(s) ? s : path.resolve(s)));
  if (twice !== null) throw new DigestError(`${JSON.stringify(twice)} is named twice in the source list`, 'name each source once');
  if (sources.length === 1) return readOne(sources[0]!, options, options.allowEmpty);
  // Every source is fetched at once; a failure is reported for the first failing source in list order.
  const settled = await Promise.allSettled(sources.map((s) => readOne(s, options, true)));
  const read: SourceDigest[] = [];
  for (const [i, result] of settled.entries()) {
    if (result.status === 'rejected') throw inList(result.reason, i, sources.length);
    read.push({ ...result.value, format: result.value.format! });
  }
  const merged = mergeDigests(read);
  // One source with nothing today (an arXiv weekend) leaves the others to make the issue.
  if (merged.digest.papers.length === 0 && !options.allowEmpty) {
    throw new EmptyDigestError(`${merged.digest.source}: found no papers in any of the ${sources.length} sources`, 'check that the digests are complete and in a supported format');
  }
  return { ...merged, sources: read.map((r) => ({ source: r.digest.source, paperIds: r.digest.papers.map((p) => p.id) })) };
}

async function readOne(source: string, options: IngestOptions, allowEmpty: boolean | undefined): Promise<IngestResult> {
  const resolved = await resolveSource(source, {
    stdin: options.stdin,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
  });
  return parseDigest(resolved.data, { name: resolved.name, format: options.format, date: options.date, now: options.now, allowEmpty });
}

/** The error of one source of a list, saying which one it is (its exit code kept: a network failure is retried). */
function inList(error: unknown, index: number, count: number): unknown {
  if (!(error instanceof DigestError)) return error;
  return new DigestError(`${error.message} (source ${index + 1} of ${count} in the list)`, error.hint, { exitCode: error.exitCode, cause: error });
}
