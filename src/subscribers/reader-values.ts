/**
 * The open list of per-reader values: everything a copy prints that belongs to its one reader
 * and is not the copy plan (which sections and papers it shows). Each value is defined once,
 * here, with the function that makes it for a reader, so adding one is one edit of this list:
 * recipientFor() fills it in for every copy (deliveries, test sends, `render`, the preview),
 * templates print it as `\{{recipient.<key>}}`, and the composer carries it to the wire without
 * a code change (create-issue-composer.ts treats every value alike).
 *
 * Rules a value follows, so the composer's fast path stays exact:
 * - a key is a JavaScript identifier starting with a lowercase letter;
 * - a key ending in `Url` is a link: an absolute http(s) URL (personalizeIssue refuses others);
 * - a value may be one string, or (for values that repeat per paper, e.g. "More like this"
 *   links) an object of strings by paper id, printed as `\{{lookup recipient.<key> "<id>"}}`,
 *   and in a paper's card as `\{{paper.<key>}}` (render/personalize-issue.ts gives each card
 *   its paper's entry of every such value);
 * - a value that repeats per paper is made for the papers the copy shows (ReaderLinks.papers,
 *   which the caller works out from the copy plan: render/lay-out-copy.ts copyPapers) and for
 *   no other; a copy whose papers are not given has none of them (valueFor returns undefined,
 *   and the key is left out of the Recipient).
 *
 * A preview or test reader (no subscriber id) gets the same values, with every link pointing to
 * the neutral /manage page instead of a signed one (see ReaderLinks).
 */
import type { ReaderPlan } from '../picks/reader-plan.js';
import type { RatingChoice } from '../picks/reader-signals.js';
import type { TokenPurpose } from './sign-token.js';

/** Someone a copy can be for: a subscriber, or a preview/test reader (id null). */
export interface Reader {
  /** The subscriber's id; null for a preview or test reader, who has no links of their own. */
  id: number | null;
  email: string;
  name: string | null;
  /** Topic ids (or labels from before topics) followed; null means all. */
  themes: string[] | null;
  /**
   * The reader's plan for this issue (picks/reader-plan.ts: "Picked for you" and the order
   * within sections); absent or EMPTY_PLAN: the day's copy. Made per batch of a send by
   * issue/plan-readers.ts.
   */
  plan?: ReaderPlan;
}

/** How a value makes a link that belongs to one reader. */
export interface ReaderLinks {
  /**
   * `<PUBLIC_URL>/<route>/<token>`, the token signed for this reader and `purpose`; for a
   * preview or test reader, `<PUBLIC_URL>/manage`.
   */
  signed(route: string, purpose: TokenPurpose): string;
  /**
   * `<PUBLIC_URL>/f/<token>`, the feedback token signed for this reader, paper and choice
   * (subscribers/feedback-token.ts); for a preview or test reader, `<PUBLIC_URL>/manage`.
   */
  feedback(paperId: string, choice: RatingChoice): string;
  /** The papers the copy shows, by id: what a value that repeats per paper is made for. Empty: not known. */
  papers: readonly string[];
}

/** A value that repeats per paper: one entry per paper the copy shows, or none when they are not known. */
function perPaper(links: ReaderLinks, make: (paperId: string) => string): Readonly<Record<string, string>> | undefined {
  if (links.papers.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const id of links.papers) out[id] = make(id);
  return out;
}

/** One per-reader value: its template name and how it is made. */
export interface ReaderValueDefinition {
  key: string;
  /** undefined: this copy has no such value (a value by paper, when the copy's papers are not given). */
  valueFor(reader: Reader, links: ReaderLinks): string | Readonly<Record<string, string>> | undefined;
}

/** The per-reader values every copy carries. Add a value here, and only here. */
export const READER_VALUES = [
  /** One-click unsubscribe (also the List-Unsubscribe header's URL). */
  { key: 'unsubscribeUrl', valueFor: (_reader: Reader, links: ReaderLinks) => links.signed('u', 'unsubscribe') },
  /** The preferences page: topics and name. */
  { key: 'preferencesUrl', valueFor: (_reader: Reader, links: ReaderLinks) => links.signed('p', 'preferences') },
  /** "More like this" under each paper the copy shows (issue #20): the feedback page, the choice preselected. */
  { key: 'moreLikeThisUrl', valueFor: (_reader: Reader, links: ReaderLinks) => perPaper(links, (id) => links.feedback(id, 'more')) },
  /** "Less like this", likewise. */
  { key: 'lessLikeThisUrl', valueFor: (_reader: Reader, links: ReaderLinks) => perPaper(links, (id) => links.feedback(id, 'less')) },
] as const satisfies readonly ReaderValueDefinition[];

type Definition = (typeof READER_VALUES)[number];
type Always<D extends Definition> = undefined extends ReturnType<D['valueFor']> ? never : D['key'];
type Sometimes<D extends Definition> = undefined extends ReturnType<D['valueFor']> ? D['key'] : never;
/** The values every copy carries, by key, each typed as its definition makes it; a value by paper may be absent. */
export type ReaderValues = { readonly [D in Definition as Always<D>]: ReturnType<D['valueFor']> } & {
  readonly [D in Definition as Sometimes<D>]?: Exclude<ReturnType<D['valueFor']>, undefined>;
};
