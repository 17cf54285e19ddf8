/**
 * One reader's model for one day: arxiv-sanity-lite's linear SVM (picks/train-linear-svm.ts)
 * over the day's TF-IDF features (picks/day-vectors.ts), learned from what the reader rated.
 * Nothing is kept between days: the model is relearned from the ratings each time, which costs
 * a fraction of a millisecond and means a removed rating is forgotten at once.
 *
 * 1. The examples: the reader's most recent MODEL_RATINGS ratings, "more" as positives and
 *    "less" as negatives, and the day's background papers as negatives too (those the reader
 *    rated excepted). Below MIN_RATINGS ratings, or with no "more" among them, there is no model.
 * 2. Balanced classes (class_weight='balanced': C × m / (2 × class size)), C and the
 *    negatives' lower weights from the day's settings (picks/pick-settings.ts).
 * 3. Every paper of the day gets the SVM's decision value. A background paper's own example is
 *    left out of its score, so being sampled as background does not push a paper down.
 * 4. Reasons (explainScore): the terms a pick shares with the reader's positive weights, the
 *    heaviest first, as the day spells them, and how many "more" papers hold them.
 */
import type { SparseVector } from '../topics/build-tfidf-vectors.js';
import { PROFILE, type DayVectors } from './day-vectors.js';
import { isAuthorTerm, spellingOf } from './paper-terms.js';
import type { Rating } from './reader-signals.js';
import { MIN_RATINGS } from './reader-plan.js';
import { trainLinearSvm } from './train-linear-svm.js';

/** Fewer ratings than this: follows and topics alone (issue #20's cold start); kept with the plan's rule (reader-plan.ts). */
export { MIN_RATINGS };
/** Ratings a model learns from, most recent first: a reader's taste moves, and the cost grows with the square. */
export const MODEL_RATINGS = 100;
export interface ModelOptions {
  c?: number;
}

export interface ReaderModel {
  /** The decision value of each paper of the day, in the day's order. */
  dayScores: Float64Array;
  /** The examples' vectors and coefficients: w = Σ coef[i] · vectors[i]. */
  vectors: SparseVector[];
  coef: Float64Array;
  /** The vectors of the papers rated "more". */
  positives: SparseVector[];
  /** Ids of every paper the model learned from the reader's ratings of. */
  rated: Set<string>;
}

/** The reader's ratings the model uses: the most recent MODEL_RATINGS (ISO timestamps sort as text). */
export function modelRatings(ratings: readonly Rating[]): Rating[] {
  if (ratings.length <= MODEL_RATINGS) return [...ratings];
  return [...ratings].sort((a, b) => (a.ratedAt < b.ratedAt ? 1 : a.ratedAt > b.ratedAt ? -1 : 0)).slice(0, MODEL_RATINGS);
}

/** Trains a reader's model on `day` (see the file comment), or null below MIN_RATINGS or without a "more". */
export function trainReaderModel(day: DayVectors, dayIds: readonly string[], ratings: readonly Rating[], options: ModelOptions = {}): ReaderModel | null {
  // 1. The examples.
  const used = modelRatings(ratings);
  if (used.length < MIN_RATINGS || !used.some((r) => r.choice === 'more')) return null;
  const rated = new Set(used.map((r) => r.paperId));
  const fromRatings = used.map((r) => day.rated(r));
  const background = [...day.background.keys()].filter((b) => !rated.has(dayIds[day.background[b]!]!));
  const r = used.length;
  const m = r + background.length;
  const n = day.n;
  // Every entry is written below, so the day's buffer is reused from reader to reader.
  const gram = day.gramBuffer(m * m);
  day.pairwiseDots(
    fromRatings.map((x) => x.vector),
    (i, j, dot) => {
      const same = fromRatings[i]!.topic >= 0 && fromRatings[i]!.topic === fromRatings[j]!.topic ? day.topicWeight2 : 0;
      gram[i * m + j] = gram[j * m + i] = dot + same + 1;
    },
  );
  const whole = background.length === day.background.length;
  const bb = day.background.length;
  for (let k = 0; k < background.length; k++) {
    const b = background[k]!;
    const at = day.background[b]!;
    const row = (r + k) * m;
    for (let i = 0; i < r; i++) gram[row + i] = gram[i * m + r + k] = fromRatings[i]!.dayDots[at]! + 1;
    // The background's own block is the same for every reader who rated none of it: copied.
    if (whole) gram.set(day.backgroundGram.subarray(b * bb, (b + 1) * bb), row + r);
    else for (let k2 = 0; k2 < background.length; k2++) gram[row + r + k2] = day.backgroundGram[b * bb + background[k2]!]!;
  }
  // 2. Labels and balanced costs.
  const y = Int8Array.from({ length: m }, (_, i) => (i < r && used[i]!.choice === 'more' ? 1 : -1));
  const positives = y.reduce((s, v) => s + (v > 0 ? 1 : 0), 0);
  const c = options.c ?? day.settings.c;
  const cost = Float64Array.from(y, (v, i) => ((c * m) / (2 * (v > 0 ? positives : m - positives))) * (v > 0 ? 1 : i < r ? day.settings.lessWeight : day.settings.backgroundWeight));
  const coef = trainLinearSvm({ m, gram, y, cost });
  // 3. Decision values of the day, bias included, own example left out.
  const dayScores = new Float64Array(n);
  let bias = 0;
  for (let i = 0; i < m; i++) bias += coef[i]!;
  dayScores.fill(bias);
  for (let i = 0; i < r; i++) {
    const dots = fromRatings[i]!.dayDots;
    const w = coef[i]!;
    if (w !== 0) for (let j = 0; j < n; j++) dayScores[j]! += w * dots[j]!;
  }
  background.forEach((b, k) => {
    const w = coef[r + k]!;
    if (w === 0) return;
    const row = day.backgroundDots.subarray(b * n, (b + 1) * n);
    for (let j = 0; j < n; j++) dayScores[j]! += w * row[j]!;
    const own = day.background[b]!;
    dayScores[own]! -= w * (row[own]! + 1);
  });
  return {
    dayScores,
    vectors: [...fromRatings.map((x) => x.vector), ...background.map((b) => day.vectors[day.background[b]!]!)],
    coef,
    positives: fromRatings.filter((_, i) => y[i]! > 0).map((x) => x.vector),
    rated,
  };
}

