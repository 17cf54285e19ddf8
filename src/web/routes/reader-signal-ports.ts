/**
 * What the feedback and preferences pages use of the reader-signal parts below them, in one
 * place: a rated paper's text (from the stored issues), whether an author's name is shared by
 * several spellings in recent issues, the reader's data for the download, erasing a reader and
 * saying what went, the model's explanation, and the one clear line a store limit becomes. The
 * routes stay about HTTP; these stay about the data.
 */
import { InputError } from '../../errors.js';
import { explainReader, type ReaderExplanation } from '../../picks/explain-reader.js';
import { authorSpellings } from '../../picks/author-spellings.js';
import type { ReaderSignalSet } from '../../picks/reader-signals.js';
import { plural } from '../../plural.js';
import type { ReaderData, Store } from '../../store/store.js';
import type { FeedbackPaper } from '../views/render-feedback-page.js';

/** A paper's text for a rating (cut to what the store keeps); null when no stored issue carried it. */
export async function findRatedPaper(store: Store, paperId: string): Promise<FeedbackPaper | null> {
  return store.findIssuePaper(paperId);
}

/** Paper ids by card index of the frozen issues a store holds, by issue id: frozen issues never change. */
const issuePapers = new WeakMap<Store, Map<string, readonly string[]>>();
/** How many issues' papers are kept per store (a compact feedback link names its issue). */
const KEPT_ISSUES = 32;

/**
 * The paper ids of a frozen issue by card index (render/compile-cards.ts), what a compact
 * feedback token names its paper by (subscribers/feedback-token.ts); null when no issue of
 * that id is stored, or it has no cards.
 */
export async function issuePaperIds(store: Store, issueId: string): Promise<readonly string[] | null> {
  let kept = issuePapers.get(store);
  if (!kept) issuePapers.set(store, (kept = new Map()));
  const known = kept.get(issueId);
  if (known) return known;
  const issue = await store.getIssue(issueId);
  let ids: string[] | null = null;
  try {
    const cards = (JSON.parse(issue?.frozen ?? '{}') as { cards?: { id?: unknown }[] }).cards;
    if (Array.isArray(cards)) ids = cards.map((c) => (typeof c?.id === 'string' ? c.id : ''));
  } catch {
    ids = null;
  }
  if (ids === null) return null;
  if (kept.size >= KEPT_ISSUES) kept.delete(kept.keys().next().value!);
  kept.set(issueId, ids);
  return ids;
}

/** Two or more spellings in recent issues of `name` once normalised, else null (`authorSpellings`). */
export async function authorAmbiguity(store: Store, name: string): Promise<string[] | null> {
  return authorSpellings(store, name);
}

/** Everything stored about the reader, as the download gives it. */
export async function exportReaderData(store: Store, subscriberId: number): Promise<ReaderData | null> {
  return store.readerData(subscriberId);
}

/**
 * Erases the reader (the store's forgetSubscriber: one transaction) and returns what went, in
 * words, counted just before; null when there was no such reader.
 */
export async function forgetReader(store: Store, subscriberId: number): Promise<string[] | null> {
  const data = await store.readerData(subscriberId);
  if (!data || !(await store.forgetSubscriber(subscriberId))) return null;
  const lines = [`your address${data.subscriber.name ? ' and your name' : ''}`];
  lines.push(data.subscriber.themes && data.subscriber.themes.length ? `your ${plural(data.subscriber.themes.length, 'topic')}` : 'your topic choice (all topics)');
  lines.push(plural(data.ratings.length, 'rating'));
  lines.push(plural(data.follows.length, 'follow or mute', 'follows and mutes'));
  lines.push(`${plural(data.confirmations.length, 'subscription request')} and when ${data.confirmations.length === 1 ? 'it was' : 'they were'} confirmed`);
  lines.push(`the ${plural(data.deliveries.length, 'record')} of issues sent to you`);
  if (data.mailEvents.length) lines.push(plural(data.mailEvents.length, 'bounce or complaint record', 'bounce and complaint records'));
  return lines;
}

/** The reader model's top terms for and against, for "What paperpost thinks you like" (at most 10 of each). */
export function explainSignals(signals: ReaderSignalSet): ReaderExplanation {
  return explainReader(signals, { limit: 10 });
}

/** The one line a refused signal (a limit of the store) becomes; null for any other error. */
export function signalLimitMessage(error: unknown): string | null {
  if (!(error instanceof InputError)) return null;
  const line = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return error.hint ? `${line}: ${error.hint}.` : `${line}.`;
}
