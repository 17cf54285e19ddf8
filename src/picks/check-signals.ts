/**
 * The limits a rating's paper and a follow must keep, as one rule for wherever they come in:
 * the store's boundary (store/shared/signal-rows.ts, for the pages and the CLI) and an
 * import's signals cell (subscribers/signals-cell.ts), which checks them before anything is
 * written so a bad cell rejects its row and an import stays all or nothing.
 *
 * The text comes from a form, a CLI argument or a file: a breach is bad input (InputError,
 * exit 2), one line that the caller reports. The rule that a phrase is followed or muted,
 * never both (replacedKind), is here too, for the stores and for counting a cell's follows.
 */
import { InputError } from '../errors.js';
import { followProblem } from './follow-problem.js';
import { followKey, MAX_FOLLOW_LENGTH, MAX_RATED_TEXT, type FollowKind, type RatedPaper, type RatingChoice } from './reader-signals.js';

/** Paper ids are short (arXiv ids, slugs); feedback tokens refuse longer ones too. */
export const MAX_PAPER_ID = 120;
const KINDS: readonly FollowKind[] = ['author', 'phrase', 'mute'];
const CHOICES: readonly RatingChoice[] = ['more', 'less'];

/** A rated paper checked against the limits, its id trimmed; throws InputError. */
export function checkRatedPaper(paper: RatedPaper, choice: RatingChoice): RatedPaper {
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
  return { paperId: id, title: paper.title, abstract: paper.abstract, authors, keywords };
}

/** A follow's kind, key and value after checking them against the limits (the key recomputed from the value); throws InputError. */
export function checkFollow(follow: { kind: FollowKind; value: string }): { kind: FollowKind; key: string; value: string } {
  if (!KINDS.includes(follow.kind)) throw new InputError(`a follow is an author, a phrase or a mute, not ${JSON.stringify(follow.kind)}`);
  const value = typeof follow.value === 'string' ? follow.value.replace(/\s+/g, ' ').trim() : '';
  if (value.length > MAX_FOLLOW_LENGTH) throw new InputError(`a follow is at most ${MAX_FOLLOW_LENGTH} characters (got ${value.length})`, 'give a shorter name or phrase');
  const key = followKey(follow.kind, value);
  if (!key) throw new InputError(`the ${follow.kind === 'author' ? 'author' : 'phrase'} ${JSON.stringify(value)} has no letters or digits to ${follow.kind === 'mute' ? 'mute' : 'follow'}`);
  const problem = followProblem(follow.kind, value);
  if (problem) throw new InputError(problem.problem, problem.hint);
  return { kind: follow.kind, key, value };
}

/**
 * The kind a follow of `kind` replaces: a phrase is followed or muted, never both (both would
 * list it twice on the preferences page, and the mute would silently win), so muting a
 * followed phrase drops the follow and following a muted one drops the mute. Authors stand alone.
 */
export function replacedKind(kind: FollowKind): FollowKind | null {
  return kind === 'phrase' ? 'mute' : kind === 'mute' ? 'phrase' : null;
}
