/**
 * Digests and papers for the group tests: the real 39-paper page (read through src/ingest),
 * the two hand-written digests in test/fixtures/themes, and a small paper factory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDigest } from '../../../src/ingest/parse-digest.js';
import type { Digest, Paper, Theme, ThemedDigest } from '../../../src/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The 39 trending papers of 2025-12-11 as the ingest stage reads them. */
export function loadSampleDigest(): Digest {
  const name = 'hf-papers-2025-12-11.txt';
  const bytes = readFileSync(path.join(ROOT, 'content/digests', name));
  return parseDigest(bytes, { name, now: new Date('2025-12-11T12:00:00Z') }).digest;
}

/** A digest of test/fixtures/themes, in paperpost's normalized JSON. */
export function loadThemesFixture(file: string): Digest {
  return JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/themes', file), 'utf8')) as Digest;
}

let counter = 0;

/** A normalized paper; only what a test sets differs from a bland default. */
export function makePaper(fields: Partial<Paper> & { title: string }): Paper {
  counter++;
  return {
    id: fields.id ?? `paper-${String(counter).padStart(4, '0')}`,
    title: fields.title,
    abstract: fields.abstract ?? '',
    summary: fields.summary ?? null,
    authors: fields.authors ?? [],
    authorCount: fields.authorCount ?? null,
    publishedAt: fields.publishedAt ?? null,
    upvotes: fields.upvotes ?? null,
    url: fields.url ?? null,
    codeUrl: fields.codeUrl ?? null,
    keywords: fields.keywords ?? [],
  };
}

/** A digest of `papers`. */
export function makeDigest(papers: Paper[], date: string | null = '2025-01-01'): Digest {
  return { date, source: 'test', papers };
}

/** The theme holding the paper whose title starts with `prefix` (fails loudly when none does). */
export function themeOf(themed: ThemedDigest, prefix: string): Theme {
  const theme = themed.themes.find((t) => t.papers.some((p) => p.title.startsWith(prefix)));
  if (!theme) throw new Error(`no theme holds a paper titled "${prefix}..."`);
  return theme;
}

/** Deterministic Fisher–Yates shuffle (mulberry32), so a failing order can be replayed. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
