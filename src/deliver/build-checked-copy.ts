/**
 * One reader's copy of an issue as the pre-send checks see it: personalised for their
 * recipient (subscribers/recipient.ts) and built into the message `send` would hand to the
 * server (build-message.ts), so the checks read the real List-Unsubscribe headers and the
 * reader's own links. `render`, `preview` and the gate before a send all build it here.
 */
import type { Config } from '../config.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { CopyUnderCheck } from '../render/checks/check-problem.js';
import { personalizeIssue, type RenderedMessage } from '../render/personalize-issue.js';
import type { Recipient } from '../subscribers/recipient.js';
import { createMessageBuilder } from './build-message.js';
import { messageIdFor } from './message-id-for.js';
import { readMessageHeaders } from './read-message-headers.js';

/** The settings a message is built with. */
export type CheckedCopySettings = Pick<Config, 'mailFrom' | 'listId' | 'unsubscribeMailto' | 'publicUrl' | 'secretKey'>;

/** A copy, its message, and what the checks read of it. */
export interface CheckedCopy {
  copy: RenderedMessage;
  /** The whole message, as `send` would send it now. */
  eml: Buffer;
  check: CopyUnderCheck;
}

/** The text an issue was made from, so a paper's own "undefined" is not taken for a leftover. */
export function issueSourceText(compiled: Pick<CompiledIssue, 'themes'>): string {
  return JSON.stringify(compiled.themes);
}

/**
 * The copy of `compiled` for `recipient` (subscriber `subscriberId`, or null for a preview
 * reader), built into its message; null when the recipient follows none of the issue's topics.
 */
export function buildCheckedCopy(
  settings: CheckedCopySettings,
  compiled: CompiledIssue,
  recipient: Recipient,
  subscriberId: number | null,
  date = new Date(),
): CheckedCopy | null {
  const copy = personalizeIssue(compiled, recipient);
  if (!copy) return null;
  const build = createMessageBuilder({ issueId: compiled.id, from: settings.mailFrom, listId: settings.listId, unsubscribeMailto: settings.unsubscribeMailto });
  const eml = build({
    to: recipient.email,
    toName: recipient.name,
    subject: copy.subject,
    html: copy.html,
    text: copy.text,
    messageId: messageIdFor(settings, compiled.id, subscriberId ?? 0),
    unsubscribeUrl: recipient.unsubscribeUrl,
    date,
  });
  return {
    copy,
    eml,
    check: {
      subject: copy.subject,
      preheader: copy.preheader,
      html: copy.html,
      text: copy.text,
      headers: readMessageHeaders(eml),
      unsubscribeUrl: recipient.unsubscribeUrl,
      sourceText: issueSourceText(compiled),
    },
  };
}
