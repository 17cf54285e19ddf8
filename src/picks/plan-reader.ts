/**
 * A reader's plan for one day (picks/reader-plan.ts): which papers are "Picked for you", why,
 * and how the rest of their copy is ordered. The day is indexed once per issue (indexDay); each
 * reader is then planned from their signals and topics alone, so a send plans one batch of
 * readers at a time with no store access here.
 *
 * 1. A paper that matches a muted phrase is never picked.
 * 2. Every other paper gets a score from what the reader said: an author they follow, a
 *    phrase they follow (matched on stems in title, keywords and abstract), a topic they
 *    follow, and, from MIN_RATINGS ratings on, their model (picks/reader-model.ts): its
 *    decision value, standardized over the day (mean 0, deviation 1), so that a follow's
 *    bonus means the same for every reader.
 * 3. The picks are the best-scoring papers with a score above zero, at most `picks`, drawn from
 *    every paper of the day and none the reader rated already, each with the reason of its
 *    strongest signal in plain words: a followed author, a followed phrase, what the model
 *    saw ("like 3 papers you marked: speculative decoding, draft model"), a followed topic.
 * 4. With a model, every paper's score goes in `scores` (sections are ordered by it; muted
 *    papers sink); without one, `scores` is null and sections keep the day's order.
 * 5. A reader who said nothing (no follows, fewer than MIN_RATINGS ratings, every topic) gets
 *    EMPTY_PLAN: today's issue unchanged.
 */
import type { Paper } from '../types.js';
import { DEFAULT_ASSIGN_OPTIONS } from '../topics/assign-topics.js';
import type { TopicMatcher } from '../topics/build-topic-matcher.js';
import { tokenizeText } from '../topics/tokenize-text.js';
import { DayScores } from './day-scores.js';
import { DayVectors } from './day-vectors.js';
import { explainScore, modelWeights, trainReaderModel, type ModelOptions, type ReaderModel } from './reader-model.js';
import { EMPTY_PLAN, type Pick, type ReaderPlan } from './reader-plan.js';
import { followKey, type RatedPaper, type ReaderSignalSet } from './reader-signals.js';

/** One paper of the day as planning sees it. */
export interface DayPaper {
  paper: Paper;
  /** The topic id of the section it sits in, or null (catch-all, cluster). */
  topicId: string | null;
  /** That section's label, for reasons ("in your topic LLM Agents"). */
  topicLabel: string | null;
  /** Its place in the day's order (0 = first): the tie-break, and the order without a model. */
  rank: number;
}

/** The day, indexed once for every reader. */
export interface DayIndex {
  papers: readonly DayPaper[];
  /** Per paper: the stems of title, keywords and abstract as one space-joined string, padded with spaces. */
  stems: readonly string[];
  /** Per paper: the followKey of each author. */
  authorKeys: readonly (readonly string[])[];
  /** Per paper: its id; and id → index. */
  paperIds: readonly string[];
  ids: ReadonlyMap<string, number>;
  /** What every reader's model shares: the day's TF-IDF, background and rated-paper cache. */
  vectors: DayVectors;
}

const stemsOf = (text: string) =>
  tokenizeText(text)
    .map((segment) => segment.map((t) => t.stem).join(' '))
    .join(' | ');

export interface IndexOptions {
  /**
   * The issue's topic matcher (topics/build-topic-matcher.ts, the map and learned vocabulary
   * the day was grouped with). With it, a rated paper's topic feature is the topic the map
   * gives it; without it, the day's topic whose papers it is closest to (weaker: see
   * scripts/measure-picks.mjs).
   */
  matcher?: TopicMatcher;
}

/** Indexes the day's papers once per issue. */
export function indexDay(papers: readonly DayPaper[], options: IndexOptions = {}): DayIndex {
  const matcher = options.matcher;
  const topicOf =
    matcher &&
    ((r: RatedPaper) => {
      const best = matcher.score({ id: r.paperId, title: r.title, abstract: r.abstract, summary: null, authors: r.authors, authorCount: null, publishedAt: null, upvotes: null, url: null, codeUrl: null, keywords: r.keywords })[0];
      return best !== undefined && best.score >= DEFAULT_ASSIGN_OPTIONS.threshold ? best.id : null;
    });
  return {
    papers,
    stems: papers.map(({ paper }) => ` ${stemsOf([paper.title, paper.keywords.join(', '), paper.abstract].join(' | '))} `),
    authorKeys: papers.map(({ paper }) => paper.authors.map((a) => followKey('author', a))),
    paperIds: papers.map(({ paper }) => paper.id),
    ids: new Map(papers.map(({ paper }, i) => [paper.id, i])),
    vectors: new DayVectors(papers.map(({ paper }) => paper), papers.map((p) => p.topicId), topicOf),
  };
}

/** A phrase as the stems it is matched by, padded so it matches whole words only. */
export function phraseStems(phrase: string): string {
  return ` ${stemsOf(phrase)} `;
}

export interface PlanOptions {
  /** How many picks at most (PICKS). */
  picks: number;
  /** The model's settings (tuning and measurement; the defaults are the product's). */
  model?: ModelOptions;
}

