/**
 * What a message that came back to the bounce address is (issue 15), read from its structure,
 * never from keywords in its prose: listmonk's keyword matching unsubscribes people over
 * unrelated mail (knadh/listmonk#1334). In order:
 *
 * 1. Refuse anything over the size limit (10 MiB) before parsing it.
 * 2. Parse with mailparser, keeping the report parts as attachments; a parse failure or a
 *    message with no header fields is `unknown`, never an exception.
 * 3. Look for the VERP address (make-verp-address.ts): the envelope recipients first, then the
 *    delivery headers, the report's To, and the returned message's Return-Path (or an ARF
 *    report's Original-Mail-From). A `bounces+` address whose token does not verify is
 *    reported with `target: null`: the caller records it as unmatched and changes no one.
 * 4. A message/feedback-report part (RFC 5965) is a complaint when Feedback-Type is `abuse` or
 *    `fraud`: a person said the mail was unwanted or a swindle. `virus`, `auth-failure`, `other`
 *    and `not-spam` are not complaints by the recipient (a scanner's finding, an authentication
 *    report, unspecified, or the opposite of a complaint), so they are `unknown` with the type.
 * 5. A message/delivery-status part (RFC 3464) is a bounce: per recipient, `Action: delayed` or
 *    Status 4.x.x is soft, Status 5.x.x is hard, `delivered`/`relayed`/`expanded` or 2.x.x is
 *    no failure at all. Without a Status field the enhanced code (or the reply code) in
 *    Diagnostic-Code stands in. The first hard failure wins, else the first soft one.
 * 6. An auto-reply (RFC 3834 `Auto-Submitted: auto-replied`, `X-Autoreply`, `X-Autorespond`,
 *    `Precedence: auto_reply`) is `auto-reply`, not a bounce. An out-of-office subject counts
 *    only together with a weaker automatic header (`Auto-Submitted: auto-generated`,
 *    `Precedence: bulk`, `X-Auto-Response-Suppress`). DSNs often carry `Auto-Submitted` too,
 *    which is why reports are read first.
 * 7. Anything else is `unknown` with a reason, for the caller to leave alone.
 */
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { looksLikeVerpAddress, readVerpAddress, type VerpTarget } from './make-verp-address.js';
import { addressOf, field, messageIdOf, readFieldGroups, readHeaderBlock, type FieldGroup } from './read-report-fields.js';

/** Hard: the address is dead (mark bounced). Soft: it may work later (count it). */
export type BounceSeverity = 'hard' | 'soft';

/** The kind of trouble an enhanced status code names (RFC 3463, its middle digit). */
export type StatusCategory = 'other' | 'address' | 'mailbox' | 'mail-system' | 'network' | 'protocol' | 'content' | 'policy';

/** A `bounces+…@BOUNCE_DOMAIN` address found in the message; `target` is null when its token is forged or malformed. */
export interface VerpFinding {
  address: string;
  target: VerpTarget | null;
}

/** Why a message is not a bounce, complaint or auto-reply. */
export type UnknownReason =
  | 'too-large'
  | 'malformed'
  | 'not-a-report'
  | 'incomplete-report'
  | 'delivery-success'
  | 'feedback-not-a-complaint';

export type InboundMailClass =
  | {
      kind: 'bounce';
      severity: BounceSeverity;
      /** The failed recipient (Final-Recipient, else Original-Recipient). */
      recipient: string;
      /** Original-Recipient when given and different, else undefined. */
      originalRecipient?: string;
      /** Enhanced status code, e.g. '5.1.1'; null when the report gives none anywhere. */
      status: string | null;
      statusCategory: StatusCategory;
      /** The Action field, lowercased ('failed', 'delayed'), or null. */
      action: string | null;
      /** Diagnostic-Code without its type prefix, or null. */
      diagnostic: string | null;
      reportingMta?: string;
      /** Message-ID of the returned message, `<…>`. */
      originalMessageId?: string;
      verp?: VerpFinding;
    }
  | {
      kind: 'complaint';
      /** 'abuse' or 'fraud'. */
      feedbackType: string;
      /** Original-Rcpt-To, else the returned message's To; undefined when redacted away. */
      recipient?: string;
      originalMessageId?: string;
      userAgent?: string;
      sourceIp?: string;
      arrivalDate?: string;
      verp?: VerpFinding;
    }
  | { kind: 'auto-reply'; from?: string; subject?: string; inReplyTo?: string; verp?: VerpFinding }
  | { kind: 'unknown'; reason: UnknownReason; detail: string; feedbackType?: string; verp?: VerpFinding };

