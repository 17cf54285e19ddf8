/**
 * What /admin/issues/<date> shows, as plain data with no HTTP in it, so it can be tested without
 * a server and the page (views/render-issue-preview.ts) only renders it:
 *
 * 1. which issue the date names: the frozen one once sending began (exactly what went out),
 *    else the draft compiled from the templates as they are now; an ISO week (2026-W49) names
 *    the weekly issue, frozen or else built from that week's stored daily issues;
 * 2. the copy one chosen subscriber would get (or a reader of every topic), and why it differs;
 * 3. its sizes against Gmail's clip line;
 * 4. for a frozen issue, what came back after the send (bounces, complaints, the 0.3% line);
 * 5. why each paper of the digest sits under its topic, when the digest and a topic map are there.
 */
import { groupDigest, loadTopicContext } from '../issue/prepare-issue.js';
import { prepareWeeklyIssue } from '../issue/prepare-weekly-issue.js';
import { isWeekId } from '../iso-week.js';
import { explainTopics, type TopicExplanation } from '../topics/explain-topics.js';
import { issueMailHealth, type IssueMailHealth } from '../bounces/complaint-rates.js';
import { previewReader } from '../subscribers/recipient.js';
import { copyRecipient } from '../render/copy-recipient.js';
import { planOne } from '../issue/plan-readers.js';
import { PaperpostError } from '../errors.js';
import { personalizeIssue, type RenderedMessage } from '../render/personalize-issue.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import { normalizeEmail } from '../subscribers/normalize-email.js';
import type { Subscriber } from '../types.js';
import type { WebContext } from './create-web-context.js';
import { draftErrorLine } from './draft-error-line.js';
import { loadMailEvents, type MailEventRows } from './load-mail-events.js';

/** Gmail clips a message whose HTML is larger than this and hides the rest (the footer with the unsubscribe link). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/** Where issues come from: the App, the digest files (drafts) and the stored issues. */
export type PreviewSources = Pick<WebContext, 'app' | 'drafts' | 'archive'>;

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** The issue shown on a preview page, and how it came about. */
export interface ResolvedIssue {
  compiled: CompiledIssue;
  frozen: { createdAt: string; sentAt: string | null } | null;
}

/** The copy shown, and who it is for. */
export interface PreviewCopy {
  copy: RenderedMessage | null;
  /** What the page says about the recipient. */
  who: string;
  notes: string[];
}

/** One paper of the digest: the section it landed in and its candidate topics. */
export interface ExplainedPaper {
  title: string;
  placedIn: string;
  why: TopicExplanation;
}

/** Everything the preview page shows for one issue and one recipient. */
export interface IssuePreview extends ResolvedIssue, PreviewCopy {
  date: string;
  /** The address asked for (`?as=`), as typed. */
  as: string | undefined;
  htmlBytes: number;
  textBytes: number;
  /** True when Gmail would clip this copy's HTML. */
  overClip: boolean;
  /** For a frozen issue with deliveries counted: its health and the recorded bounces and complaints. */
  afterSend: { health: IssueMailHealth; events: MailEventRows } | null;
  /** Null when the digest file or the topic map is not there. */
  explanations: ExplainedPaper[] | null;
}

/**
 * The issue `date` names: null when it is not a date or no issue has it, `{ error }` when the
 * draft does not compile (the message, secrets redacted).
 */
export async function resolveIssue(sources: PreviewSources, date: string): Promise<ResolvedIssue | { error: string } | null> {
  if (!isDate(date) && !isWeekId(date)) return null;
  const stored = await sources.archive.get(date);
  if (stored) return { compiled: stored.compiled, frozen: { createdAt: stored.createdAt, sentAt: stored.sentAt } };
  try {
    if (isWeekId(date)) {
      // A weekly issue not sent yet: what a send would build now (none without daily issues that week).
      const weekly = await prepareWeeklyIssue(sources.app, date);
      return weekly.dailyIssues.length > 0 ? { compiled: weekly.compiled, frozen: null } : null;
    }
    const draft = await sources.drafts.compile(date);
    return draft ? { compiled: draft.compiled, frozen: null } : null;
  } catch (error) {
    if (error instanceof PaperpostError) return { error: draftErrorLine(error) };
    throw error;
  }
}

/** How the preview names a reader of every topic. */
export const EVERY_TOPIC_READER = 'a reader of every topic (links point to /manage)';

