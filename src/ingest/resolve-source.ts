/**
 * Where a digest comes from, and its bytes: a file; a directory (its newest digest); an
 * http(s) URL; `-` for stdin; `hf:YYYY-MM-DD` or `hf:latest` for the Hugging Face daily
 * papers API. Sizes are checked before reading files and while reading streams.
 */
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DigestError } from '../errors.js';
import { fetchBytes, type FetchOptions } from './fetch-bytes.js';
import { MAX_DIGEST_BYTES, quote } from './parse-context.js';
import { readLimited, tooBig } from './read-limited.js';
import { dateInName, isIsoDate } from './to-iso-date.js';

/** File extensions a digest directory is searched for. */
export const DIGEST_EXTENSIONS = ['.txt', '.json', '.xml', '.atom', '.rss'] as const;

/** The Hugging Face daily papers API, for `hf:` sources. */
export const HF_DAILY_PAPERS_API = 'https://huggingface.co/api/daily_papers';

/** Options of resolveSource. */
export interface ResolveOptions extends FetchOptions {
  /** Where `-` reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** A source's bytes and the name to show for it (and to store as digest.source). */
export interface ResolvedSource {
  name: string;
  data: Buffer;
  /** The URL fetched, for http(s) and hf: sources. */
  url?: string;
}

/** Reads the digest `source` names; throws DigestError (missing, unreadable, too big, unreachable). */
export async function resolveSource(source: string, options: ResolveOptions = {}): Promise<ResolvedSource> {
  const maxBytes = options.maxBytes ?? MAX_DIGEST_BYTES;
  if (source.trim() === '') throw new DigestError('no digest source given', 'give a file, a directory, a URL, - for stdin, or hf:latest');
  if (source === '-') return { name: 'stdin', data: await readStdin(options.stdin ?? process.stdin, maxBytes) };
  const hf = /^hf:(.*)$/i.exec(source);
  if (hf) {
    const day = hf[1]!.trim().toLowerCase();
    if (day !== 'latest' && !isIsoDate(day)) {
      throw new DigestError(`${quote(source)}: expected hf:YYYY-MM-DD (a real date) or hf:latest`, 'for example hf:2025-12-11');
    }
    const url = day === 'latest' ? HF_DAILY_PAPERS_API : `${HF_DAILY_PAPERS_API}?date=${day}`;
    return { name: `hf:${day}`, data: await fetchBytes(url, { ...options, maxBytes }), url };
  }
  if (/^https?:\/\//i.test(source)) {
    if (!URL.canParse(source)) throw new DigestError(`${quote(source)}: not a valid URL`, 'check the URL');
    return { name: source, data: await fetchBytes(source, { ...options, maxBytes }), url: source };
  }
  let filePath = source;
  if (/^file:\/\//i.test(source)) {
    try {
      filePath = fileURLToPath(source);
    } catch {
      throw new DigestError(`${quote(source)}: not a valid file URL`, 'give a path instead');
    }
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source)) {
    throw new DigestError(`${quote(source)}: unsupported URL scheme`, 'use an http(s) URL, a path, - for stdin, or hf:YYYY-MM-DD');
  }
  const stat = await statOrThrow(filePath, source);
  if (stat.isDirectory()) {
    const chosen = await newestDigest(filePath, source);
    return readFile(chosen, maxBytes);
  }
  return readFile(filePath, maxBytes);
}

async function readFile(file: string, maxBytes: number): Promise<ResolvedSource> {
  const stat = await statOrThrow(file, file);
  if (!stat.isFile()) throw new DigestError(`${file}: not a regular file`, 'give a digest file or a directory of them');
  if (stat.size > maxBytes) throw tooBig(file, maxBytes);
  try {
    const data = await fs.readFile(file);
    if (data.length > maxBytes) throw tooBig(file, maxBytes);
    return { name: file, data };
  } catch (error) {
    if (error instanceof DigestError) throw error;
    throw fileError(error, file);
  }
}

/**
 * The newest digest in `dir`: the latest YYYY-MM-DD in a file name (the newest file among
 * equals); when no name has a date, the most recently modified file. Hidden files, editor
 * leftovers and other extensions are ignored.
 */
async function newestDigest(dir: string, shown: string): Promise<string> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fileError(error, shown);
  }
  const candidates: Array<{ file: string; date: string | null; mtime: number }> = [];
  for (const entry of entries) {
    const name = entry.name;
    if (name.startsWith('.') || name.startsWith('~') || name.endsWith('~') || name.startsWith('#')) continue;
    if (!(DIGEST_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) continue;
    const file = path.join(dir, name);
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) continue;
    candidates.push({ file, date: dateInName(name), mtime: stat.mtimeMs });
  }
  if (candidates.length === 0) {
    throw new DigestError(
      `${shown}: no digest files in the directory (looked for ${DIGEST_EXTENSIONS.join(', ')}; hidden files are ignored)`,
      'put a digest there, or give a file, a URL or hf:latest',
    );
  }
  const dated = candidates.filter((c) => c.date !== null);
  const pool = dated.length > 0 ? dated : candidates;
  pool.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.mtime - a.mtime || b.file.localeCompare(a.file));
  return pool[0]!.file;
}

async function readStdin(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  if ((stream as { isTTY?: boolean }).isTTY) {
    throw new DigestError('stdin: is a terminal, not a digest', 'pipe a digest in (paperpost digest - < file.json), or give a file');
  }
  return readLimited(stream as AsyncIterable<Uint8Array | string>, maxBytes, 'stdin');
}

async function statOrThrow(file: string, shown: string) {
  try {
    return await fs.stat(file);
  } catch (error) {
    throw fileError(error, shown);
  }
}

function fileError(error: unknown, shown: string): DigestError {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return new DigestError(`${shown}: no such file or directory`, 'check the path (or use hf:latest to fetch today\'s papers)');
    case 'ENOTDIR':
      return new DigestError(`${shown}: a part of the path is not a directory`, 'check the path');
    case 'EACCES':
    case 'EPERM':
      return new DigestError(`${shown}: permission denied`, 'check the file permissions');
    case 'EISDIR':
      return new DigestError(`${shown}: is a directory`, 'give a file');
    default:
      return new DigestError(`${shown}: cannot be read (${code ?? String(error)})`, 'check the file and the disk', { exitCode: 1, cause: error });
  }
}
