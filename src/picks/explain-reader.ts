/**
 * "What paperpost thinks you like" (issue #20, item 5): the terms that weigh most for and
 * against a reader, as the preferences page shows them. It is the reader's model trained on
 * their rated papers alone (no day: the page is not about one issue), so it says what their
 * ratings taught and nothing else: the papers they rated are the corpus for idf, "more" against
 * "less". Terms are shown as the rated papers spell them ("speculative decoding", "Tri Dao").
 */
import { DayVectors } from './day-vectors.js';
import { isAuthorTerm, spellingOf } from './paper-terms.js';
import { modelRatings, modelWeights, MIN_RATINGS, trainReaderModel } from './reader-model.js';
import type { ReaderSignalSet } from './reader-signals.js';

/** One term of the model, for display. */
export interface TermWeight {
  /** As written in the rated papers. */
  term: string;
  /** The model's weight (positive: for; negative: against); comparable within one reader only. */
  weight: number;
  /** True when the term is an author's name. */
  author: boolean;
}

export interface ReaderExplanation {
  /** False below MIN_RATINGS ratings or with no "more": follows and topics alone rank. */
  model: boolean;
  /** Ratings the model learned from (the most recent MODEL_RATINGS). */
  ratings: number;
  /** Heaviest first. */
  for: TermWeight[];
  against: TermWeight[];
}

/** The terms that weigh most for and against the reader, at most `limit` of each. */
export function explainReader(signals: ReaderSignalSet | null, options: { limit?: number } = {}): ReaderExplanation {
  const limit = options.limit ?? 10;
  const ratings = modelRatings(signals?.ratings ?? []);
  const none = { model: false, ratings: ratings.length, for: [], against: [] };
  if (ratings.length < MIN_RATINGS) return none;
  const corpus = new DayVectors(ratings);
  const model = trainReaderModel(
    corpus,
    ratings.map((r) => r.paperId),
    ratings,
  );
  if (model === null) return none;
  const weights = modelWeights(corpus, model);
  const order = [...weights.keys()].filter((t) => weights[t] !== 0).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const show = (t: number): TermWeight => {
    const key = corpus.keys[t]!;
    return { term: spellingOf(corpus.spellings, key), weight: Math.round(weights[t]! * 1e4) / 1e4, author: isAuthorTerm(key) };
  };
  return {
    model: true,
    ratings: ratings.length,
    for: order.filter((t) => weights[t]! > 0).slice(0, limit).map(show),
    against: order.filter((t) => weights[t]! < 0).reverse().slice(0, limit).map(show),
  };
}