export interface ClassifyOptions {
  /** SECRET_KEY and BOUNCE_DOMAIN, to read VERP tokens; without both, `verp` is never set. */
  secretKey?: string;
  bounceDomain?: string;
  /** The SMTP envelope recipients (RCPT TO) when the message came over SMTP. */
  envelopeRecipients?: readonly string[];
  /** Largest message read, in bytes (default 10 MiB). */
  maxBytes?: number;
}

/** The default size limit: a real DSN or ARF report is far smaller, even with the original attached. */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ARF_TYPES = new Set(['message/feedback-report']);
const ORIGINAL_TYPES = ['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers', 'message/rfc822-headers'];
const COMPLAINT_TYPES = new Set(['abuse', 'fraud']);
const CATEGORIES: StatusCategory[] = ['other', 'address', 'mailbox', 'mail-system', 'network', 'protocol', 'content', 'policy'];

/** Classifies one inbound message. Never throws. */
export async function classifyInboundMail(raw: Buffer, opts: ClassifyOptions = {}): Promise<InboundMailClass> {
  // 1. Size, before any parsing.
  const limit = opts.maxBytes ?? MAX_INBOUND_BYTES;
  if (raw.length > limit) {
    return { kind: 'unknown', reason: 'too-large', detail: `message is ${raw.length} bytes, over the ${limit}-byte limit; not parsed` };
  }

  // 2. Parse.
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      keepCidLinks: true,
      maxHtmlLengthToParse: 1024 * 1024,
    });
  } catch (err) {
    return { kind: 'unknown', reason: 'malformed', detail: `MIME could not be parsed: ${(err as Error).message}` };
  }
  const top = readHeaderBlock(raw.subarray(0, 256 * 1024).toString('latin1'));
  if (top.size === 0 || mail.headers.size === 0) return { kind: 'unknown', reason: 'malformed', detail: 'no header fields' };
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value?.toLowerCase().startsWith('multipart/') && !contentType.params?.boundary) {
    return { kind: 'unknown', reason: 'malformed', detail: `${contentType.value} without a boundary` };
  }

  try {
    return classifyParsed(mail, top, opts);
  } catch (err) {
    return { kind: 'unknown', reason: 'malformed', detail: `unreadable report: ${(err as Error).message}` };
  }
}

