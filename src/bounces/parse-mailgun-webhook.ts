/**
 * Mailgun webhooks (issue 15), checked as Mailgun documents it ("Securing Webhooks"). The JSON
 * body carries `signature: { timestamp, token, signature }` next to `event-data`:
 *
 * 1. The timestamp must be at most 5 minutes old (and not 5 minutes ahead).
 * 2. `signature` must be the hex HMAC-SHA256 of timestamp + token (no separator), keyed by the
 *    webhook signing key, compared in constant time.
 * 3. A token seen before inside the window is a replay and is refused (checked after the
 *    signature, so unsigned requests cannot fill the cache).
 *
 * Only the JSON webhooks are read, not the legacy form-encoded ones.
 *
 * | event-data                                              | event          |
 * |---------------------------------------------------------|----------------|
 * | failed, severity permanent (reason bounce, suppress-bounce, …) | bounce, hard |
 * | failed, severity permanent, reason old (gave up after retries)   | bounce, soft |
 * | failed, severity temporary (Mailgun retries)            | bounce, soft   |
 * | failed, reason suppress-complaint / suppress-unsubscribe | other         |
 * | complained                                              | complaint      |
 * | delivered                                               | delivery       |
 * | accepted, opened, clicked, unsubscribed, …              | other          |
 */
import { createHmac } from 'node:crypto';
import { createReplayCache } from './create-replay-cache.js';
import { looksLikeVerpAddress, readVerpAddress } from './make-verp-address.js';
import { messageIdOf } from './read-report-fields.js';
import { isoTime, jsonBody, objectOf, recipientOf, str } from './read-webhook-request.js';
import { safeEqual } from './safe-equal.js';
import { WebhookPayloadError, WebhookSignatureError } from './webhook-error.js';
import type { MailgunWebhookConfig, WebhookConfig, WebhookEvent, WebhookRequest, WebhookResult } from './webhook-types.js';

const defaultReplayCache = createReplayCache();

/** Checks the signature block of a parsed body, or throws. */
export function checkMailgunSignature(body: Record<string, unknown>, config: MailgunWebhookConfig, now: Date): void {
  const sig = body.signature;
  if (typeof sig !== 'object' || sig === null) throw new WebhookSignatureError('Mailgun webhook without a signature');
  const s = sig as Record<string, unknown>;
  const timestamp = str(s, 'timestamp');
  const token = str(s, 'token');
  const signature = str(s, 'signature');
  if (!timestamp || !token || !signature) throw new WebhookSignatureError('Mailgun webhook signature lacks timestamp, token or signature');

  // 1. Age.
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookSignatureError('Mailgun webhook timestamp is not a Unix time');
  const maxAge = config.maxAgeSeconds ?? 300;
  const age = now.getTime() / 1000 - Number(timestamp);
  if (age > maxAge) throw new WebhookSignatureError(`Mailgun webhook timestamp is ${Math.round(age)} s old, over ${maxAge} s (replayed?)`);
  if (age < -300) throw new WebhookSignatureError('Mailgun webhook timestamp is in the future');

  // 2. HMAC.
  const expected = createHmac('sha256', config.signingKey).update(timestamp + token).digest('hex');
  if (!safeEqual(signature.toLowerCase(), expected)) throw new WebhookSignatureError('Mailgun webhook signature does not verify');

  // 3. Replays.
  const cache = config.replayCache ?? defaultReplayCache;
  if (cache.seen(`mailgun:${token}`, (Number(timestamp) + maxAge) * 1000, now.getTime())) {
    throw new WebhookSignatureError('Mailgun webhook token was already used (replayed)');
  }
}

/** Verifies and maps one Mailgun webhook request. */
export function parseMailgunWebhook(request: WebhookRequest, mailgun: MailgunWebhookConfig, config: WebhookConfig, now: Date): WebhookResult {
  const body = objectOf(jsonBody(request), 'Mailgun webhook body');
  checkMailgunSignature(body, mailgun, now);
  return { kind: 'events', events: [mailgunEvent(objectOf(body['event-data'], 'Mailgun event-data'), config, now)] };
}

function mailgunEvent(d: Record<string, unknown>, config: WebhookConfig, now: Date): WebhookEvent {
  const name = str(d, 'event');
  if (!name) throw new WebhookPayloadError('Mailgun event-data without an event name');
  const message = typeof d.message === 'object' && d.message !== null ? (d.message as Record<string, unknown>) : undefined;
  const headers = typeof message?.headers === 'object' && message.headers !== null ? (message.headers as Record<string, unknown>) : undefined;
  const messageId = messageIdOf(str(headers, 'message-id'));
  const envelope = typeof d.envelope === 'object' && d.envelope !== null ? (d.envelope as Record<string, unknown>) : undefined;
  const sender = str(envelope, 'sender');
  const verp =
    config.verp && sender && looksLikeVerpAddress(config.verp.bounceDomain, sender)
      ? { address: sender, target: readVerpAddress(config.verp.secretKey, config.verp.bounceDomain, sender) }
      : undefined;
  const id = str(d, 'id');
  const base = {
    provider: 'mailgun' as const,
    eventId: `mailgun:${id ?? `${name}:${str(d, 'timestamp')}:${str(d, 'recipient')}`}`,
    occurredAt: isoTime(d.timestamp, now),
    ...(messageId ? { messageId } : {}),
    ...(verp ? { verp } : {}),
  };

  if (name === 'failed') {
    const severity = str(d, 'severity') ?? 'permanent';
    const reason = str(d, 'reason') ?? '';
    const recipient = recipientOf(d, 'recipient', 'Mailgun failed event');
    const providerEvent = `failed/${severity}${reason ? `/${reason}` : ''}`;
    if (reason === 'suppress-complaint' || reason === 'suppress-unsubscribe') return { ...base, type: 'other', recipient, providerEvent, detail: reason };
    const ds = typeof d['delivery-status'] === 'object' && d['delivery-status'] !== null ? (d['delivery-status'] as Record<string, unknown>) : undefined;
    const code = str(ds, 'code');
    const status = str(ds, 'enhanced-code') ?? (code && /^[45]\d\d$/.test(code) ? `${code[0]}.0.0` : undefined);
    const diagnostic = [code, str(ds, 'message') || str(ds, 'description')].filter(Boolean).join(' ') || undefined;
    return {
      ...base,
      type: 'bounce',
      severity: severity === 'permanent' && reason !== 'old' ? 'hard' : 'soft',
      recipient,
      providerEvent,
      ...(status ? { status } : {}),
      ...(diagnostic ? { diagnostic } : {}),
    };
  }
  if (name === 'complained') return { ...base, type: 'complaint', recipient: recipientOf(d, 'recipient', 'Mailgun complained event'), providerEvent: 'complained', feedbackType: 'abuse' };
  if (name === 'delivered') return { ...base, type: 'delivery', recipient: recipientOf(d, 'recipient', 'Mailgun delivered event'), providerEvent: 'delivered' };
  const recipient = str(d, 'recipient');
  return { ...base, type: 'other', providerEvent: name, ...(recipient ? { recipient } : {}) };
}
