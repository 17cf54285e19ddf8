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
 * - the copy plan: what decides which papers the copy shows, and in what order: the topics
 *   they follow (`themes`) and, when the reader told paperpost something (issue #20), their
 *   plan (`plan`: "Picked for you" and the order within sections, picks/reader-plan.ts). The
 *   length budget (MAX_PAPERS, issue #21) is the issue's (CompiledIssue.maxPapers, frozen with
 *   it); the picks count toward it (allocateBudget's `reserved`). copyPlanKey() folds the plan
 *   keys into one string: readers with equal keys get the same papers, only their values
 *   differ. Readers without a plan share a few variants; a reader with their own picks and
 *   order is assembled from blocks made once per issue (deliver/create-issue-composer.ts).
 *
 * A value that repeats per paper (the "More like this" / "Less like this" links) is made for
 * the papers the copy shows, which the caller gives (`papers`: render/lay-out-copy.ts
 * copyPapers works them out from the copy plan), so only papers shown get links.
 */
import type { Config } from '../config.js';
import type { ReaderPlan } from '../picks/reader-plan.js';
import type { RatingChoice } from '../picks/reader-signals.js';
import { createFeedbackSigner, signFeedbackToken, takesCompactTokens } from './feedback-token.js';
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
  /** The copy plan: the reader's picks and order (issue #20); absent: none (the day's copy, as EMPTY_PLAN). */
  plan?: ReaderPlan;
} & ReaderValues;

/** The keys of a Recipient that make up the copy plan; every other key is a per-reader value. */
export const PLAN_KEYS: ReadonlySet<string> = new Set(['themes', 'plan']);

/** True when a plan changes nothing in a copy: no picks, no order of its own. */
export const isEmptyPlan = (plan: ReaderPlan | undefined): boolean => !plan || (plan.picks.length === 0 && plan.scores === null);

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
 * in the same order (the values aside). The topics followed, in any order and case; then the
 * plan, when it is not empty: the picks with their reasons, and the scores.
 */
export function copyPlanKey(recipient: Pick<Recipient, 'themes' | 'plan'>): string {
  const themes = recipient.themes === null ? '*' : recipient.themes.map((t) => String(t).toLowerCase()).sort().join('\u0000');
  const plan = recipient.plan;
  if (isEmptyPlan(plan)) return themes;
  const picks = plan!.picks.map((p) => `${p.paperId}\u0002${p.reason}`).join('\u0001');
  const scores = plan!.scores === null ? '-' : [...plan!.scores].map(([id, s]) => `${id}=${s}`).join('\u0001');
  return `${themes}\u0003${picks}\u0003${scores}`;
}

/** Builds a recipient from a reader: the one place every copy's per-reader values come from. */
function build(reader: Reader, links: ReaderLinks, values: readonly ReaderValueDefinition[]): Recipient {
  const recipient: Record<string, unknown> = { email: reader.email, name: reader.name, themes: reader.themes };
  if (!isEmptyPlan(reader.plan)) recipient.plan = reader.plan;
  for (const v of values) {
    const value = v.valueFor(reader, links);
    if (value !== undefined) recipient[v.key] = value;
  }
  return recipient as Recipient;
}

/** What a copy's values depend on beyond the reader: the papers it shows, and when it is made (feedback tokens carry the day). */
export interface CopyOfReader {
  /** The papers the copy shows, by id (render/lay-out-copy.ts copyPapers); none given: no value by paper. */
  papers?: readonly string[];
  now?: Date;
  /**
   * The issue the copy is of, and each of `papers`' card index in it (render/copy-recipient.ts):
   * given, the feedback links carry compact tokens, all signed at once (feedback-token.ts);
   * not given, the long form, one link at a time.
   */
  issue?: { id: string; cards: readonly number[] };
}

/** The feedback token of one paper and choice: compact tokens of the whole copy made on the first call. */
function feedbackSigner(secretKey: string, id: number, papers: readonly string[], now: Date, issue: CopyOfReader['issue']): (paperId: string, choice: RatingChoice) => string {
  if (!issue || issue.cards.length !== papers.length || !takesCompactTokens(issue.id, id, now)) return (paperId, choice) => signFeedbackToken(secretKey, id, paperId, choice, now);
  let signed: { more: string; less: string }[] | null = null;
  // Links are asked for in the copy's order (one value by paper after another): where the last
  // one of each choice was found, the next is looked for first, with no map of the papers.
  const next = { more: 0, less: 0 };
  return (paperId, choice) => {
    signed ??= createFeedbackSigner(secretKey, id, issue.id, papers.map((paperId, i) => ({ paperId, card: issue.cards[i]! })), now);
    let i = next[choice];
    if (papers[i] !== paperId) i = papers.lastIndexOf(paperId);
    if (i < 0) return signFeedbackToken(secretKey, id, paperId, choice, now);
    next[choice] = i + 1;
    return signed[i]![choice];
  };
}

/**
 * The recipient of one reader's copy: a subscriber's, with links signed for them, or a preview
 * or test reader's (id null), with links to /manage. `values` is READER_VALUES but in tests.
 */
export function recipientFor(
  config: Pick<Config, 'publicUrl' | 'secretKey'>,
  reader: Reader,
  values: readonly ReaderValueDefinition[] = READER_VALUES,
  copy: CopyOfReader = {},
): Recipient {
  const { publicUrl, secretKey } = config;
  const id = reader.id;
  const papers = copy.papers ?? [];
  const now = copy.now ?? new Date();
  let links: ReaderLinks;
  // Each signed link its own fragment of /manage, so the unsubscribe check of a preview cannot
  // be met by the preferences link: the default view checks what a subscriber's copy checks.
  if (id === null) links = { signed: (_route, purpose) => `${publicUrl}/manage#${purpose}`, feedback: () => `${publicUrl}/manage`, papers };
  else {
    const token = feedbackSigner(secretKey, id, papers, now, copy.issue);
    links = {
      signed: (route, purpose) => `${publicUrl}/${route}/${signToken(secretKey, purpose, id)}`,
      feedback: (paperId, choice) => `${publicUrl}/f/${token(paperId, choice)}`,
      papers,
    };
  }
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
 * covers real copies: a long address and name, links with long tokens, and feedback links
 * under `papers` (those the measured copy shows).
 */
export function sampleRecipient(publicUrl: string, papers: readonly string[] = []): Recipient {
  const token = 'x'.repeat(160);
  const reader: Reader = { id: null, email: 'a.reader.with.a.long.address@subscribers.example.org', name: 'Alexandra Example-Longname', themes: null };
  // A feedback token of a long paper id: about 70 characters.
  const feedback = `${publicUrl}/f/${'x'.repeat(70)}`;
  return build(reader, { signed: (_route, purpose) => `${publicUrl}/${purpose}/${token}`, feedback: () => feedback, papers }, READER_VALUES);
}