/**
 * The subscriber a preview shows (the one place both previews, /admin's and `paperpost
 * preview`'s, look one up): the subscriber at `as`, or null for a reader of every topic when
 * `as` is empty or names nobody; what the operator should know goes into `notes`.
 */
export async function findPreviewSubscriber(app: Pick<PreviewSources['app'], 'store'>, as: string | undefined, notes: string[]): Promise<Subscriber | null> {
  if (as === undefined || as.trim() === '') return null;
  let subscriber: Subscriber | null;
  try {
    subscriber = await app.store().getSubscriberByEmail(normalizeEmail(as));
  } catch {
    subscriber = null;
  }
  if (!subscriber) notes.push(`No subscriber has the address ${as.slice(0, 254)}; showing the copy for a reader of every topic.`);
  else if (subscriber.status !== 'active') notes.push(`${subscriber.email} is ${subscriber.status}: they get no issues now.`);
  return subscriber;
}

/** A previewed subscriber in words: "ada@example.org (Ada), topics: efficient-inference". */
export function describePreviewSubscriber(subscriber: Subscriber): string {
  const follows = subscriber.themes === null ? 'every topic' : `topics: ${subscriber.themes.join(', ')}`;
  return `${subscriber.email}${subscriber.name ? ` (${subscriber.name})` : ''}, ${follows}`;
}

/** The copy of `compiled` for the subscriber at `as`, or for a reader of every topic when `as` is empty or unknown. */
export async function previewCopy(sources: PreviewSources, compiled: CompiledIssue, as: string | undefined): Promise<PreviewCopy> {
  const { app } = sources;
  const notes: string[] = [];
  const subscriber = await findPreviewSubscriber(app, as, notes);
  if (!subscriber) return { copy: personalizeIssue(compiled, copyRecipient(app.config, compiled, previewReader())), who: EVERY_TOPIC_READER, notes };
  // Their copy as a send makes it: their picks and order, their feedback links.
  const copy = personalizeIssue(compiled, copyRecipient(app.config, compiled, { ...subscriber, plan: await planOne(compiled, app, subscriber) }));
  if (!copy) notes.push(`${subscriber.email} follows none of this issue's topics (${(subscriber.themes ?? []).join(', ')}) and has no picks in it, so they get no email for it.`);
  return { copy, who: describePreviewSubscriber(subscriber), notes };
}

/** What came back from a sent issue: bounces, complaints and the complaint rate, with the 50 newest events. */
async function afterTheSend(sources: PreviewSources, date: string): Promise<IssuePreview['afterSend']> {
  const { app } = sources;
  const [health] = await issueMailHealth(app.store(), [date]);
  if (!health) return null;
  return { health, events: await loadMailEvents(app, await app.store().listMailEvents({ issueId: date, limit: 50 })) };
}

/** Why each paper of the digest for `date` is where it is, when the digest file and a topic map are there. */
async function explainIssue(sources: PreviewSources, date: string): Promise<ExplainedPaper[] | null> {
  const { app } = sources;
  const digest = await sources.drafts.digest(date).catch(() => null);
  if (!digest) return null;
  const context = await loadTopicContext(app, digest.date);
  if (!context) return null;
  const placed = new Map<string, string>();
  for (const t of (await groupDigest(app, digest)).themes) for (const paper of t.papers) placed.set(paper.id, t.label);
  return digest.papers.map((paper) => ({ title: paper.title, placedIn: placed.get(paper.id) ?? '-', why: explainTopics(paper, context.map, { learned: context.learned }) }));
}

/**
 * The whole preview of issue `date` as the subscriber at `as` would get it: null when there is
 * no such issue, `{ error }` when its draft does not compile.
 */
export async function buildIssuePreview(sources: PreviewSources, date: string, as: string | undefined): Promise<IssuePreview | { error: string } | null> {
  const resolved = await resolveIssue(sources, date);
  if (!resolved || 'error' in resolved) return resolved;
  const p = await previewCopy(sources, resolved.compiled, as);
  const htmlBytes = p.copy ? Buffer.byteLength(p.copy.html) : 0;
  const textBytes = p.copy ? Buffer.byteLength(p.copy.text) : 0;
  return {
    date,
    as,
    ...resolved,
    ...p,
    htmlBytes,
    textBytes,
    overClip: htmlBytes > GMAIL_CLIP_BYTES,
    afterSend: resolved.frozen ? await afterTheSend(sources, date) : null,
    explanations: await explainIssue(sources, date),
  };
}
