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
import { followProblem } from '../../picks/follow-problem.js';
import {
  followKey,
  MAX_FOLLOW_LENGTH,
  MAX_RATED_TEXT,
  type FollowKind,
  type RatedPaper,
  type RatingChoice,
  type ReaderSignalSet,
} from '../../picks/reader-signals.js';

/** Paper ids are short (arXiv ids, slugs); feedback tokens refuse longer ones too. */
const MAX_PAPER_ID = 120;
const KINDS: readonly FollowKind[] = ['author', 'phrase', 'mute'];
const CHOICES: readonly RatingChoice[] = ['more', 'less'];

/**
 * One row of a batch's signals: a rating (part 0: a paper id, b choice, c rated at) or a follow
 * (part 1: a kind, b key, c value, d created at, n its order). Ratings and follows come in one
 * statement (SIGNALS_SELECT), the rated papers' text in a second, once per paper however many
 * readers of the batch rated it: two queries per batch, and one copy of each text in memory.
 */
export interface SignalRow {
  subscriber_id: number;
  part: number;
  a: string;
  b: string;
  c: string;
  d: string | null;
  n: number;
}

export interface RatedPaperRow {
  paper_id: string;
  title: string;
  abstract: string;
  authors: string;
  keywords: string;
}

/** The statement of a batch's ratings and follows; `readers` is the dialect's "IN (…)" of the batch, used twice. */
export const signalsSelect = (readers: string) =>
  `SELECT subscriber_id, 0 AS part, paper_id AS a, choice AS b, rated_at AS c, NULL AS d, 0 AS n FROM ratings WHERE subscriber_id ${readers}
   UNION ALL
   SELECT subscriber_id, 1 AS part, kind AS a, key AS b, value AS c, created_at AS d, id AS n FROM follows WHERE subscriber_id ${readers}`;

/** Byte order for ASCII (ISO times, paper ids), as the stores sort. */
const desc = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);

/**
 * Each reader's set from a batch's rows and the papers they rated (readers with none are
 * absent): ratings newest first (ties by paper id), follows in the order added. Ratings of one
 * paper share its text, so treat a rating's fields as read-only.
 */
export function groupSignals(rows: SignalRow[], papers: RatedPaperRow[]): Map<number, ReaderSignalSet> {
  const text = new Map<string, RatedPaper>();
  for (const p of papers) {
    text.set(p.paper_id, { paperId: p.paper_id, title: p.title, abstract: p.abstract, authors: JSON.parse(p.authors) as string[], keywords: JSON.parse(p.keywords) as string[] });
  }
  const out = new Map<number, ReaderSignalSet & { order: number[] }>();
  for (const r of rows) {
    let set = out.get(r.subscriber_id);
    if (!set) out.set(r.subscriber_id, (set = { ratings: [], follows: [], order: [] }));
    if (r.part === 0) {
      const paper = text.get(r.a);
      if (paper) set.ratings.push({ paperId: paper.paperId, title: paper.title, abstract: paper.abstract, authors: paper.authors, keywords: paper.keywords, choice: r.b as RatingChoice, ratedAt: r.c });
    } else {
      set.follows.push({ kind: r.a as FollowKind, key: r.b, value: r.c, createdAt: r.d! });
      set.order.push(r.n);
    }
  }
  const sets = new Map<number, ReaderSignalSet>();
  for (const [id, set] of out) {
    set.ratings.sort((x, y) => desc(x.ratedAt, y.ratedAt) || desc(x.paperId, y.paperId));
    const byOrder = set.follows.map((f, i) => [set.order[i]!, f] as const).sort((x, y) => x[0] - y[0]);
    sets.set(id, { ratings: set.ratings, follows: byOrder.map(([, f]) => f) });
  }
  return sets;
}

/** The distinct paper ids a batch's rows rated (what the second query reads). */
export const ratedIds = (rows: SignalRow[]) => [...new Set(rows.filter((r) => r.part === 0).map((r) => r.a))];

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
