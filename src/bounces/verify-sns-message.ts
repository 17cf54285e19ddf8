/**
 * Verifies an Amazon SNS HTTP(S) message as AWS documents it ("Verifying the signatures of
 * Amazon SNS messages"), so that a forged SES bounce cannot unsubscribe anyone:
 *
 * 1. The Type names the fields that are signed: Notification signs Message, MessageId,
 *    Subject (only when present), Timestamp, TopicArn and Type; SubscriptionConfirmation and
 *    UnsubscribeConfirmation sign Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn
 *    and Type. The string to sign is each name and its value on a line of their own, in that
 *    (byte) order, every line ending in a newline.
 * 2. The TopicArn must be one the operator configured (anyone can point a topic at the URL).
 * 3. SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA; anything else is refused.
 * 4. The SigningCertURL must be https on a host matching ^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$
 *    and end in .pem (tests inject their own rule and fetcher). The certificate is fetched once
 *    per URL and cached, and must be within its validity dates.
 * 5. The signature (base64) must verify with the certificate's public key over the string.
 * 6. The Timestamp must be no older than an hour (configurable) and not in the future.
 */
import { X509Certificate, verify } from 'node:crypto';
import { WebhookPayloadError, WebhookSignatureError, WebhookUnavailableError } from './webhook-error.js';
import type { SesWebhookConfig } from './webhook-types.js';

/** The SNS message types paperpost handles. */
export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** An SNS message after verification: the signed fields, as strings. */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

const SIGNED_FIELDS: Record<SnsMessageType, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};
const OPTIONAL = new Set(['Subject']);
const HASHES: Record<string, string> = { '1': 'sha1', '2': 'sha256' };
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const MAX_CERT_BYTES = 64 * 1024;

const defaultCache = new Map<string, string>();

/** The default rule for SigningCertURL. */
export const isAwsSigningCertUrl = (url: URL): boolean =>
  url.protocol === 'https:' && SNS_HOST.test(url.hostname) && url.port === '' && url.username === '' && url.pathname.endsWith('.pem');

/** Fetches a certificate over HTTPS: no redirects, 10 s, 64 KiB at most. */
async function fetchCertificateOverHttps(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_CERT_BYTES) throw new Error('certificate too large');
  return text;
}

/** The string SNS signs for a message of `type`. */
export function snsStringToSign(type: SnsMessageType, msg: Record<string, unknown>): string {
  let out = '';
  for (const name of SIGNED_FIELDS[type]) {
    const value = msg[name];
    if (value === undefined || value === null) {
      if (OPTIONAL.has(name)) continue;
      throw new WebhookPayloadError(`SNS ${type} has no ${name}`);
    }
    if (typeof value !== 'string') throw new WebhookPayloadError(`SNS ${type} field ${name} is not a string`);
    out += `${name}\n${value}\n`;
  }
  return out;
}

/** Verifies `msg` (the parsed request body) and returns it typed, or throws a WebhookError. */
export async function verifySnsMessage(msg: Record<string, unknown>, config: SesWebhookConfig, now: Date): Promise<SnsMessage> {
  // 1. Type and the string to sign.
  const type = msg.Type;
  if (type !== 'Notification' && type !== 'SubscriptionConfirmation' && type !== 'UnsubscribeConfirmation') {
    throw new WebhookPayloadError(`not an SNS message type paperpost handles: ${JSON.stringify(type)}`);
  }
  const stringToSign = snsStringToSign(type, msg);

  // 2. The topic.
  const topicArn = msg.TopicArn as string;
  if (!config.topicArns.includes(topicArn)) throw new WebhookSignatureError(`SNS topic ${topicArn} is not one of the configured topics`);

  // 3. The algorithm.
  const hash = typeof msg.SignatureVersion === 'string' ? HASHES[msg.SignatureVersion] : undefined;
  if (!hash) throw new WebhookSignatureError(`SNS SignatureVersion ${JSON.stringify(msg.SignatureVersion)} is not 1 or 2`);
  if (typeof msg.Signature !== 'string' || msg.Signature === '') throw new WebhookSignatureError('SNS message has no Signature');

  // 4. The certificate.
  let certUrl: URL;
  try {
    certUrl = new URL(String(msg.SigningCertURL ?? msg.SigningCertUrl));
  } catch {
    throw new WebhookSignatureError('SNS SigningCertURL is not a URL');
  }
  if (!(config.certificateUrlAllowed ?? isAwsSigningCertUrl)(certUrl)) {
    throw new WebhookSignatureError(`SNS SigningCertURL ${certUrl.href} is not an Amazon SNS certificate URL`);
  }
  const cert = await certificateFor(certUrl.href, config);
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) throw new WebhookSignatureError('SNS signing certificate is outside its validity dates');

  // 5. The signature.
  const signature = Buffer.from(msg.Signature, 'base64');
  let ok = false;
  try {
    ok = verify(hash, Buffer.from(stringToSign, 'utf8'), cert.publicKey, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new WebhookSignatureError('SNS signature does not verify');

  // 6. Freshness.
  const sent = new Date(msg.Timestamp as string).getTime();
  const maxAge = (config.maxAgeSeconds ?? 3600) * 1000;
  if (Number.isNaN(sent)) throw new WebhookPayloadError('SNS Timestamp is not a date');
  if (now.getTime() - sent > maxAge) throw new WebhookSignatureError(`SNS message is older than ${maxAge / 1000} s (replayed?)`);
  if (sent - now.getTime() > 300_000) throw new WebhookSignatureError('SNS Timestamp is in the future');

  return msg as unknown as SnsMessage;
}

async function certificateFor(url: string, config: SesWebhookConfig): Promise<X509Certificate> {
  const cache = config.certificateCache ?? defaultCache;
  let pem = cache.get(url);
  if (pem === undefined) {
    try {
      pem = await (config.fetchCertificate ?? fetchCertificateOverHttps)(url);
    } catch (err) {
      throw new WebhookUnavailableError(`could not fetch the SNS signing certificate ${url}: ${(err as Error).message}`);
    }
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new WebhookSignatureError(`SNS signing certificate at ${url} is not a certificate`);
  }
  if (!cache.has(url)) {
    if (cache.size >= 100) cache.delete(cache.keys().next().value!);
    cache.set(url, pem);
  }
  return cert;
}
