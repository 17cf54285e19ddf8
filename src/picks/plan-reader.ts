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
import { DayVectors, type TopicProfileOf } from './day-vectors.js';
import type { PickSettings } from './pick-settings.js';
import { explainScore, trainReaderModel, withModelTerms, type ModelOptions, type ReaderModel } from './reader-model.js';
import { EMPTY_PLAN, saidNothing, type Pick, type ReaderPlan } from './reader-plan.js';
import { followKey, type ReaderSignalSet } from './reader-signals.js';

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
  /** Per paper: its topic id in lowercase (null: none), as followed topics are matched. */
  topicKeys: readonly (string | null)[];
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
   * the day was grouped with). With it, every paper has a topic profile and a rated paper's
   * section feature is the topic the map gives it; without it, there are no profiles and a
   * rated paper's section is the day's topic whose papers it is closest to (much weaker: see
   * scripts/measure-picks.mjs --no-matcher).
   */
  matcher?: TopicMatcher;
  /** Settings other than the product's PICK_SETTINGS (measurement only). */
  settings?: Partial<PickSettings>;
}

/** Indexes the day's papers once per issue. */
export function indexDay(papers: readonly DayPaper[], options: IndexOptions = {}): DayIndex {
  const matcher = options.matcher;
  const profileOf: TopicProfileOf | undefined =
    matcher &&
    ((r, tokens) =>
      matcher.score({ id: '', title: r.title, abstract: r.abstract, summary: r.summary ?? null, authors: [...r.authors], authorCount: null, publishedAt: null, upvotes: null, url: null, codeUrl: null, keywords: [...r.keywords] }, tokens));
  return {
    papers,
    stems: papers.map(({ paper }) => ` ${stemsOf([paper.title, paper.keywords.join(', '), paper.abstract].join(' | '))} `),
    authorKeys: papers.map(({ paper }) => paper.authors.map((a) => followKey('author', a))),
    topicKeys: papers.map((p) => p.topicId?.toLowerCase() ?? null),
    paperIds: papers.map(({ paper }) => paper.id),
    ids: new Map(papers.map(({ paper }, i) => [paper.id, i])),
    vectors: new DayVectors(
      papers.map(({ paper }) => paper),
      papers.map((p) => p.topicId),
      { profileOf, threshold: DEFAULT_ASSIGN_OPTIONS.threshold, settings: options.settings },
    ),
  };
}

/** A phrase as the stems it is matched by, padded so it matches whole words only. */
export function phraseStems(phrase: string): string {
  return ` ${stemsOf(phrase)} `;
}

/** Papers of the day that hold each phrase readers follow or mute: readers share phrases, so each is matched once a day. */
const matched = new WeakMap<DayIndex, Map<string, Uint8Array>>();
const MATCHED_PHRASES = 10_000;

/** 1 for each paper of the day whose stems hold `phrase`'s stems (whole words), else 0. */
function papersMatching(day: DayIndex, phrase: string): Uint8Array {
  let cache = matched.get(day);
  if (cache === undefined) matched.set(day, (cache = new Map()));
  const stems = phraseStems(phrase);
  let hits = cache.get(stems);
  if (hits === undefined) {
    hits = new Uint8Array(day.papers.length);
    if (stems.trim() !== '') day.stems.forEach((s, i) => (hits![i] = s.includes(stems) ? 1 : 0));
    if (cache.size >= MATCHED_PHRASES) cache.clear();
    cache.set(stems, hits);
  }
  return hits;
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
 * What each signal adds. Without a model, only their order matters (author, phrase, topic);
 * a topic's papers rank by how well they fit it (picks/pick-settings.ts coldFitBonus, below
 * 1 so the order holds). With a model, they add to the model's standardized score: a followed
 * author or phrase is what the reader asked for by name, so it outweighs the model's best
 * papers of the day (a top paper stands 3 to 5 deviations out); a followed topic adds
 * topicBonus + topicFitBonus × fit, at most the phrase's (sizes chosen on tune days).
 */
const WITHOUT_MODEL = { author: 3, phrase: 2 };
const WITH_MODEL = { author: 8, phrase: 5 };

/** A paper muted by the reader sinks this far (in deviations of the model) within its section. */
const MUTED = 10;

