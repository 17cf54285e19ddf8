/**
 * The `signals` column of a subscriber export: a reader's ratings and follows as one JSON cell,
 * so `subscribers export` then `subscribers import` carries them to another list. The column
 * is written only when some reader has signals, and an export without it (every export made
 * before issue #20) imports as before. The shape is checked here, row by row, so a bad cell
 * rejects its row like any bad cell; the limits are checked by the store when the signals are
 * recorded.
 */
import type { Follow, FollowKind, Rating, ReaderSignalSet } from '../picks/reader-signals.js';

const KINDS: readonly string[] = ['author', 'phrase', 'mute'] satisfies FollowKind[];

/** The cell for a reader's signals; '' when they have none. */
export function formatSignalsCell(signals: ReaderSignalSet | undefined): string {
  if (!signals || (signals.ratings.length === 0 && signals.follows.length === 0)) return '';
  return JSON.stringify({ ratings: signals.ratings, follows: signals.follows.map(({ kind, value, createdAt }) => ({ kind, value, createdAt })) });
}

const isText = (x: unknown): x is string => typeof x === 'string';
const isTextList = (x: unknown): x is string[] => Array.isArray(x) && x.every(isText);
const isTime = (x: unknown): x is string => isText(x) && /^\d{4}-\d{2}-\d{2}T/.test(x) && !Number.isNaN(Date.parse(x));

/** Reads a cell back; throws an Error saying what is wrong (the caller rejects the row with it). */
export function parseSignalsCell(cell: string): ReaderSignalSet | undefined {
  if (!cell.trim()) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(cell);
  } catch {
    throw new Error('signals is not JSON (as paperpost subscribers export writes it)');
  }
  const { ratings = [], follows = [] } = (data ?? {}) as { ratings?: unknown; follows?: unknown };
  if (!Array.isArray(ratings) || !Array.isArray(follows)) throw new Error('signals must hold lists "ratings" and "follows"');
  const out: ReaderSignalSet = { ratings: [], follows: [] };
  for (const r of ratings as Partial<Rating>[]) {
    const ok = r && isText(r.paperId) && isText(r.title) && isText(r.abstract) && isTextList(r.authors) && isTextList(r.keywords) && (r.choice === 'more' || r.choice === 'less') && isTime(r.ratedAt);
    if (!ok) throw new Error(`signals: rating ${JSON.stringify(String(r?.paperId ?? '?')).slice(0, 60)} lacks a paper id, title, abstract, authors, keywords, choice or time`);
    out.ratings.push({ paperId: r.paperId!, title: r.title!, abstract: r.abstract!, authors: r.authors!, keywords: r.keywords!, choice: r.choice!, ratedAt: r.ratedAt! });
  }
  for (const f of follows as Partial<Follow>[]) {
    if (!f || !KINDS.includes(f.kind as string) || !isText(f.value) || !isTime(f.createdAt)) throw new Error('signals: a follow lacks a kind (author, phrase, mute), a value or a time');
    out.follows.push({ kind: f.kind!, value: f.value!, key: '', createdAt: f.createdAt! });
  }
  return out;
}
