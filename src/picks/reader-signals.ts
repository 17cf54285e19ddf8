/**
 * What a reader tells paperpost about their taste, as plain data: ratings ("More like this" /
 * "Less like this" on a paper), follows (an author or a phrase) and mutes (a phrase never to
 * be picked). It is the input of a reader's model (picks/) and what the store keeps
 * (store/roles/reader-signals.ts), so both sides share these types and the one rule that
 * turns what a reader typed into the key a follow is matched and stored by.
 *
 * No tracking feeds it: only what the reader chose on purpose, by a POST from the feedback
 * page or the preferences page, or an operator's `paperpost feedback` / `subscribers follow`.
 */

/** The two choices a feedback link offers. */
export type RatingChoice = 'more' | 'less';

/** Kinds of follow: an author, a phrase to favour, a phrase to mute. */
export type FollowKind = 'author' | 'phrase' | 'mute';

/** The rated paper's text, kept with the rating so a model can learn from it later. */
export interface RatedPaper {
  /** The paper's id as issues carry it (an arXiv id such as 2512.01234, or a slug). */
  paperId: string;
  title: string;
  /** At most MAX_RATED_TEXT characters. */
  abstract: string;
  authors: string[];
  keywords: string[];
}

/** One rating of one paper by one reader; a reader has at most one per paper (the latest choice). */
export interface Rating extends RatedPaper {
  choice: RatingChoice;
  /** ISO timestamp. */
  ratedAt: string;
}

/** One follow or mute. */
export interface Follow {
  kind: FollowKind;
  /** As the reader wrote it ("Tri Dao", "speculative decoding"), for display. */
  value: string;
  /** followKey(kind, value): what matching and uniqueness use. */
  key: string;
  /** ISO timestamp. */
  createdAt: string;
}

/** Everything one reader has told paperpost. */
export interface ReaderSignalSet {
  ratings: Rating[];
  follows: Follow[];
}

/** Size limits at the input (untrusted text). */
export const MAX_RATED_TEXT = 4000;
export const MAX_FOLLOW_LENGTH = 100;
/** Follows and mutes per reader, and ratings kept per reader (oldest dropped beyond it). */
export const MAX_FOLLOWS = 100;
export const MAX_RATINGS = 500;

/**
 * The key a follow is stored and matched by. An author: letters folded to ASCII where they
 * have a base letter, lowercase, punctuation dropped, spaces collapsed ("Tri  Dao", "tri dao"
 * and "Trí Dao" are one author). A phrase: lowercase words, spaces collapsed; stems are applied
 * where phrases are matched (picks/), not here, so what the reader typed stays readable.
 */
export function followKey(kind: FollowKind, value: string): string {
  const folded = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  // Authors lose hyphens too ("Jean-Luc" and "Jean Luc" are one spelling); phrases keep them.
  const kept = kind === 'author' ? /[^\p{L}\p{N}\s]/gu : /[^\p{L}\p{N}\s-]/gu;
  return folded.replace(kept, ' ').replace(/\s+/g, ' ').trim();
}
