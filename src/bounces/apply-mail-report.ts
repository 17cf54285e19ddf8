/**
 * What a bounce or complaint does to the list, whichever way it came in (the bounce SMTP
 * endpoint, the IMAP mailbox, a provider's webhook):
 *
 * 1. match it to its delivery: by the VERP token in the envelope sender (a forged or unknown
 *    token matches nothing), else by our Message-ID (unguessable: an HMAC), else, for a
 *    provider's signed webhook only, by the recipient's address; a report that matches
 *    nothing is recorded as unmatched and changes no one;
 * 2. record it once: a second copy of the same report (same key) changes nothing;
 * 3. apply the rules: a hard bounce marks the subscriber bounced; soft bounces on
 *    `softBounceLimit` different issues within `softBounceDays` do too; a complaint
 *    unsubscribes at once (status complained) and puts the address on the suppression list.
 */
import type { MailEvent, Store } from '../store/store.js';
import type { VerpFinding } from './classify-inbound-mail.js';

/** A report, normalized from any source. */
export interface MailReport {
  /** 'smtp', 'imap', 'webhook:ses', … */
  source: string;
  /** The same report always has the same key: a provider's event id, or a hash of the message. */
  key: string;
  type: 'bounce' | 'complaint';
  severity?: 'hard' | 'soft';
  recipient?: string | null;
  status?: string | null;
  diagnostic?: string | null;
  occurredAt?: string | null;
  verp?: VerpFinding;
  /** The Message-ID of the message the report is about, `<…>`. */
  messageId?: string | null;
  /** True for a provider's verified webhook: its recipient address alone may identify the subscriber. */
  trustRecipient?: boolean;
}

/** The rules' parameters (SOFT_BOUNCE_LIMIT, SOFT_BOUNCE_DAYS). */
export interface MailRules {
  softBounceLimit: number;
  softBounceDays: number;
}

/** Applies one report; returns the recorded event and whether it was new. */
export async function applyMailReport(store: Store, report: MailReport, rules: MailRules, now = new Date()): Promise<{ event: MailEvent; repeat: boolean }> {
  // 1. Match.
  let issueId: string | null = null;
  let subscriberId: number | null = null;
  let unmatched: string | null = null;
  if (report.verp) {
    const target = report.verp.target;
    if (!target) unmatched = `a VERP address whose token does not verify (${report.verp.address})`;
    else if (!(await store.getDelivery(target.issueId, target.subscriberId))) unmatched = `no delivery of issue ${target.issueId} to subscriber ${target.subscriberId}`;
    else ({ issueId, subscriberId } = target);
  } else if (report.messageId) {
    const d = await store.findDeliveryByMessageId(report.messageId);
    if (d) ({ issueId, subscriberId } = d);
    else unmatched = `no delivery has the Message-ID ${report.messageId}`;
  }
  if (subscriberId === null && !unmatched && report.trustRecipient && report.recipient) {
    const s = await store.getSubscriberByEmail(report.recipient);
    if (s) subscriberId = s.id;
    else unmatched = `no subscriber has the address ${report.recipient}`;
  } else if (subscriberId === null && !unmatched) {
    unmatched = 'no VERP address and no Message-ID of ours';
  }

  // 2. Record once.
  const { recorded, event } = await store.recordMailEvent({
    eventKey: report.key,
    source: report.source,
    type: report.type,
    severity: report.type === 'bounce' ? (report.severity ?? 'hard') : null,
    issueId,
    subscriberId,
    recipient: report.recipient ?? null,
    status: report.status ?? null,
    diagnostic: (unmatched ? `unmatched: ${unmatched}; ` : '') + (report.diagnostic ?? '') || null,
    occurredAt: report.occurredAt ?? null,
    outcome: unmatched ? 'unmatched' : 'recorded',
  });
  if (!recorded || unmatched || subscriberId === null) return { event, repeat: !recorded };

  // 3. The rules.
  const subscriber = await store.getSubscriberById(subscriberId);
  if (!subscriber) return { event, repeat: false };
  let outcome = 'recorded';
  if (report.type === 'complaint') {
    if (subscriber.status !== 'complained') await store.setSubscriberStatus(subscriber.id, 'complained');
    await store.addSuppressions([{ pattern: subscriber.email.toLowerCase(), reason: `complaint on ${now.toISOString().slice(0, 10)}${issueId ? ` about issue ${issueId}` : ''}` }]);
    outcome = 'complained';
  } else if (event.severity === 'hard') {
    if (subscriber.status === 'active' || subscriber.status === 'pending') {
      await store.setSubscriberStatus(subscriber.id, 'bounced');
      outcome = 'bounced';
    }
  } else {
    outcome = 'soft-counted';
    const since = new Date(now.getTime() - rules.softBounceDays * 86_400_000).toISOString();
    const issues = await store.countSoftBounceIssues(subscriber.id, since);
    if (issues >= rules.softBounceLimit && (subscriber.status === 'active' || subscriber.status === 'pending')) {
      await store.setSubscriberStatus(subscriber.id, 'bounced');
      outcome = 'bounced';
    }
  }
  if (outcome !== event.outcome) await store.setMailEventOutcome(event.id, outcome);
  return { event: { ...event, outcome }, repeat: false };
}
