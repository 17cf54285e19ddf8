/**
 * SendGrid's Signed Event Webhook (issue 15), checked as Twilio documents it:
 *
 * 1. X-Twilio-Email-Event-Webhook-Signature (base64 DER ECDSA signature) and
 *    X-Twilio-Email-Event-Webhook-Timestamp (Unix seconds) must both be there.
 * 2. The timestamp must be at most 5 minutes old (and not 5 minutes ahead): an old request
 *    sent again is refused.
 * 3. The signature must verify with the account's verification key (ECDSA P-256 with SHA-256;
 *    the key as SendGrid shows it, base64 DER) over the timestamp followed by the raw body bytes.
 * 4. A signature already seen inside the window is a replay and is refused.
 *
 * The body is an array of events:
 *
 * | event                                      | maps to                                        |
 * |--------------------------------------------|------------------------------------------------|
 * | bounce, type bounce (or no type, 5.x.x)    | bounce, hard                                   |
 * | bounce, type blocked                       | bounce, soft (a block is about the sender, not the address) |
 * | dropped, reason Bounced Address or Invalid | bounce, hard (SendGrid will never deliver to it) |
 * | dropped, any other reason                  | other                                          |
 * | deferred                                   | other: SendGrid still retries, and reports a bounce if it gives up |
 * | spamreport                                 | complaint                                      |
 * | delivered                                  | delivery                                       |
 * | processed, open, click, unsubscribe, …     | other                                          |
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReplayCache } from './create-replay-cache.js';
import { headerOf, isoTime, jsonBody, objectOf, recipientOf, str } from './read-webhook-request.js';
import { messageIdOf } from './read-report-fields.js';
import { WebhookNotConfiguredError, WebhookPayloadError, WebhookSignatureError } from './webhook-error.js';
import type { SendgridWebhookConfig, WebhookEvent, WebhookRequest, WebhookResult } from './webhook-types.js';

export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

const defaultReplayCache = createReplayCache();
const keys = new Map<string, KeyObject>();

/** The verification key as a P-256 public key. */
function publicKeyOf(text: string): KeyObject {
  const cached = keys.get(text);
  if (cached) return cached;
  let key: KeyObject;
  try {
    key = text.includes('BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new WebhookNotConfiguredError('the SendGrid verification key is not a public key (expected base64 DER from the mail settings)');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new WebhookNotConfiguredError('the SendGrid verification key is not an ECDSA P-256 key');
  }
  keys.set(text, key);
  return key;
}

/** Checks the signature and timestamp of a request, or throws. */
export function checkSendgridSignature(request: WebhookRequest, config: SendgridWebhookConfig, now: Date): void {
  // 1. Headers.
  const signature = headerOf(request, SENDGRID_SIGNATURE_HEADER)?.trim();
  const timestamp = headerOf(request, SENDGRID_TIMESTAMP_HEADER)?.trim();
  if (!signature || !timestamp) throw new WebhookSignatureError('SendGrid webhook without its signature and timestamp headers');

  // 2. Age.
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookSignatureError('SendGrid webhook timestamp is not a Unix time');
  const maxAge = config.maxAgeSeconds ?? 300;
  const age = now.getTime() / 1000 - Number(timestamp);
  if (age > maxAge) throw new WebhookSignatureError(`SendGrid webhook timestamp is ${Math.round(age)} s old, over ${maxAge} s (replayed?)`);
  if (age < -300) throw new WebhookSignatureError('SendGrid webhook timestamp is in the future');

  // 3. Signature.
  const key = publicKeyOf(config.publicKey);
  let ok = false;
  try {
    ok = verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]), { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) throw new WebhookSignatureError('SendGrid webhook signature does not verify');

  // 4. Replays inside the window.
  const cache = config.replayCache ?? defaultReplayCache;
  if (cache.seen(`sendgrid:${signature}`, (Number(timestamp) + maxAge) * 1000, now.getTime())) {
    throw new WebhookSignatureError('SendGrid webhook request was already received (replayed)');
  }
}

/** Verifies and maps one SendGrid event webhook request. */
export function parseSendgridWebhook(request: WebhookRequest, config: SendgridWebhookConfig, now: Date): WebhookResult {
  checkSendgridSignature(request, config, now);
  const body = jsonBody(request);
  if (!Array.isArray(body)) throw new WebhookPayloadError('SendGrid webhook body is not a JSON array of events');
  return { kind: 'events', events: body.map((e, i) => sendgridEvent(objectOf(e, `SendGrid event ${i}`), now)) };
}

function sendgridEvent(e: Record<string, unknown>, now: Date): WebhookEvent {
  const name = str(e, 'event');
  if (!name) throw new WebhookPayloadError('SendGrid event without an event name');
  const messageId = messageIdOf(str(e, 'smtp-id'));
  const providerMessageId = str(e, 'sg_message_id');
  const eventId = `sendgrid:${str(e, 'sg_event_id') ?? createHash('sha256').update(JSON.stringify(e)).digest('hex').slice(0, 32)}`;
  const base = {
    provider: 'sendgrid' as const,
    eventId,
    occurredAt: isoTime(e.timestamp, now),
    ...(messageId ? { messageId } : {}),
    ...(providerMessageId ? { providerMessageId } : {}),
  };
  const status = str(e, 'status');
  const reason = str(e, 'reason') ?? str(e, 'response');

  switch (name) {
    case 'bounce': {
      const type = str(e, 'type') ?? (status?.startsWith('5') ? 'bounce' : 'blocked');
      return {
        ...base,
        type: 'bounce',
        severity: type === 'blocked' ? 'soft' : 'hard',
        recipient: recipientOf(e, 'email', 'SendGrid bounce'),
        providerEvent: `bounce/${type}`,
        ...(status ? { status } : {}),
        ...(reason ? { diagnostic: reason } : {}),
      };
    }
    case 'dropped': {
      const recipient = recipientOf(e, 'email', 'SendGrid dropped');
      if (reason === 'Bounced Address' || reason === 'Invalid') {
        return { ...base, type: 'bounce', severity: 'hard', recipient, providerEvent: `dropped/${reason}`, diagnostic: `dropped by SendGrid: ${reason}` };
      }
      return { ...base, type: 'other', recipient, providerEvent: `dropped${reason ? `/${reason}` : ''}`, ...(reason ? { detail: reason } : {}) };
    }
    case 'spamreport':
      return { ...base, type: 'complaint', recipient: recipientOf(e, 'email', 'SendGrid spamreport'), providerEvent: 'spamreport', feedbackType: 'abuse' };
    case 'delivered':
      return { ...base, type: 'delivery', recipient: recipientOf(e, 'email', 'SendGrid delivered'), providerEvent: 'delivered' };
    default: {
      const recipient = str(e, 'email');
      return { ...base, type: 'other', providerEvent: name, ...(recipient ? { recipient } : {}), ...(reason ? { detail: reason } : {}) };
    }
  }
}