/** What a reader brings: their signals (null: none kept) and the topic ids they follow (null: all). */
export interface ReaderTaste {
  signals: ReaderSignalSet | null;
  topics: readonly string[] | null;
}

/**
 * What each signal adds. Without a model, only their order matters (author, phrase, topic).
 * With one, they add to the model's standardized score: a followed author or phrase is what the
 * reader asked for by name, so it outweighs the model's best papers of the day (a top paper
 * stands 3 to 5 deviations out); a followed topic tips the balance between papers the model
 * finds about as good (its size was chosen on tune days, scripts/measure-picks.mjs).
 */
const WITHOUT_MODEL = { author: 3, phrase: 2, topic: 1 };
const WITH_MODEL = { author: 8, phrase: 5, topic: 1 };

/** A paper muted by the reader sinks this far (in deviations of the model) within its section. */
const MUTED = 10;

/** Plans one reader's copy of the day (see the file comment). */
export function planReader(day: DayIndex, taste: ReaderTaste, options: PlanOptions): ReaderPlan {
  const follows = taste.signals?.follows ?? [];
  const topics = taste.topics === null ? null : new Set(taste.topics.map((t) => t.toLowerCase()));
  const model = trainReaderModel(day.vectors, day.paperIds, taste.signals?.ratings ?? [], options.model);
  if (follows.length === 0 && topics === null && model === null) return EMPTY_PLAN;
  const authors = new Map(follows.filter((f) => f.kind === 'author').map((f) => [f.key, f.value]));
  const phrases = follows.filter((f) => f.kind === 'phrase').map((f) => ({ value: f.value, stems: phraseStems(f.value) }));
  const mutes = follows.filter((f) => f.kind === 'mute').map((f) => phraseStems(f.value));
  const z = model === null ? null : standardize(model.dayScores);
  const all = z === null ? null : new Float64Array(day.papers.length);
  const bonus = z === null ? WITHOUT_MODEL : WITH_MODEL;

  const scored: (Pick & { i: number; why: Why })[] = [];
  day.papers.forEach((dp, i) => {
    // 1. Muted: never picked, and last in its section.
    const stems = day.stems[i]!;
    const muted = mutes.some((m) => m.trim() !== '' && stems.includes(m));
    // 2. The signals, strongest first for the reason.
    let score = 0;
    let why: Why = 'none';
    let reason = '';
    const author = day.authorKeys[i]!.find((k) => authors.has(k));
    if (author !== undefined) {
      score += bonus.author;
      why = 'follow';
      reason = `you follow ${authors.get(author)!}`;
    }
    const phrase = phrases.find((p) => p.stems.trim() !== '' && stems.includes(p.stems));
    if (phrase) {
      score += bonus.phrase;
      if (why === 'none') [why, reason] = ['follow', `you follow "${phrase.value}"`];
    }
    const inTopic = topics !== null && dp.topicId !== null && topics.has(dp.topicId.toLowerCase());
    if (inTopic) score += bonus.topic;
    if (z !== null) {
      score += z[i]!;
      if (why === 'none') why = 'model';
      all![i] = muted ? score - MUTED : score;
    }
    if (why === 'none' && inTopic) why = 'topic';
    if (inTopic) reason ||= `in your topic ${dp.topicLabel ?? dp.topicId}`;
    if (muted || model?.rated.has(dp.paper.id) || why === 'none') return;
    // The day's order breaks ties: a small bonus that never outweighs a signal.
    const tie = z === null ? 1 / (2 + dp.rank) : 1e-6 / (1 + dp.rank);
    if (score > 0) scored.push({ paperId: dp.paper.id, score: score + tie, reason, i, why });
  });
  // 3. The best, at most `picks`, with the model's reason where no follow gave one.
  scored.sort((a, b) => b.score - a.score);
  const picks = scored.slice(0, Math.max(0, options.picks));
  if (model !== null) explainPicks(day, model, picks);
  return {
    picks: picks.map(({ paperId, score, reason }) => ({ paperId, score, reason })),
    scores: all === null ? null : new DayScores(day.ids, all),
  };
}

/** What gave a paper its reason: a follow, the model, a followed topic, or nothing. */
type Why = 'follow' | 'model' | 'topic' | 'none';

/** The model's reason for each pick no follow explains ("like 3 papers you marked: …"). */
function explainPicks(day: DayIndex, model: ReaderModel, picks: (Pick & { i: number; why: Why })[]): void {
  let weights: Float64Array | null = null;
  for (const pick of picks) {
    if (pick.why === 'follow') continue;
    weights ??= modelWeights(day.vectors, model);
    const why = explainScore(day.vectors, model, weights, pick.i);
    if (why !== null) pick.reason = `like ${why.papers === 1 ? 'a paper' : `${why.papers} papers`} you marked: ${why.terms.join(', ')}`;
    else pick.reason ||= 'close to papers you marked';
  }
}

/** (x − mean) / deviation over the day; a flat day stays at 0. */
function standardize(values: Float64Array): Float64Array {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let variance = 0;
  for (const v of values) variance += ((v - mean) * (v - mean)) / n;
  const sd = Math.sqrt(variance) || 1;
  return values.map((v) => (v - mean) / sd);
}