/** The model's weight of every term id in use (dense: the day's vocabulary and the rated papers' terms). */
export function modelWeights(day: DayVectors, model: ReaderModel): Float64Array {
  const w = new Float64Array(day.termCount);
  model.vectors.forEach((v, i) => day.addInto(w, v, model.coef[i]!));
  return w;
}

/** The model's weights, and which terms the reader's "more" papers hold (1), by term id. */
export interface ModelTerms {
  weights: Float64Array;
  inPositive: Uint8Array;
}

/**
 * Calls `fn` with the model's weights and its "more" papers' terms in the day's scratch vectors
 * (zero elsewhere), then zeroes them again: a pick's reason needs a few hundred weights, not
 * fresh vectors of every term for every reader.
 */
export function withModelTerms<T>(day: DayVectors, model: ReaderModel, fn: (terms: ModelTerms) => T): T {
  // Only the day's terms: a pick is a paper of the day (and the day's part of the scratch stays in cache).
  const weights = day.zeroedScratch();
  const inPositive = day.zeroedMarks();
  const limit = day.dayTerms;
  model.vectors.forEach((v, i) => day.addInto(weights, v, model.coef[i]!, limit));
  for (const v of model.positives) for (const t of v.terms) if (t < limit) inPositive[t] = 1;
  try {
    return fn({ weights, inPositive });
  } finally {
    for (const v of model.vectors) for (const t of v.terms) if (t < limit) weights[t] = 0;
    for (const v of model.positives) for (const t of v.terms) if (t < limit) inPositive[t] = 0;
  }
}

/** Terms a reason names at most. */
const REASON_TERMS = 2;

/** Why the model likes a paper: its terms that weigh most for the reader, and how many "more" papers hold them. */
export interface ScoreReason {
  /** As the day spells them ("speculative decoding", "Tri Dao"). */
  terms: string[];
  /** "More" papers that hold at least one of them. */
  papers: number;
}

/** The reason for day paper `j` (step 4), or null when it shares no positive term with a "more" paper. */
export function explainScore(day: DayVectors, model: ReaderModel, { weights, inPositive }: ModelTerms, j: number): ScoreReason | null {
  const x = day.vectors[j]!;
  const parts: { t: number; part: number }[] = [];
  for (let k = 0; k < x.terms.length; k++) {
    const t = x.terms[k]!;
    const part = x.weights[k]! * weights[t]!;
    // A topic profile is what "in your topic" says, not a term of the reader's papers.
    if (part > 0 && inPositive[t] === 1 && !day.keys[t]!.startsWith(PROFILE)) parts.push({ t, part });
  }
  parts.sort((a, b) => b.part - a.part || a.t - b.t);
  // A phrase and a word of it say one thing: "draft model" and "draft" are not two reasons.
  const chosen: number[] = [];
  const words = new Set<string>();
  for (const { t } of parts) {
    const key = day.keys[t]!;
    const own = isAuthorTerm(key) ? [key] : key.split(' ');
    if (own.some((w) => words.has(w))) continue;
    own.forEach((w) => words.add(w));
    chosen.push(t);
    if (chosen.length === REASON_TERMS) break;
  }
  if (chosen.length === 0) return null;
  const papers = model.positives.filter((v) => chosen.some((t) => v.terms.includes(t))).length;
  return { terms: chosen.map((t) => spellingOf(day.spellings, day.keys[t]!)), papers };
}
