/**
 * A reader's plan for one day (picks/reader-plan.ts): which papers are "Picked for you", why,
 * and how the rest of their copy is ordered. The day is indexed once per issue (indexDay); each
 * reader is then planned from their signals and topics alone, so a send plans one batch of
 * readers at a time with no store access here.
 *
 * 1. A paper that matches a muted phrase is never picked.
 * 2. Every other paper gets a score from what the reader said: an author they follow, a
 *    phrase they follow (matched on stems in title, keywords and abstract), a topic they
 *    follow. (A learned model over the reader's ratings adds to this once it exists.)
 * 3. The picks are the best-scoring papers with a score above zero, at most `picks`, each with
 *    the reason of its strongest signal, in plain words.
 * 4. A reader who said nothing (no follows, no ratings, every topic) gets EMPTY_PLAN: today's
 *    issue unchanged.
 */
import type { Paper } from '../types.js';
import { tokenizeText } from '../topics/tokenize-text.js';
import { EMPTY_PLAN, type Pick, type ReaderPlan } from './reader-plan.js';
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
}

const stemsOf = (text: string) =>
  tokenizeText(text)
    .map((segment) => segment.map((t) => t.stem).join(' '))
    .join(' | ');

/** Indexes the day's papers once per issue. */
export function indexDay(papers: readonly DayPaper[]): DayIndex {
  return {
    papers,
    stems: papers.map(({ paper }) => ` ${stemsOf([paper.title, paper.keywords.join(', '), paper.abstract].join(' | '))} `),
    authorKeys: papers.map(({ paper }) => paper.authors.map((a) => followKey('author', a))),
  };
}

/** A phrase as the stems it is matched by, padded so it matches whole words only. */
export function phraseStems(phrase: string): string {
  return ` ${stemsOf(phrase)} `;
}

export interface PlanOptions {
  /** How many picks at most (PICKS). */
  picks: number;
}

/** What a reader brings: their signals (null: none kept) and the topic ids they follow (null: all). */
export interface ReaderTaste {
  signals: ReaderSignalSet | null;
  topics: readonly string[] | null;
}

const FOLLOWED_AUTHOR = 3;
const FOLLOWED_PHRASE = 2;
const FOLLOWED_TOPIC = 1;

/** Plans one reader's copy of the day (see the file comment). */
export function planReader(day: DayIndex, taste: ReaderTaste, options: PlanOptions): ReaderPlan {
  const follows = taste.signals?.follows ?? [];
  const topics = taste.topics === null ? null : new Set(taste.topics.map((t) => t.toLowerCase()));
  if (follows.length === 0 && topics === null) return EMPTY_PLAN;
  const authors = new Map(follows.filter((f) => f.kind === 'author').map((f) => [f.key, f.value]));
  const phrases = follows.filter((f) => f.kind === 'phrase').map((f) => ({ value: f.value, stems: phraseStems(f.value) }));
  const mutes = follows.filter((f) => f.kind === 'mute').map((f) => phraseStems(f.value));

  const scored: Pick[] = [];
  day.papers.forEach((dp, i) => {
    // 1. Muted: never picked.
    const stems = day.stems[i]!;
    if (mutes.some((m) => m.trim() !== '' && stems.includes(m))) return;
    // 2. The signals, strongest first for the reason.
    let score = 0;
    let reason = '';
    const author = day.authorKeys[i]!.find((k) => authors.has(k));
    if (author !== undefined) {
      score += FOLLOWED_AUTHOR;
      reason = `you follow ${authors.get(author)!}`;
    }
    const phrase = phrases.find((p) => p.stems.trim() !== '' && stems.includes(p.stems));
    if (phrase) {
      score += FOLLOWED_PHRASE;
      reason ||= `you follow "${phrase.value}"`;
    }
    if (topics !== null && dp.topicId !== null && topics.has(dp.topicId.toLowerCase())) {
      score += FOLLOWED_TOPIC;
      reason ||= `in your topic ${dp.topicLabel ?? dp.topicId}`;
    }
    // The day's order breaks ties: a small bonus that never outweighs a signal.
    if (score > 0) scored.push({ paperId: dp.paper.id, score: score + 1 / (2 + dp.rank), reason });
  });
  // 3. The best, at most `picks`.
  scored.sort((a, b) => b.score - a.score);
  return { picks: scored.slice(0, Math.max(0, options.picks)), scores: null };
}
