/**
 * Whose copy the preview shows: a subscriber chosen by address (their topics, name and signed
 * links), or a reader of every topic. It is the preview's one place that turns a reader into
 * a recipient, so per-reader content that comes later plugs in here and nowhere else in the
 * preview.
 *
 * HOOK (issue #20, picks): once a reader's plan ("Picked for you", picks/reader-plan.ts) is
 * part of a copy, plan the chosen subscriber here from their signals (the ReaderSignals store
 * role) and the day's papers, and return it with the recipient, so the preview shows their
 * picks. Today every reader gets EMPTY_PLAN: the issue as their topics make it.
 */
import type { App } from '../../app.js';
import { EMPTY_PLAN, type ReaderPlan } from '../../picks/reader-plan.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { previewReader, recipientFor, type Recipient } from '../../subscribers/recipient.js';
import type { Subscriber } from '../../types.js';

/** The recipient of the previewed copy, who they are in words, and notes for the page. */
export interface PreviewRecipient {
  recipient: Recipient;
  subscriberId: number | null;
  /** "ada@example.org (Ada), topics: efficient-inference" */
  who: string;
  notes: string[];
  /** The reader's plan (picks): EMPTY_PLAN until issue #20's picks reach the copy (see the HOOK above). */
  plan: ReaderPlan;
}

/** The recipient for `as` (an address, or empty for a reader of every topic). */
export async function previewRecipient(app: Pick<App, 'config' | 'store'>, as: string | undefined): Promise<PreviewRecipient> {
  const notes: string[] = [];
  let subscriber: Subscriber | null = null;
  if (as !== undefined && as.trim() !== '') {
    try {
      subscriber = await app.store().getSubscriberByEmail(normalizeEmail(as));
    } catch {
      subscriber = null;
    }
    if (!subscriber) notes.push(`No subscriber has the address ${as.slice(0, 254)}; showing the copy of a reader of every topic.`);
  }
  if (!subscriber) {
    return { recipient: recipientFor(app.config, previewReader()), subscriberId: null, who: 'a reader of every topic (links point to /manage)', notes, plan: EMPTY_PLAN };
  }
  if (subscriber.status !== 'active') notes.push(`${subscriber.email} is ${subscriber.status}: they get no issues now.`);
  const follows = subscriber.themes === null ? 'every topic' : `topics: ${subscriber.themes.join(', ')}`;
  return {
    recipient: recipientFor(app.config, subscriber),
    subscriberId: subscriber.id,
    who: `${subscriber.email}${subscriber.name ? ` (${subscriber.name})` : ''}, ${follows}`,
    notes,
    plan: EMPTY_PLAN,
  };
}
