/**
 * The recipient: one reader of one copy of an issue, and everything in that copy that is
 * theirs. It is built in one place, recipientFor(), for every copy paperpost makes: each
 * delivery, a test send (`send --to`, the preview's test button), `render` and the /admin
 * preview. A preview or test reader (previewReader()) goes through the same function and
 * gets the same values, with links to the neutral /manage page instead of signed ones.
 *
 * A Recipient is plain data in two parts:
 *
 * - the per-reader values: `email`, `name`, then the open list READER_VALUES
 *   (reader-values.ts: the signed links, and whatever is added there). Templates print them as
 *   `\{{recipient.<key>}}`; the composer (deliver/create-issue-composer.ts) carries every one of
 *   them to the wire by key, with no code of its own per value. A value may repeat per paper
 *   (an object of strings by paper id).
 * - the copy plan: what decides which copy, of the few an issue has, the reader gets. Today
 *   that is the topics they follow (`themes`). The length budget (MAX_PAPERS, issue #21) is
 *   the (CompiledIssue.maxPapers, frozen with it), and which papers of which sections
 *   a copy shows under it follows from the sections alone (render/allocate-budget.ts), so it
 *   needs no key of its own. Per-reader content that changes what a copy shows goes here, as
 *   a key of PLAN_KEYS folded into copyPlanKey(): the reader's "Picked for you" papers (issue
 *   #20), which count toward the same budget (allocateBudget's `reserved`). Readers with
 *   equal plan keys share one rendered variant; only their values differ, which is what keeps
 *   the composer fast.
 */
import type { Config } from '../config.js';
import { READER_VALUES, type Reader, type ReaderLinks, type ReaderValueDefinition, type ReaderValues } from './reader-values.js';
import { signToken } from './sign-token.js';

export type { Reader } from './reader-values.js';

/** A per-reader value: one string, or strings by paper id for a value that repeats per paper. */
export type ReaderValue = string | Readonly<Record<string, string>>;

/** Who one copy of an issue is for, and everything in it that is theirs (see the file comment). */
export type Recipient = {
  /** The address: the message's To, and `recipient.email` in templates. */
  email: string;
  /** Null when not known: templates greet "Hello" instead. */
  name: string | null;
  /** The copy plan: topic ids (or labels from before topics) followed; null means all. */
  themes: string[] | null;
} & ReaderValues;

/** The keys of a Recipient that make up the copy plan; every other key is a per-reader value. */
export const PLAN_KEYS: ReadonlySet<string> = new Set(['themes']);

/** The per-reader values of a recipient, in the order they were made (email, name, then READER_VALUES). */
export function readerValuesOf(recipient: Recipient): [key: string, value: ReaderValue | null][] {
  const out: [string, ReaderValue | null][] = [];
  for (const key in recipient) {
    if (!PLAN_KEYS.has(key)) out.push([key, (recipient as unknown as Record<string, ReaderValue | null>)[key] ?? null]);
  }
  return out;
}

/**
 * What decides the copy a recipient gets, as a string: equal keys, same sections and papers
 * (the values aside). The topics followed, in any order and case.
 */
export function copyPlanKey(recipient: Pick<Recipient, 'themes'>): string {
  return recipient.themes === null ? '*' : recipient.themes.map((t) => String(t).toLowerCase()).sort().join('\u0000');
}

/** Builds a recipient from a reader: the one place every copy's per-reader values come from. */
function build(reader: Reader, links: ReaderLinks, values: readonly ReaderValueDefinition[]): Recipient {
  const recipient: Record<string, unknown> = { email: reader.email, name: reader.name, themes: reader.themes };
  for (const v of values) recipient[v.key] = v.valueFor(reader, links);
  return recipient as Recipient;
}

/**
 * The recipient of one reader's copy: a subscriber's, with links signed for them, or a preview
 * or test reader's (id null), with links to /manage. `values` is READER_VALUES but in tests.
 */
export function recipientFor(
  config: Pick<Config, 'publicUrl' | 'secretKey'>,
  reader: Reader,
  values: readonly ReaderValueDefinition[] = READER_VALUES,
): Recipient {
  const { publicUrl, secretKey } = config;
  const id = reader.id;
  const links: ReaderLinks =
    id === null ? { signed: () => `${publicUrl}/manage` } : { signed: (route, purpose) => `${publicUrl}/${route}/${signToken(secretKey, purpose, id)}` };
  return build(reader, links, values);
}

/**
 * A reader with no subscription of their own: the preview's and `render`'s reader of every
 * topic, or the address a test copy goes to. Their copy links to /manage.
 */
export function previewReader(email = 'reader@example.org'): Reader {
  return { id: null, email, name: null, themes: null };
}

/**
 * A stand-in recipient with long-ish values, so an issue's measured size (compile-issue.ts)
 * covers real copies: a long address and name, and links with long tokens.
 */
export function sampleRecipient(publicUrl: string): Recipient {
  const token = 'x'.repeat(160);
  const reader: Reader = { id: null, email: 'a.reader.with.a.long.address@subscribers.example.org', name: 'Alexandra Example-Longname', themes: null };
  return build(reader, { signed: (_route, purpose) => `${publicUrl}/${purpose}/${token}` }, READER_VALUES);
}
