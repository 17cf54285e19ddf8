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
import { previewReader, recipientFor, type Recipient } from '../../subscribers/recipient.js';
import { describePreviewSubscriber, EVERY_TOPIC_READER, findPreviewSubscriber } from '../build-issue-preview.js';

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
  const subscriber = await findPreviewSubscriber(app, as, notes);
  if (!subscriber) return { recipient: recipientFor(app.config, previewReader()), subscriberId: null, who: EVERY_TOPIC_READER, notes, plan: EMPTY_PLAN };
  return { recipient: recipientFor(app.config, subscriber), subscriberId: subscriber.id, who: describePreviewSubscriber(subscriber), notes, plan: EMPTY_PLAN };
}
