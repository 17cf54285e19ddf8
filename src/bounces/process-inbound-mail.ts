/**
 * One message that came back to the bounce address (over SMTP or from the IMAP mailbox):
 * classified from its structure, and, when it is a bounce or a complaint, applied to the list.
 * Auto-replies and anything not understood are only logged; the caller decides what to do
 * with the message itself (the IMAP fetcher leaves those where they are).
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { applyMailReport, type MailRules } from './apply-mail-report.js';
import { classifyInboundMail, type InboundMailClass } from './classify-inbound-mail.js';

/** What processing one message found and did. */
export interface InboundOutcome {
  kind: InboundMailClass['kind'];
  /** The recorded event's outcome ('bounced', 'soft-counted', 'complained', 'recorded', 'unmatched'), or null when nothing was recorded. */
  outcome: string | null;
  /** True when the same message was processed before (nothing changed). */
  repeat: boolean;
  /** One line for the log. */
  summary: string;
  /** True when the message carries a VERP address whose token verifies. */
  verpValid: boolean;
}

/** Classifies `raw` and applies it. `source` is 'smtp' or 'imap'. */
export async function processInboundMail(
  store: Store,
  raw: Buffer,
  options: { source: string; secretKey: string; bounceDomain?: string; envelopeRecipients?: string[]; rules: MailRules; now?: Date },
): Promise<InboundOutcome> {
  const found = await classifyInboundMail(raw, { secretKey: options.secretKey, bounceDomain: options.bounceDomain, envelopeRecipients: options.envelopeRecipients });
  const verpValid = Boolean(found.verp?.target);
  if (found.kind === 'auto-reply') return { kind: found.kind, outcome: null, repeat: false, verpValid, summary: `an auto-reply${found.from ? ` from ${found.from}` : ''}: not a bounce; nothing changed` };
  if (found.kind === 'unknown') return { kind: found.kind, outcome: null, repeat: false, verpValid, summary: `not a bounce or complaint (${found.reason}: ${found.detail}); nothing changed` };
  const key = `${options.source}:${createHash('sha256').update(raw).digest('hex')}`;
  const { event, repeat } = await applyMailReport(
    store,
    {
      source: options.source,
      key,
      type: found.kind,
      severity: found.kind === 'bounce' ? found.severity : undefined,
      recipient: found.recipient ?? null,
      status: found.kind === 'bounce' ? found.status : null,
      diagnostic: found.kind === 'bounce' ? found.diagnostic : `feedback-type ${found.feedbackType}`,
      verp: found.verp,
      messageId: found.originalMessageId ?? null,
    },
    options.rules,
    options.now,
  );
  const what = found.kind === 'bounce' ? `a ${found.severity} bounce (${found.status ?? 'no status'})` : `a complaint (${found.feedbackType})`;
  const about = event.subscriberId !== null ? `subscriber ${event.subscriberId}${event.issueId ? `, issue ${event.issueId}` : ''}` : 'nobody';
  return { kind: found.kind, outcome: event.outcome, repeat, verpValid, summary: repeat ? `${what}: already processed; nothing changed` : `${what} for ${about}: ${event.outcome}` };
}