function classifyParsed(mail: ParsedMail, top: FieldGroup, opts: ClassifyOptions): InboundMailClass {
  const parts = mail.attachments;
  const textOf = (a: Attachment | undefined) => (a ? a.content.toString('utf8') : '');
  const original = parts.find((a) => ORIGINAL_TYPES.includes(a.contentType.toLowerCase()));
  const originalHeaders = original ? readHeaderBlock(textOf(original)) : undefined;
  const arfPart = parts.find((a) => ARF_TYPES.has(a.contentType.toLowerCase()));
  const dsnPart = parts.find((a) => DSN_TYPES.has(a.contentType.toLowerCase()));
  const arf = arfPart ? readFieldGroups(textOf(arfPart))[0] : undefined;

  // 3. VERP.
  const verp = findVerp(opts, top, originalHeaders, arf);
  const withVerp = <T extends InboundMailClass>(c: T): T => (verp ? { ...c, verp } : c);

  // 4. Complaint reports.
  if (arfPart) {
    const feedbackType = field(arf, 'feedback-type')?.toLowerCase().split(/[\s;]/)[0];
    if (!feedbackType) return withVerp({ kind: 'unknown', reason: 'incomplete-report', detail: 'feedback report without a Feedback-Type' });
    if (!COMPLAINT_TYPES.has(feedbackType)) {
      return withVerp({ kind: 'unknown', reason: 'feedback-not-a-complaint', detail: `Feedback-Type ${feedbackType} is not a complaint`, feedbackType });
    }
    const recipient = addressOf(field(arf, 'original-rcpt-to')) ?? addressOf(field(originalHeaders, 'to'));
    const originalMessageId = messageIdOf(field(originalHeaders, 'message-id'));
    return withVerp({
      kind: 'complaint',
      feedbackType,
      ...(recipient ? { recipient } : {}),
      ...(originalMessageId ? { originalMessageId } : {}),
      ...optional('userAgent', field(arf, 'user-agent')),
      ...optional('sourceIp', field(arf, 'source-ip')),
      ...optional('arrivalDate', field(arf, 'arrival-date') ?? field(arf, 'received-date')),
    });
  }

  // 5. Delivery status notifications.
  if (dsnPart) {
    const groups = readFieldGroups(textOf(dsnPart));
    const perMessage = groups.find((g) => !g.has('final-recipient') && !g.has('action'));
    const recipients = groups.filter((g) => g.has('final-recipient') || g.has('original-recipient'));
    if (recipients.length === 0) return withVerp({ kind: 'unknown', reason: 'incomplete-report', detail: 'delivery-status part names no recipient' });
    const failures = recipients.map(readRecipient).filter((r): r is RecipientFailure => r !== null && r.recipient !== undefined);
    const chosen = failures.find((f) => f.severity === 'hard') ?? failures[0];
    if (!chosen) return withVerp({ kind: 'unknown', reason: 'delivery-success', detail: 'the report says the message was delivered or relayed' });
    const originalMessageId =
      messageIdOf(field(originalHeaders, 'message-id')) ?? messageIdOf(field(perMessage, 'x-original-message-id')) ?? messageIdOf(field(top, 'x-original-message-id'));
    const reportingMta = field(perMessage, 'reporting-mta')?.replace(/^dns\s*;\s*/i, '');
    return withVerp({
      kind: 'bounce',
      severity: chosen.severity,
      recipient: chosen.recipient!,
      ...(chosen.originalRecipient && chosen.originalRecipient.toLowerCase() !== chosen.recipient!.toLowerCase() ? { originalRecipient: chosen.originalRecipient } : {}),
      status: chosen.status,
      statusCategory: chosen.status ? (CATEGORIES[Number(chosen.status.split('.')[1])] ?? 'other') : 'other',
      action: chosen.action,
      diagnostic: chosen.diagnostic,
      ...(reportingMta ? { reportingMta } : {}),
      ...(originalMessageId ? { originalMessageId } : {}),
    });
  }

  // 6. Auto-replies.
  if (isAutoReply(top, mail.subject ?? '')) {
    const from = addressOf(field(top, 'from'));
    const inReplyTo = messageIdOf(field(top, 'in-reply-to'));
    return withVerp({
      kind: 'auto-reply',
      ...(from ? { from } : {}),
      ...(mail.subject ? { subject: mail.subject } : {}),
      ...(inReplyTo ? { inReplyTo } : {}),
    });
  }

  // 7. Anything else.
  return withVerp({ kind: 'unknown', reason: 'not-a-report', detail: 'no delivery-status or feedback-report part, and no auto-reply header' });
}

const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});

interface RecipientFailure {
  recipient: string | undefined;
  originalRecipient: string | undefined;
  severity: BounceSeverity;
  status: string | null;
  action: string | null;
  diagnostic: string | null;
}

