/**
 * Amazon SES notifications through SNS (issue 15). The SNS envelope is verified first
 * (verify-sns-message.ts); its Message is SES's JSON: `notificationType` (or `eventType` with
 * event publishing) and a `mail` object, plus a `bounce`, `complaint` or `delivery` object.
 * Raw message delivery must be off: without the SNS envelope there is no signature to check.
 *
 * | SES says                                     | event                                      |
 * |----------------------------------------------|--------------------------------------------|
 * | Bounce, bounceType Permanent                 | bounce, hard, per bounced recipient        |
 * | Bounce, bounceType Transient or Undetermined | bounce, soft                               |
 * | Complaint (any feedback type but not-spam)   | complaint, per complained recipient        |
 * | Complaint, subtype OnAccountSuppressionList  | other: SES held the message back, no new complaint |
 * | Delivery                                     | delivery, per recipient                    |
 * | anything else (Send, Reject, DeliveryDelay…) | other                                      |
 *
 * The Message-ID comes from mail.commonHeaders (or mail.headers) when SES includes the
 * original headers; mail.messageId is SES's own id. mail.source is the envelope sender, read
 * as a VERP address when one is configured.
 */
import { readVerpAddress, looksLikeVerpAddress } from './make-verp-address.js';
import { messageIdOf } from './read-report-fields.js';
import { isoTime, jsonBody, objectOf, str } from './read-webhook-request.js';
import { verifySnsMessage } from './verify-sns-message.js';
import { WebhookPayloadError, WebhookSignatureError } from './webhook-error.js';
import type { SesWebhookConfig, WebhookConfig, WebhookEvent, WebhookRequest, WebhookResult } from './webhook-types.js';

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Verifies and maps one SNS request carrying an SES notification. */
export async function parseSesWebhook(request: WebhookRequest, ses: SesWebhookConfig, config: WebhookConfig, now: Date): Promise<WebhookResult> {
  // 1. Verify the SNS envelope.
  const sns = await verifySnsMessage(objectOf(jsonBody(request), 'SNS message'), ses, now);

  // 2. Subscription messages.
  if (sns.Type === 'SubscriptionConfirmation') {
    const url = sns.SubscribeURL ?? '';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookPayloadError('SNS SubscribeURL is not a URL');
    }
    if (!ses.certificateUrlAllowed && !(parsed.protocol === 'https:' && SNS_HOST.test(parsed.hostname))) {
      throw new WebhookSignatureError(`SNS SubscribeURL ${url} is not on an Amazon SNS host`);
    }
    return { kind: 'subscribe', topicArn: sns.TopicArn, subscribeUrl: url };
  }
  if (sns.Type === 'UnsubscribeConfirmation') return { kind: 'unsubscribed', topicArn: sns.TopicArn };

  // 3. The SES notification inside.
  let inner: unknown;
  try {
    inner = JSON.parse(sns.Message);
  } catch {
    throw new WebhookPayloadError('SNS Message is not an SES notification (not JSON)');
  }
  return { kind: 'events', events: sesEvents(objectOf(inner, 'SES notification'), sns.MessageId, config, now) };
}

