/**
 * Paths and loaders for the ingest tests' fixtures, and an assertion that a result obeys
 * the normalized-digest contract whatever the input was.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { DigestError } from '../../src/errors.js';
import { parseDigest, type IngestResult, type ParseDigestOptions } from '../../src/ingest/parse-digest.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIGESTS = path.join(ROOT, 'test/fixtures/digests');
export const REAL_PAGE = 'content/digests/hf-papers-2025-12-11.txt';
export const REAL_API = 'test/fixtures/hf-api-2026-08-03-sample.json';

/** The bytes of a fixture: a path relative to the repository, or a name in test/fixtures/digests. */
export function fixture(name: string): Buffer {
  return readFileSync(name.includes('/') ? path.join(ROOT, name) : path.join(DIGESTS, name));
}

/** Parses a fixture under its own name (so dates in file names count). */
export function parseFixture(name: string, options: Omit<ParseDigestOptions, 'name'> = {}): IngestResult {
  return parseDigest(fixture(name), { name, ...options });
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = ['id', 'title', 'abstract', 'summary', 'authors', 'authorCount', 'publishedAt', 'upvotes', 'url', 'codeUrl', 'keywords'];

/** Every paper has the documented keys, in order, with the documented types; ids are unique. */
export function expectWellFormed(result: IngestResult): void {
  const { digest, warnings } = result;
  expect(digest.date === null || ISO.test(digest.date)).toBe(true);
  expect(typeof digest.source).toBe('string');
  expect(digest.papers.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  for (const p of digest.papers) {
    expect(Object.keys(p)).toEqual(KEYS);
    expect(p.id).not.toBe('');
    expect(ids.has(p.id)).toBe(false);
    ids.add(p.id);
    expect(p.title).not.toBe('');
    for (const text of [p.title, p.abstract, p.summary ?? '', ...p.authors, ...p.keywords]) {
      expect(text).toBe(text.replace(/\s+/g, ' ').trim());
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    expect(p.authorCount === null || (Number.isInteger(p.authorCount) && p.authorCount > 0)).toBe(true);
    expect(p.upvotes === null || (Number.isInteger(p.upvotes) && p.upvotes >= 0)).toBe(true);
    expect(p.publishedAt === null || ISO.test(p.publishedAt)).toBe(true);
    for (const link of [p.url, p.codeUrl]) expect(link === null || /^https?:\/\/[^\s]+$/.test(link)).toBe(true);
  }
  for (const w of warnings) {
    expect(w.position).not.toMatch(/\n/);
    expect(w.message).not.toMatch(/\n/);
  }
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function thrownBy(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  expect.fail('expected an error');
}

/** `fn` throws a DigestError with a one-line message matching `message`, and the exit code. */
export async function expectDigestError(fn: () => unknown, message: string | RegExp, exitCode = 2): Promise<DigestError> {
  const error = await thrownBy(fn);
  expect(error).toBeInstanceOf(DigestError);
  const e = error as DigestError;
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  expect(e.message).not.toMatch(/\n/);
  expect(e.exitCode).toBe(exitCode);
  expect(e.hint).not.toBe('');
  return e;
}