/** Plans one reader's copy of the day (see the file comment). */
export function planReader(day: DayIndex, taste: ReaderTaste, options: PlanOptions): ReaderPlan {
  // 5. Known from the signals alone; a reader whose ratings hold no "more" is known after training, below.
  if (saidNothing(taste.signals, taste.topics)) return EMPTY_PLAN;
  const follows = taste.signals?.follows ?? [];
  const topics = taste.topics === null ? null : new Set(taste.topics.map((t) => t.toLowerCase()));
  const model = trainReaderModel(day.vectors, day.paperIds, taste.signals?.ratings ?? [], options.model);
  if (follows.length === 0 && topics === null && model === null) return EMPTY_PLAN;
  const authors = new Map(follows.filter((f) => f.kind === 'author').map((f) => [f.key, f.value]));
  const phrases = follows.filter((f) => f.kind === 'phrase').map((f) => ({ value: f.value, papers: papersMatching(day, f.value) }));
  const mutes = follows.filter((f) => f.kind === 'mute').map((f) => papersMatching(day, f.value));
  const z = model === null ? null : standardize(model.dayScores);
  const all = z === null ? null : new Float64Array(day.papers.length);
  const bonus = z === null ? WITHOUT_MODEL : WITH_MODEL;
  const set = day.vectors.settings;
  const [topicBonus, fitBonus] = z === null ? [1, set.coldFitBonus] : [set.topicBonus, set.topicFitBonus];

  const n = day.papers.length;
  const final = new Float64Array(n);
  const why = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // 1. Muted: never picked, and last in its section.
    const muted = mutes.some((m) => m[i] === 1);
    // 2. The signals, strongest first for the reason.
    let score = 0;
    let reason: Why = NONE;
    if (authors.size > 0 && day.authorKeys[i]!.some((k) => authors.has(k))) [score, reason] = [bonus.author, AUTHOR];
    if (phrases.some((p) => p.papers[i] === 1)) {
      score += bonus.phrase;
      if (reason === NONE) reason = PHRASE;
    }
    const topic = day.topicKeys[i]!;
    const inTopic = topics !== null && topic !== null && topics.has(topic);
    if (inTopic) score += topicBonus + fitBonus * day.vectors.sectionFit[i]!;
    if (z !== null) {
      score += z[i]!;
      all![i] = muted ? score - MUTED : score;
      if (reason === NONE) reason = MODEL;
    }
    if (reason === NONE && inTopic) reason = TOPIC;
    if (muted || reason === NONE || score <= 0 || model?.rated.has(day.paperIds[i]!)) continue;
    // The day's order breaks ties: a small bonus that never outweighs a signal.
    const rank = day.papers[i]!.rank;
    final[i] = score + (z === null ? 1 / (2 + rank) : 1e-6 / (1 + rank));
    why[i] = reason;
  }
  // 3. The best, at most `picks` (a few passes: no sort of the whole day per reader), each with its reason.
  const chosen: number[] = [];
  for (let k = 0; k < Math.max(0, options.picks); k++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (why[i] !== NONE && (best < 0 || final[i]! > final[best]!)) best = i;
    if (best < 0) break;
    chosen.push(best);
    why[best] = NONE;
  }
  const picks = chosen.map((i): Pick => ({ paperId: day.paperIds[i]!, score: final[i]!, reason: followReason(day, i, authors, phrases) }));
  picks.forEach((pick, k) => {
    const dp = day.papers[chosen[k]!]!;
    if (pick.reason === '' && topics !== null && day.topicKeys[chosen[k]!] !== null && topics.has(day.topicKeys[chosen[k]!]!)) pick.reason = `in your topic ${dp.topicLabel ?? dp.topicId}`;
  });
  if (model !== null) explainPicks(day, model, picks, chosen);
  return { picks, scores: all === null ? null : new DayScores(day.ids, all) };
}

/** What gives a paper its reason, strongest first (NONE: not a candidate). */
type Why = number;
const NONE = 0;
const AUTHOR = 1;
const PHRASE = 2;
const MODEL = 3;
const TOPIC = 4;

/** "you follow Tri Dao" or "you follow \"speculative decoding\"" when a follow matches paper `i`, else ''. */
function followReason(day: DayIndex, i: number, authors: ReadonlyMap<string, string>, phrases: { value: string; papers: Uint8Array }[]): string {
  const author = day.authorKeys[i]!.find((k) => authors.has(k));
  if (author !== undefined) return `you follow ${authors.get(author)!}`;
  const phrase = phrases.find((p) => p.papers[i] === 1);
  return phrase ? `you follow "${phrase.value}"` : '';
}

/** The model's reason for each pick no follow explains ("like 3 papers you marked: …"). */
function explainPicks(day: DayIndex, model: ReaderModel, picks: Pick[], chosen: number[]): void {
  if (!picks.some((p) => !p.reason.startsWith('you follow'))) return;
  withModelTerms(day.vectors, model, (terms) => {
    picks.forEach((pick, k) => {
      if (pick.reason.startsWith('you follow')) return;
      const why = explainScore(day.vectors, model, terms, chosen[k]!);
      if (why !== null) pick.reason = `like ${why.papers === 1 ? 'a paper' : `${why.papers} papers`} you marked: ${why.terms.join(', ')}`;
      else pick.reason ||= 'close to papers you marked';
    });
  });
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