/** Maps one SES notification (the parsed SNS Message) to events. */
export function sesEvents(n: Record<string, unknown>, snsMessageId: string, config: WebhookConfig, now: Date): WebhookEvent[] {
  const type = str(n, 'notificationType') ?? str(n, 'eventType');
  if (!type) throw new WebhookPayloadError('SES notification has no notificationType or eventType');
  const mail = objectOf(n.mail ?? {}, 'SES mail');
  const common = typeof mail.commonHeaders === 'object' && mail.commonHeaders !== null ? (mail.commonHeaders as Record<string, unknown>) : undefined;
  const headerList = Array.isArray(mail.headers) ? (mail.headers as Record<string, unknown>[]) : [];
  const headerMessageId = headerList.find((h) => typeof h?.name === 'string' && h.name.toLowerCase() === 'message-id');
  const messageId = messageIdOf(str(common, 'messageId') ?? str(headerMessageId, 'value'));
  const providerMessageId = str(mail, 'messageId');
  const source = str(mail, 'source');
  const verp =
    config.verp && source && looksLikeVerpAddress(config.verp.bounceDomain, source)
      ? { address: source, target: readVerpAddress(config.verp.secretKey, config.verp.bounceDomain, source) }
      : undefined;
  const base = {
    provider: 'ses' as const,
    ...(messageId ? { messageId } : {}),
    ...(providerMessageId ? { providerMessageId } : {}),
    ...(verp ? { verp } : {}),
  };
  const listOf = (o: Record<string, unknown>, key: string, what: string) => {
    const list = o[key];
    if (!Array.isArray(list) || list.length === 0) throw new WebhookPayloadError(`SES ${what} has no ${key}`);
    return list.map((r) => objectOf(r, `SES ${what} recipient`));
  };
  const addressIn = (r: Record<string, unknown> | string, key: string) => {
    const v = typeof r === 'string' ? r : str(r, key);
    if (!v || !v.includes('@')) throw new WebhookPayloadError(`SES notification names a recipient without an address`);
    return v;
  };

  if (type === 'Bounce') {
    const b = objectOf(n.bounce, 'SES bounce');
    const bounceType = str(b, 'bounceType') ?? 'Undetermined';
    const subType = str(b, 'bounceSubType') ?? '';
    const feedbackId = str(b, 'feedbackId') ?? snsMessageId;
    const occurredAt = isoTime(b.timestamp, now);
    return listOf(b, 'bouncedRecipients', 'bounce').map((r) => {
      const recipient = addressIn(r, 'emailAddress');
      const status = str(r, 'status');
      const diagnostic = str(r, 'diagnosticCode')?.replace(/^[a-z0-9-]+\s*;\s*/i, '');
      return {
        ...base,
        type: 'bounce',
        severity: bounceType === 'Permanent' ? 'hard' : 'soft',
        recipient,
        ...(status ? { status } : {}),
        ...(diagnostic ? { diagnostic } : {}),
        providerEvent: `Bounce/${bounceType}${subType ? `/${subType}` : ''}`,
        eventId: `ses:${feedbackId}:${recipient.toLowerCase()}`,
        occurredAt,
      };
    });
  }

  if (type === 'Complaint') {
    const c = objectOf(n.complaint, 'SES complaint');
    const feedbackType = str(c, 'complaintFeedbackType');
    const subType = str(c, 'complaintSubType');
    const feedbackId = str(c, 'feedbackId') ?? snsMessageId;
    const occurredAt = isoTime(c.timestamp, now);
    const notAComplaint = subType === 'OnAccountSuppressionList' || feedbackType === 'not-spam';
    return listOf(c, 'complainedRecipients', 'complaint').map((r): WebhookEvent => {
      const recipient = addressIn(r, 'emailAddress');
      const common = { ...base, recipient, eventId: `ses:${feedbackId}:${recipient.toLowerCase()}`, occurredAt };
      return notAComplaint
        ? { ...common, type: 'other', providerEvent: `Complaint/${subType ?? feedbackType}`, detail: subType ?? `feedback type ${feedbackType}` }
        : { ...common, type: 'complaint', providerEvent: `Complaint${feedbackType ? `/${feedbackType}` : ''}`, ...(feedbackType ? { feedbackType } : {}) };
    });
  }

  if (type === 'Delivery') {
    const d = objectOf(n.delivery, 'SES delivery');
    const occurredAt = isoTime(d.timestamp, now);
    const recipients = Array.isArray(d.recipients) ? (d.recipients as unknown[]) : [];
    return recipients.map((r) => {
      const recipient = addressIn(r as string, '');
      return { ...base, type: 'delivery', recipient, providerEvent: 'Delivery', eventId: `ses:delivery:${providerMessageId ?? snsMessageId}:${recipient.toLowerCase()}`, occurredAt };
    });
  }

  return [{ ...base, type: 'other', providerEvent: type, eventId: `ses:${type}:${snsMessageId}`, occurredAt: isoTime(mail.timestamp, now) }];
}
