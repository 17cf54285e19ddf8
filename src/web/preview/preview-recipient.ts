/**
 * Whose copy the preview shows: a subscriber chosen by address (their topics, name and signed
 * links), or a reader of every topic. It is the preview's one place that turns a reader into
 * a recipient, so per-reader content that comes later plugs in here and nowhere else in the
 * preview.
 *
 * A subscriber's copy is made as a send makes it (render/copy-recipient.ts): their plan
 * (picks and order, issue/plan-readers.ts planOne) and their feedback links.
 */
import type { App } from '../../app.js';
import { planOne } from '../../issue/plan-readers.js';
import { EMPTY_PLAN, type ReaderPlan } from '../../picks/reader-plan.js';
import type { CompiledIssue } from '../../render/compile-issue.js';
import { copyRecipient } from '../../render/copy-recipient.js';
import { previewReader, type Recipient } from '../../subscribers/recipient.js';
import { describePreviewSubscriber, EVERY_TOPIC_READER, findPreviewSubscriber } from '../build-issue-preview.js';

/** The recipient of the previewed copy, who they are in words, and notes for the page. */
export interface PreviewRecipient {
  recipient: Recipient;
  subscriberId: number | null;
  /** "ada@example.org (Ada), topics: efficient-inference" */
  who: string;
  notes: string[];
  /** The reader's plan (picks and order); EMPTY_PLAN for a reader of every topic. */
  plan: ReaderPlan;
}

/** The recipient of `compiled` for `as` (an address, or empty for a reader of every topic). */
export async function previewRecipient(app: Pick<App, 'config' | 'store' | 'readerSignals' | 'topicMatcher'>, compiled: CompiledIssue, as: string | undefined): Promise<PreviewRecipient> {
  const notes: string[] = [];
  const subscriber = await findPreviewSubscriber(app, as, notes);
  if (!subscriber) return { recipient: copyRecipient(app.config, compiled, previewReader()), subscriberId: null, who: EVERY_TOPIC_READER, notes, plan: EMPTY_PLAN };
  const plan = await planOne(compiled, app, subscriber);
  return { recipient: copyRecipient(app.config, compiled, { ...subscriber, plan }), subscriberId: subscriber.id, who: describePreviewSubscriber(subscriber), notes, plan };
}
