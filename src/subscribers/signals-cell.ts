/**
 * The `signals` column of a subscriber export: a reader's ratings and follows as one JSON cell,
 * so `subscribers export` then `subscribers import` carries them to another list. The column
 * is written only when some reader has signals, and an export without it (every export made
 * before issue #20) imports as before. The shape and every limit are checked here, row by row,
 * with the store's own rules (picks/check-signals.ts): a cell the store would refuse in part
 * (over MAX_FOLLOWS or MAX_RATINGS, a follow too long or of stop words only, a rating's text too
 * long) rejects its row like any bad cell, so an import stays all or nothing (or skips the row
 * whole with --skip-invalid) instead of recording part of it.
 */
import { quoteInput } from '../echo-input.js';
import { checkFollow, checkRatedPaper, replacedKind } from '../picks/check-signals.js';
import { MAX_FOLLOWS, MAX_RATINGS, type Follow, type FollowKind, type Rating, type ReaderSignalSet } from '../picks/reader-signals.js';

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
  const ratedIds = new Set<string>();
  for (const r of ratings as Partial<Rating>[]) {
    const ok = r && isText(r.paperId) && isText(r.title) && isText(r.abstract) && isTextList(r.authors) && isTextList(r.keywords) && (r.choice === 'more' || r.choice === 'less') && isTime(r.ratedAt);
    const id = quoteInput(String(r?.paperId ?? '?'), 61);
    if (!ok) throw new Error(`signals: rating ${id} lacks a paper id, title, abstract, authors, keywords, choice or time`);
    const rating = { paperId: r.paperId!, title: r.title!, abstract: r.abstract!, authors: r.authors!, keywords: r.keywords!, choice: r.choice!, ratedAt: r.ratedAt! };
    within(`rating ${id}`, () => checkRatedPaper(rating, rating.choice));
    ratedIds.add(rating.paperId.trim());
    out.ratings.push(rating);
  }
  // The store keeps one rating per paper, at most MAX_RATINGS: more would be dropped, not imported.
  if (ratedIds.size > MAX_RATINGS) throw new Error(`signals: ${ratedIds.size} rated papers; a reader has at most ${MAX_RATINGS}`);
  // The follows as the store would keep them, added in order: one per kind and key, a phrase followed or muted.
  const kept = new Set<string>();
  for (const f of follows as Partial<Follow>[]) {
    if (!f || !KINDS.includes(f.kind as string) || !isText(f.value) || !isTime(f.createdAt)) throw new Error('signals: a follow lacks a kind (author, phrase, mute), a value or a time');
    const { kind, key } = within(`${f.kind} ${quoteInput(f.value, 61)}`, () => checkFollow({ kind: f.kind!, value: f.value! }));
    const other = replacedKind(kind);
    if (other) kept.delete(`${other}:${key}`);
    kept.add(`${kind}:${key}`);
    out.follows.push({ kind: f.kind!, value: f.value!, key: '', createdAt: f.createdAt! });
  }
  if (kept.size > MAX_FOLLOWS) throw new Error(`signals: ${kept.size} follows and mutes; a reader has at most ${MAX_FOLLOWS}`);
  return out;
}

/** Runs a check of one entry of the cell; its refusal becomes the row's reason, naming the entry. */
function within<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw new Error(`signals: ${what}: ${(e as Error).message}`);
  }
}