/** One per-recipient group: its failure, or null when it reports a success. */
function readRecipient(group: FieldGroup): RecipientFailure | null {
  const action = field(group, 'action')?.toLowerCase().split(/[\s;(]/)[0] ?? null;
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') return null;
  const diagnostic = field(group, 'diagnostic-code')?.replace(/^[a-z0-9-]+\s*;\s*/i, '') || null;
  const status = statusOf(field(group, 'status')) ?? statusOf(diagnostic ?? undefined) ?? replyCodeStatus(diagnostic);
  if (status?.startsWith('2')) return null;
  if (status === null && action !== 'failed' && action !== 'delayed') return null;
  // delayed: still queued, so never more than soft; otherwise the status class decides, and a
  // failure without any code counts as soft rather than killing an address on no evidence.
  const severity: BounceSeverity = action === 'delayed' ? 'soft' : status?.startsWith('5') ? 'hard' : 'soft';
  const finalRecipient = addressOf(field(group, 'final-recipient'));
  const originalRecipient = addressOf(field(group, 'original-recipient'));
  return { recipient: finalRecipient ?? originalRecipient, originalRecipient, severity, status, action, diagnostic };
}

/** An enhanced status code (class.subject.detail) at the start of a Status field or anywhere in a diagnostic. */
function statusOf(value: string | undefined): string | null {
  if (!value) return null;
  const m = /(?:^|[\s;(-])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/.exec(` ${value}`);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

/** A basic SMTP reply code at the start of a diagnostic, as the generic enhanced code of its class. */
function replyCodeStatus(diagnostic: string | null): string | null {
  const m = diagnostic ? /^([245])\d\d(?:[\s-]|$)/.exec(diagnostic) : null;
  return m ? `${m[1]}.0.0` : null;
}

const OUT_OF_OFFICE =
  /^(?:(?:re|aw|sv|vs|antw|fw|fwd)\s*:\s*)*(?:auto(?:matic)?[\s-]*(?:reply|response|answer)|autoreply|out of (?:the )?office|ooo\b|abwesenheit|automatische antwort|r[ée]ponse automatique|absence|respuesta autom[áa]tica|fuori sede|risposta automatica|automatisch antwoord|afwezig|autosvar|frånvaro)/i;

/** RFC 3834 and the common non-standard auto-reply headers; a subject only backs up a weaker header. */
function isAutoReply(top: FieldGroup, subject: string): boolean {
  const autoSubmitted = field(top, 'auto-submitted')?.toLowerCase().split(/[\s;]/)[0];
  const precedence = (field(top, 'precedence') ?? field(top, 'x-precedence'))?.toLowerCase().trim();
  const strong =
    autoSubmitted === 'auto-replied' ||
    top.has('x-autoreply') ||
    top.has('x-autorespond') ||
    top.has('x-autoresponder') ||
    precedence === 'auto_reply' ||
    precedence === 'auto-reply';
  if (strong) return true;
  const weak =
    (autoSubmitted !== undefined && autoSubmitted !== 'no') ||
    precedence === 'bulk' ||
    precedence === 'junk' ||
    precedence === 'list' ||
    top.has('x-auto-response-suppress');
  return weak && OUT_OF_OFFICE.test(subject.trim());
}

/** Step 3: the first address shaped like ours, in order of trust, with its token checked. */
function findVerp(opts: ClassifyOptions, top: FieldGroup, original: FieldGroup | undefined, arf: FieldGroup | undefined): VerpFinding | undefined {
  const { secretKey, bounceDomain } = opts;
  if (!secretKey || !bounceDomain) return undefined;
  const candidates: (string | undefined)[] = [
    ...(opts.envelopeRecipients ?? []),
    ...['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'to'].flatMap((h) => (top.get(h) ?? []).flatMap(splitAddresses)),
    ...(original?.get('return-path') ?? []).map(addressOf),
    addressOf(field(arf, 'original-mail-from')),
  ];
  for (const c of candidates) {
    if (c && looksLikeVerpAddress(bounceDomain, c)) {
      const address = c.trim().replace(/^<(.*)>$/, '$1');
      return { address, target: readVerpAddress(secretKey, bounceDomain, address) };
    }
  }
  return undefined;
}

const splitAddresses = (value: string) =>
  value
    .split(',')
    .map((v) => addressOf(v))
    .filter((v): v is string => v !== undefined);
