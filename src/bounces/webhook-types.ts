/**
 * The shapes shared by the provider webhook parsers (issue 15): what a request is, what each
 * provider needs to check it, and the verified events every provider's payload is mapped to.
 */
import type { BounceSeverity, VerpFinding } from './classify-inbound-mail.js';
import type { ReplayCache } from './create-replay-cache.js';

/** The providers paperpost takes webhooks from. */
export type WebhookProvider = 'ses' | 'postmark' | 'sendgrid' | 'mailgun';

export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = ['ses', 'postmark', 'sendgrid', 'mailgun'];

/** One HTTP request as the route received it; `rawBody` is the exact bytes (signatures cover them). */
export interface WebhookRequest {
  /** Header names in any case; a Fetch `Headers` object works as well. */
  headers: Headers | Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** The request URL, absolute or just the path and query. */
  url: string;
}

/** Amazon SES through SNS. */
export interface SesWebhookConfig {
  /**
   * The SNS topic ARNs to accept. Required: an SNS signature proves only that some AWS account's
   * topic sent the message, and anyone can point a topic of their own at this URL.
   */
  topicArns: readonly string[];
  /** Fetches a signing certificate (PEM). Default: an HTTPS GET with a timeout and a size limit. */
  fetchCertificate?: (url: string) => Promise<string>;
  /**
   * Whether a SigningCertURL may be fetched. Default: https, on a host matching
   * ^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$, path ending in .pem. Tests replace it.
   */
  certificateUrlAllowed?: (url: URL) => boolean;
  /** Certificates by URL (PEM); a shared in-memory cache by default. */
  certificateCache?: Map<string, string>;
  /** Oldest accepted SNS Timestamp, in seconds (default 3600). */
  maxAgeSeconds?: number;
}

/** Postmark: HTTP basic auth on the webhook URL, a secret token in its query, or both (then both must match). */
export interface PostmarkWebhookConfig {
  username?: string;
  password?: string;
  /** Compared with the `token` query parameter (or `tokenParam`). */
  token?: string;
  tokenParam?: string;
}

/** SendGrid Signed Event Webhook. */
export interface SendgridWebhookConfig {
  /** The verification key from SendGrid's mail settings: base64 DER (SubjectPublicKeyInfo), or PEM. */
  publicKey: string;
  /** Oldest accepted timestamp, in seconds (default 300). */
  maxAgeSeconds?: number;
  replayCache?: ReplayCache;
}

/** Mailgun webhook signing. */
export interface MailgunWebhookConfig {
  /** The HTTP webhook signing key from Mailgun's dashboard. */
  signingKey: string;
  /** Oldest accepted timestamp, in seconds (default 300). */
  maxAgeSeconds?: number;
  replayCache?: ReplayCache;
}

/** Per-provider credentials; a provider left out is refused (WebhookNotConfiguredError). */
export interface WebhookConfig {
  ses?: SesWebhookConfig;
  postmark?: PostmarkWebhookConfig;
  sendgrid?: SendgridWebhookConfig;
  mailgun?: MailgunWebhookConfig;
  /** SECRET_KEY and BOUNCE_DOMAIN, to read a VERP envelope sender a provider reports (SES, Mailgun). */
  verp?: { secretKey: string; bounceDomain: string };
  /** Largest body read, in bytes (default 2 MiB; the route limits it too). */
  maxBodyBytes?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** Fields every event has. */
interface EventBase {
  provider: WebhookProvider;
  /** The provider's own event name, e.g. 'Bounce/Permanent', 'HardBounce', 'bounce/blocked', 'failed/permanent'. */
  providerEvent: string;
  /** Stable per event across retries: the key that makes processing it twice change nothing. */
  eventId: string;
  /** ISO 8601. */
  occurredAt: string;
  /** The Message-ID header of the message the event is about, `<…>`, when the provider reports it. */
  messageId?: string;
  /** The provider's id for the message, when it differs from the Message-ID. */
  providerMessageId?: string;
  /** The envelope sender the provider reports, checked as a VERP address when `config.verp` is set. */
  verp?: VerpFinding;
}

export type WebhookEvent =
  | (EventBase & { type: 'bounce'; severity: BounceSeverity; recipient: string; status?: string; diagnostic?: string })
  | (EventBase & { type: 'complaint'; recipient: string; feedbackType?: string })
  | (EventBase & { type: 'delivery'; recipient: string })
  | (EventBase & { type: 'other'; recipient?: string; detail?: string });

/** What a verified request asks for. */
export type WebhookResult =
  | { kind: 'events'; events: WebhookEvent[] }
  /** An SNS subscription to confirm: the caller GETs `subscribeUrl` (only for a topic in `topicArns`). */
  | { kind: 'subscribe'; topicArn: string; subscribeUrl: string }
  /** SNS says the subscription was removed; nothing to do but log it. */
  | { kind: 'unsubscribed'; topicArn: string };
