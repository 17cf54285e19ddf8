/**
 * Reader signals as both stores keep them: the rows of ratings (joined with rated_papers, the
 * paper's text kept once per paper) and follows, the domain objects they become, and the
 * limits checked at the store's boundary (picks/check-signals.ts, which an import's signals
 * cell is checked by too). Both stores call these, so they cannot drift apart in what they
 * accept or return.
 *
 * The limits are bad input (an InputError, exit 2): the text comes from a form, a CLI argument
 * or an import, and the caller turns the error into one clear line.
 */
import { checkFollow, checkRatedPaper } from '../../picks/check-signals.js';
import type { FollowKind, RatedPaper, RatingChoice, ReaderSignalSet } from '../../picks/reader-signals.js';

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

/** The rated_papers columns of a paper, after checking it against the limits (picks/check-signals.ts). */
export function ratedPaperColumns(paper: RatedPaper, choice: RatingChoice) {
  const p = checkRatedPaper(paper, choice);
  return { paperId: p.paperId, title: p.title, abstract: p.abstract, authors: JSON.stringify(p.authors), keywords: JSON.stringify(p.keywords) };
}

/** A follow's kind, key and value after checking them against the limits (picks/check-signals.ts: the key recomputed from the value). */
export const followColumns = checkFollow;

/** The kind a follow replaces (picks/check-signals.ts): a phrase is followed or muted, never both. */
export { replacedKind } from '../../picks/check-signals.js';
