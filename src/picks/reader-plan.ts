/**
 * A reader's plan for one issue: what their model makes of the day. It is what render/ needs
 * to put "Picked for you" at the top of the copy and to order papers within sections, and
 * what `render --subscriber --json` and /admin show. Made by picks/ from the reader's signals
 * (picks/reader-signals.ts), their topics and the day's papers; plain data, so the composer can
 * key its variants by it (subscribers/recipient.ts copyPlanKey).
 */
import type { ReaderSignalSet } from './reader-signals.js';

/** One paper picked for a reader, with the one-line reason printed under it. */
export interface Pick {
  paperId: string;
  /** The reader's score of the paper (higher is better); comparable within one reader and day only. */
  score: number;
  /** Plain words: "you follow Tri Dao", "like 3 papers you marked: speculative decoding, draft model", "in your topic LLM Agents". */
  reason: string;
}

export interface ReaderPlan {
  /** At most PICKS papers, best first; none muted. Empty for a reader with no signals and no topics. */
  picks: Pick[];
  /**
   * Scores by paper id when the reader has a model (3 ratings or more): papers within a
   * section are ordered by it. null: sections keep the day's order (interest).
   */
  scores: ReadonlyMap<string, number> | null;
}

/** The plan of a reader who told paperpost nothing: today's issue unchanged. */
export const EMPTY_PLAN: ReaderPlan = Object.freeze({ picks: [], scores: null }) as ReaderPlan;

/** Fewer ratings than this: no model, follows and topics alone rank (issue #20's cold start; picks/reader-model.ts). */
export const MIN_RATINGS = 3;

/**
 * Whether a reader told paperpost nothing a plan can use: every topic, no follow or mute, and
 * fewer ratings than a model needs. planReader gives such a reader EMPTY_PLAN without looking
 * at the day, and a send knows it from their signals alone, without loading the planning code.
 */
export function saidNothing(signals: ReaderSignalSet | null | undefined, topics: readonly string[] | null): boolean {
  return topics === null && (!signals || (signals.follows.length === 0 && signals.ratings.length < MIN_RATINGS));
}
