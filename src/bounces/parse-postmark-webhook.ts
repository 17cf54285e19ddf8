/**
 * Postmark webhooks (issue 15). Postmark does not sign its requests: the webhook URL carries
 * HTTP basic auth credentials (https://user:pass@host/webhooks/postmark) or a secret of the
 * operator's choosing in its query (?token=…). Every configured credential must match,
 * compared in constant time; with none configured nothing is accepted.
 *
 * One event per request, told apart by RecordType:
 *
 * | RecordType / Type                                                        | event          |
 * |--------------------------------------------------------------------------|----------------|
 * | Bounce: HardBounce, BadEmailAddress                                      | bounce, hard   |
 * | Bounce: SoftBounce, Transient, DnsError, SpamNotification, Blocked,      | bounce, soft   |
 * |   DMARCPolicy, VirusNotification                                         |                |
 * | Bounce: SpamComplaint; SpamComplaint                                     | complaint      |
 * | Delivery                                                                 | delivery       |
 * | Bounce of any other Type (AutoResponder, Unsubscribe, ManuallyDeactivated…), Open, Click, SubscriptionChange | other |
 *
 * Postmark's MessageID is its own id, not the Message-ID header, so it goes in providerMessageId.
 */
import { isoTime, jsonBody, objectOf, recipientOf, str, headerOf } from './read-webhook-request.js';
import { safeEqual } from './safe-equal.js';
import { WebhookNotConfiguredError, WebhookSignatureError } from './webhook-error.js';
import type { PostmarkWebhookConfig, WebhookEvent, WebhookRequest, WebhookResult } from './webhook-types.js';

const HARD = new Set(['HardBounce', 'BadEmailAddress']);
const SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'SpamNotification', 'Blocked', 'DMARCPolicy', 'VirusNotification']);

/** Checks the credentials on the request, or throws. */
export function checkPostmarkCredentials(request: WebhookRequest, config: PostmarkWebhookConfig): void {
  const basic = config.username !== undefined && config.password !== undefined;
  if (!basic && !config.token) throw new WebhookNotConfiguredError('no Postmark webhook credentials are configured');
  if (basic) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headerOf(request, 'authorization') ?? '');
    const given = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    if (!safeEqual(given, `${config.username}:${config.password}`)) throw new WebhookSignatureError('Postmark webhook: basic auth credentials do not match');
  }
  if (config.token) {
    const given = new URL(request.url, 'http://localhost').searchParams.get(config.tokenParam ?? 'token') ?? '';
    if (!safeEqual(given, config.token)) throw new WebhookSignatureError('Postmark webhook: the URL token does not match');
  }
}

/** Verifies and maps one Postmark webhook request. */
export function parsePostmarkWebhook(request: WebhookRequest, config: PostmarkWebhookConfig, now: Date): WebhookResult {
  checkPostmarkCredentials(request, config);
  const p = objectOf(jsonBody(request), 'Postmark webhook body');
  const recordType = str(p, 'RecordType') ?? (str(p, 'Type') ? 'Bounce' : undefined);
  const providerMessageId = str(p, 'MessageID');
  const base = { provider: 'postmark' as const, ...(providerMessageId ? { providerMessageId } : {}) };
  const idOf = (...parts: (string | undefined)[]) => ['postmark', ...parts.map((x) => x ?? '')].join(':');

  let event: WebhookEvent;
  if (recordType === 'Bounce' || recordType === 'SpamComplaint') {
    const type = str(p, 'Type') ?? recordType;
    const recipient = recipientOf(p, 'Email', `Postmark ${recordType}`);
    const common = { ...base, recipient, providerEvent: type, eventId: idOf(recordType, str(p, 'ID') ?? providerMessageId, recipient.toLowerCase()), occurredAt: isoTime(p.BouncedAt, now) };
    const diagnostic = str(p, 'Details') || str(p, 'Description');
    if (recordType === 'SpamComplaint' || type === 'SpamComplaint') {
      event = { ...common, type: 'complaint', feedbackType: 'abuse' };
    } else if (HARD.has(type) || SOFT.has(type)) {
      event = { ...common, type: 'bounce', severity: HARD.has(type) ? 'hard' : 'soft', ...(diagnostic ? { diagnostic } : {}) };
    } else {
      event = { ...common, type: 'other', ...(diagnostic ? { detail: diagnostic } : {}) };
    }
  } else if (recordType === 'Delivery') {
    const recipient = recipientOf(p, 'Recipient', 'Postmark Delivery');
    event = { ...base, type: 'delivery', recipient, providerEvent: 'Delivery', eventId: idOf('Delivery', providerMessageId, recipient.toLowerCase()), occurredAt: isoTime(p.DeliveredAt, now) };
  } else {
    const name = recordType ?? 'unknown';
    const recipient = str(p, 'Recipient') ?? str(p, 'Email');
    const when = p.ReceivedAt ?? p.ChangedAt;
    event = { ...base, type: 'other', providerEvent: name, ...(recipient ? { recipient } : {}), eventId: idOf(name, providerMessageId, isoTime(when, now)), occurredAt: isoTime(when, now) };
  }
  return { kind: 'events', events: [event] };
}
