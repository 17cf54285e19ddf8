/**
 * Builds the raw RFC 5322 message for one delivery: headers (CR/LF from data never reach
 * them), a text/plain and a text/html part, both quoted-printable. nodemailer then gets
 * the finished bytes (`raw`) and only moves them. create-issue-composer.ts feeds it bodies
 * that were mostly encoded once per issue.
 */
import { createHash } from 'node:crypto';
import * as qp from 'nodemailer/lib/qp';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';

/** Issue-level settings, the same for every message of one issue. */
export interface MessageBuilderOptions {
  issueId: string;
  from: string;
  listId: string;
  /** Optional mailto: address offered next to the one-click URL. */
  unsubscribeMailto?: string;
}

/** The per-subscriber parts of one message. */
export interface MessageParts {
  to: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  unsubscribeUrl: string;
  date: Date;
  /** Extra headers (name → value); values are sanitized like every other header. */
  headers?: Record<string, string>;
}

/** Removes anything that could end a header line or smuggle a new one. */
export function sanitizeHeaderValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return value.replace(/[\r\n\t\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Formats an address with an optional display name, RFC 2047-encoding the name when needed. */
export function formatAddress(email: string, name: string | null): string {
  const address = sanitizeHeaderValue(email);
  const display = name ? sanitizeHeaderValue(name) : '';
  if (!display) return address;
  // atext and spaces need no quoting; anything else (commas, quotes, dots) is quoted first.
  const phrase = /^[A-Za-z0-9 !#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+$/.test(display) ? display : mimeFuncs.quoteString(display);
  return `${mimeFuncs.encodeWords(phrase, 'Q', 52)} <${address}>`;
}

/** Parses "Name <addr>" or "addr" into its two parts. */
export function parseAddress(value: string): { name: string | null; email: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (!m) return { name: null, email: value.trim() };
  return { name: m[1]!.replace(/^"|"$/g, '') || null, email: m[2]!.trim() };
}

/** RFC 5322 date, e.g. "Thu, 11 Dec 2025 07:00:00 +0000". */
export function formatMailDate(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** A message whose two bodies are already quoted-printable encoded (see create-issue-composer.ts). */
export interface EncodedParts extends Omit<MessageParts, 'html' | 'text'> {
  /** The encoded body, whole or as consecutive pieces. */
  htmlBody: Buffer | Buffer[];
  textBody: Buffer | Buffer[];
}

/**
 * Messages this module built (a Buffer, or an array of Buffers that are the message in
 * order): CRLF line ends only and no line that starts with a dot, so they can go on the
 * wire as they are. A WeakSet, so it holds nothing alive.
 */
export const wireFormMessages = new WeakSet<object>();

/** Builds messages of one issue: from plain parts, or from bodies already encoded. */
export interface MessageBuilder {
  (parts: MessageParts): Buffer;
  encoded(parts: EncodedParts): Buffer;
  /**
   * The message as pieces, not joined: a newsletter's body is mostly Buffers shared by every
   * copy, and joining them would allocate and copy the whole message once more per subscriber.
   */
  encodedPieces(parts: EncodedParts): Buffer[];
}

/**
 * Encodes one line of a body as quoted-printable (soft-wrapped at 76). The result is in wire
 * form: a stray CR is encoded, and a dot that would start a line is written =2E, so the
 * message needs no SMTP dot-stuffing and no line-end repair (see create-smtp-pool-transport.ts).
 */
export function encodeQpLine(line: string): string {
  return qp.wrap(qp.encode(line), 76).replace(/\r(?!\n)/g, '=0D').replace(/(^|\n)\./g, '$1=2E');
}

/** Encodes a body as quoted-printable, line by line, with CRLF line ends. */
export function encodeQuotedPrintable(body: string): string {
  return body.split(/\r?\n/).map(encodeQpLine).join('\r\n');
}

/** Returns a builder for the messages of one issue. */
export function createMessageBuilder(options: MessageBuilderOptions): MessageBuilder {
  // "=_" cannot occur in quoted-printable output, so the boundary can never collide with a body line.
  const boundary = `=_paperpost_${createHash('sha256').update(options.issueId).digest('hex').slice(0, 24)}`;
  const from = sanitizeHeaderValue(options.from);
  const fromParsed = parseAddress(from);
  const fromHeader = formatAddress(fromParsed.email, fromParsed.name);
  const listIdHeader = `paperpost <${sanitizeHeaderValue(options.listId)}>`;
  const mailto = options.unsubscribeMailto
    ? `, <mailto:${sanitizeHeaderValue(options.unsubscribeMailto)}?subject=unsubscribe>`
    : '';
  const partHead = (type: string) =>
    Buffer.from(`--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`);
  const textHead = partHead('text/plain');
  const htmlHead = Buffer.concat([Buffer.from('\r\n'), partHead('text/html')]);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);

  const line = (name: string, value: string) => mimeFuncs.foldLines(`${name}: ${value}`, 76);
  // The lines every message of the issue shares, folded once; the subject lines of the last few seen, the date line of the last second.
  const fromLine = line('From', fromHeader);
  const listIdLine = line('List-Id', listIdHeader);
  const lastLines = `${line('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click')}\r\n`;
  const mimeLines = `${line('MIME-Version', '1.0')}\r\n${line('Content-Type', `multipart/alternative; boundary="${boundary}"`)}\r\n\r\n`;
  const subjectLines = new Map<string, string>();
  let dateLine = { at: Number.NaN, line: '' };
  const head = (parts: Omit<MessageParts, 'html' | 'text'>) => {
    let subject = subjectLines.get(parts.subject);
    if (subject === undefined) {
      subject = line('Subject', mimeFuncs.encodeWords(sanitizeHeaderValue(parts.subject), 'Q', 52));
      if (subjectLines.size < 1024) subjectLines.set(parts.subject, subject);
    }
    // The Date header counts whole seconds: messages made within one share its line.
    const second = Math.floor(parts.date.getTime() / 1000);
    if (dateLine.at !== second) dateLine = { at: second, line: line('Date', formatMailDate(parts.date)) };
    let text =
      `${fromLine}\r\n${line('To', formatAddress(parts.to, parts.toName))}\r\n${subject}\r\n${dateLine.line}\r\n` +
      `${line('Message-ID', sanitizeHeaderValue(parts.messageId))}\r\n${listIdLine}\r\n` +
      `${line('List-Unsubscribe', `<${sanitizeHeaderValue(parts.unsubscribeUrl)}>${mailto}`)}\r\n${lastLines}`;
    for (const [name, value] of Object.entries(parts.headers ?? {})) {
      if (/^[A-Za-z0-9-]+$/.test(name)) text += `${line(name, mimeFuncs.encodeWords(sanitizeHeaderValue(value), 'Q', 52))}\r\n`;
    }
    return Buffer.from(text + mimeLines, 'utf8');
  };

  const list = (b: Buffer | Buffer[]) => (Buffer.isBuffer(b) ? [b] : b);
  const encodedPieces = (parts: EncodedParts) => {
    const pieces = [head(parts), textHead, ...list(parts.textBody), htmlHead, ...list(parts.htmlBody), tail];
    wireFormMessages.add(pieces);
    return pieces;
  };
  const encoded = (parts: EncodedParts) => {
    const raw = Buffer.concat(encodedPieces(parts));
    wireFormMessages.add(raw);
    return raw;
  };
  const builder = (parts: MessageParts) =>
    encoded({
      ...parts,
      textBody: Buffer.from(encodeQuotedPrintable(parts.text), 'utf8'),
      htmlBody: Buffer.from(encodeQuotedPrintable(parts.html), 'utf8'),
    });
  return Object.assign(builder, { encoded, encodedPieces });
}
