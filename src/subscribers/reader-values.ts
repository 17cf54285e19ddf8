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
 *   links) an object of strings by paper id, printed as `\{{lookup recipient.<key> "<id>"}}`.
 *
 * A preview or test reader (no subscriber id) gets the same values, with every link pointing to
 * the neutral /manage page instead of a signed one (see ReaderLinks).
 */
import type { TokenPurpose } from './sign-token.js';

/** Someone a copy can be for: a subscriber, or a preview/test reader (id null). */
export interface Reader {
  /** The subscriber's id; null for a preview or test reader, who has no links of their own. */
  id: number | null;
  email: string;
  name: string | null;
  /** Topic ids (or labels from before topics) followed; null means all. */
  themes: string[] | null;
}

/** How a value makes a link that belongs to one reader. */
export interface ReaderLinks {
  /**
   * `<PUBLIC_URL>/<route>/<token>`, the token signed for this reader and `purpose`; for a
   * preview or test reader, `<PUBLIC_URL>/manage`.
   */
  signed(route: string, purpose: TokenPurpose): string;
}

/** One per-reader value: its template name and how it is made. */
export interface ReaderValueDefinition {
  key: string;
  valueFor(reader: Reader, links: ReaderLinks): string | Readonly<Record<string, string>>;
}

/** The per-reader values every copy carries. Add a value here, and only here. */
export const READER_VALUES = [
  /** One-click unsubscribe (also the List-Unsubscribe header's URL). */
  { key: 'unsubscribeUrl', valueFor: (_reader: Reader, links: ReaderLinks) => links.signed('u', 'unsubscribe') },
  /** The preferences page: topics and name. */
  { key: 'preferencesUrl', valueFor: (_reader: Reader, links: ReaderLinks) => links.signed('p', 'preferences') },
] as const satisfies readonly ReaderValueDefinition[];

/** The values every copy carries, by key, each typed as its definition makes it. */
export type ReaderValues = { readonly [D in (typeof READER_VALUES)[number] as D['key']]: ReturnType<D['valueFor']> };
