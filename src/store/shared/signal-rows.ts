/**
 * Reader signals as both stores keep them: the rows of ratings (joined with rated_papers, the
 * paper's text kept once per paper) and follows, the domain objects they become, and the
 * limits checked at the store's boundary. Both stores call these, so they cannot drift apart in
 * what they accept or return.
 *
 * The limits are bad input (an InputError, exit 2): the text comes from a form, a CLI argument
 * or an import, and the caller turns the error into one clear line.
 */
import { InputError } from '../../errors.js';
import {
  followKey,
  MAX_FOLLOW_LENGTH,
  MAX_RATED_TEXT,
  type Follow,
  type FollowKind,
  type RatedPaper,
  type Rating,
  type RatingChoice,
  type ReaderSignalSet,
} from '../../picks/reader-signals.js';

/** Paper ids are short (arXiv ids, slugs); feedback tokens refuse longer ones too. */
const MAX_PAPER_ID = 120;
const KINDS: readonly FollowKind[] = ['author', 'phrase', 'mute'];
const CHOICES: readonly RatingChoice[] = ['more', 'less'];

/** A rating joined with its paper's text, as both stores read it. */
export interface RatingRow {
  subscriber_id: number;
  paper_id: string;
  choice: RatingChoice;
  rated_at: string;
  title: string;
  abstract: string;
  authors: string;
  keywords: string;
}

export interface FollowRow {
  subscriber_id: number;
  kind: FollowKind;
  key: string;
  value: string;
  created_at: string;
}

/** The SELECT both stores read ratings with (a WHERE on r.subscriber_id follows). */
export const RATING_SELECT = `SELECT r.subscriber_id, r.paper_id, r.choice, r.rated_at, p.title, p.abstract, p.authors, p.keywords
  FROM ratings r JOIN rated_papers p ON p.paper_id = r.paper_id`;
/** Newest first, ties by paper id (the same order on both stores). */
export const RATING_ORDER = 'ORDER BY r.subscriber_id, r.rated_at DESC, r.paper_id DESC';
export const FOLLOW_SELECT = 'SELECT f.subscriber_id, f.kind, f.key, f.value, f.created_at FROM follows f';
/** In the order added. */
export const FOLLOW_ORDER = 'ORDER BY f.subscriber_id, f.id';

export const toRating = (r: RatingRow): Rating => ({
  paperId: r.paper_id,
  title: r.title,
  abstract: r.abstract,
  authors: JSON.parse(r.authors) as string[],
  keywords: JSON.parse(r.keywords) as string[],
  choice: r.choice,
  ratedAt: r.rated_at,
});

export const toFollow = (r: FollowRow): Follow => ({ kind: r.kind, value: r.value, key: r.key, createdAt: r.created_at });

/** Groups rows already sorted by subscriber into each reader's set (readers with none are absent). */
export function groupSignals(ratings: RatingRow[], follows: FollowRow[]): Map<number, ReaderSignalSet> {
  const out = new Map<number, ReaderSignalSet>();
  const of = (id: number) => {
    let set = out.get(id);
    if (!set) out.set(id, (set = { ratings: [], follows: [] }));
    return set;
  };
  for (const r of ratings) of(r.subscriber_id).ratings.push(toRating(r));
  for (const f of follows) of(f.subscriber_id).follows.push(toFollow(f));
  return out;
}

/** The rated_papers columns of a paper, after checking it against the limits. */
export function ratedPaperColumns(paper: RatedPaper, choice: RatingChoice) {
  if (!CHOICES.includes(choice)) throw new InputError(`a rating is "more" or "less", not ${JSON.stringify(choice)}`);
  const id = paper.paperId?.trim() ?? '';
  if (!id || id.length > MAX_PAPER_ID) throw new InputError(`a paper id has 1 to ${MAX_PAPER_ID} characters (got ${id.length})`, 'give the id an issue carries, such as 2512.01234');
  const list = (name: string, xs: unknown) => {
    if (!Array.isArray(xs) || xs.some((x) => typeof x !== 'string')) throw new InputError(`the rated paper's ${name} must be a list of text`);
    return xs as string[];
  };
  const authors = list('authors', paper.authors);
  const keywords = list('keywords', paper.keywords);
  const texts: [string, string][] = [
    ['title', paper.title],
    ['abstract', paper.abstract],
    ['authors', authors.join(', ')],
    ['keywords', keywords.join(', ')],
  ];
  for (const [name, text] of texts) {
    if (typeof text !== 'string') throw new InputError(`the rated paper's ${name} must be text`);
    if (text.length > MAX_RATED_TEXT) throw new InputError(`the rated paper's ${name} is ${text.length} characters; at most ${MAX_RATED_TEXT} are kept`, 'shorten it');
  }
  return { paperId: id, title: paper.title, abstract: paper.abstract, authors: JSON.stringify(authors), keywords: JSON.stringify(keywords) };
}

/** A follow's kind, key and value after checking them against the limits (the key recomputed from the value). */
export function followColumns(follow: { kind: FollowKind; value: string }) {
  if (!KINDS.includes(follow.kind)) throw new InputError(`a follow is an author, a phrase or a mute, not ${JSON.stringify(follow.kind)}`);
  const value = typeof follow.value === 'string' ? follow.value.replace(/\s+/g, ' ').trim() : '';
  if (value.length > MAX_FOLLOW_LENGTH) throw new InputError(`a follow is at most ${MAX_FOLLOW_LENGTH} characters (got ${value.length})`, 'give a shorter name or phrase');
  const key = followKey(follow.kind, value);
  if (!key) throw new InputError(`the ${follow.kind === 'author' ? 'author' : 'phrase'} ${JSON.stringify(value)} has no letters or digits to follow`);
  return { kind: follow.kind, key, value };
}
