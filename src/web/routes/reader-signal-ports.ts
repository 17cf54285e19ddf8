/**
 * What the feedback and preferences pages use of the reader-signal parts below them, in one
 * place: a rated paper's text (from the stored issues), whether an author's name is shared,
 * the reader's data as JSON, erasing a reader, the model's explanation, and the one clear line
 * a store limit becomes. The routes stay about HTTP; these stay about the data.
 */
import { InputError } from '../../errors.js';
import { MAX_RATED_TEXT, type RatedPaper, type ReaderSignalSet } from '../../picks/reader-signals.js';
import type { Store } from '../../store/store.js';
import type { FeedbackPaper } from '../views/render-feedback-page.js';
import type { ReaderExplanation } from '../views/render-reader-signals.js';

/** A paper's text for a rating, cut to what the store keeps; null when no stored issue carried it. */
export async function findRatedPaper(store: Store, paperId: string): Promise<FeedbackPaper | null> {
  const found = (await store.findIssuePaper(paperId)) as (RatedPaper & { url?: string | null }) | null;
  if (!found) return null;
  // The store refuses text beyond its limit (bad input); a long abstract from a digest is cut instead.
  const cut = (text: string) => (text.length > MAX_RATED_TEXT ? text.slice(0, MAX_RATED_TEXT) : text);
  const fit = (list: string[]) => {
    const kept: string[] = [];
    let length = 0;
    for (const item of list) {
      length += item.length + (kept.length ? 2 : 0);
      if (length > MAX_RATED_TEXT) break;
      kept.push(item);
    }
    return kept;
  };
  return { paperId: found.paperId, title: cut(found.title), abstract: cut(found.abstract), authors: fit(found.authors), keywords: fit(found.keywords), url: found.url ?? null };
}

/** The one line a refused signal (a limit of the store) becomes; null for any other error. */
export function signalLimitMessage(error: unknown): string | null {
  if (!(error instanceof InputError)) return null;
  const line = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return error.hint ? `${line}: ${error.hint}.` : `${line}.`;
}

/**
 * The reader model's top terms for and against, for "What paperpost thinks you like".
 * Undefined while no model is available to explain itself (the page then leaves the part out).
 */
export function explainSignals(_signals: ReaderSignalSet): ReaderExplanation | null | undefined {
  return undefined;
}
