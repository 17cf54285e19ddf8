/**
 * ReaderSignals: the ratings, follows and mutes of each reader (picks/reader-signals.ts has the
 * data types). The feedback page and `paperpost feedback` record ratings; the preferences page
 * and `subscribers follow|unfollow|mute` manage follows; a send reads the signals of one batch
 * of readers at a time (signalsOfMany), so memory stays bounded on a large list. Erasing a
 * reader (`subscribers forget`) removes their signals with them.
 */
import type { Follow, FollowKind, RatedPaper, RatingChoice, ReaderSignalSet } from '../../picks/reader-signals.js';

export type { Follow, FollowKind, RatedPaper, Rating, RatingChoice, ReaderSignalSet } from '../../picks/reader-signals.js';

export interface ReaderSignals {
  /**
   * Records a reader's choice on a paper. Idempotent: the same choice again is 'unchanged'; the
   * other choice replaces the first ('changed'). Beyond MAX_RATINGS the oldest rating goes.
   */
  recordRating(subscriberId: number, paper: RatedPaper, choice: RatingChoice, at: Date): Promise<'recorded' | 'changed' | 'unchanged'>;
  /** Undo: removes the reader's rating of a paper; false when there was none. */
  removeRating(subscriberId: number, paperId: string): Promise<boolean>;
  /**
   * Adds a follow or mute (key = followKey(kind, value)); false when it was there already. A
   * phrase is followed or muted, never both: muting a followed phrase replaces the follow, and
   * following a muted one the mute, in one transaction ('replaced').
   */
  addFollow(subscriberId: number, follow: Omit<Follow, 'createdAt'>, at: Date): Promise<boolean | 'replaced'>;
  /** Removes a follow or mute by kind and key; false when there was none. */
  removeFollow(subscriberId: number, kind: FollowKind, key: string): Promise<boolean>;
  /** One reader's signals, ratings newest first, follows in the order added. */
  signalsOf(subscriberId: number): Promise<ReaderSignalSet>;
  /** The signals of many readers at once (one batch of a send); readers with none are absent. */
  signalsOfMany(subscriberIds: readonly number[]): Promise<Map<number, ReaderSignalSet>>;
  /** Reset: removes every rating and follow of a reader. */
  clearSignals(subscriberId: number): Promise<void>;
}
