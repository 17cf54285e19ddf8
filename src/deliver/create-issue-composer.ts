/**
 * Composes each subscriber's raw message of one issue, fast. A newsletter is the same for
 * every subscriber but for a few values (name, links) and the set of themes they follow, so:
 *
 * 1. per variant (themes followed × whether a name is known), render one copy with sentinel
 *    values and split it into lines;
 * 2. quoted-printable-encode the runs of lines without a sentinel once, into Buffers; a line
 *    with sentinels gets a line encoder (create-line-encoder.ts) that keeps the encoded,
 *    soft-wrapped text around the values;
 * 3. per message, encode only the values and the few wrapped lines around them, and hand
 *    over the pieces (shared Buffers and those few bytes) unjoined;
 * 4. check each variant once against a plain render of a real subscriber, and fall back to
 *    encoding the whole body for that variant if a template treats the values in a way the
 *    sentinels cannot follow (the result is then still right, only slower).
 */
import Handlebars from 'handlebars';
import type { Subscriber } from '../types.js';
import { createMessageBuilder, encodeQpLine, encodeQuotedPrintable, type MessageBuilderOptions } from './build-message.js';
import { createLineEncoder, isSegmentable } from './create-line-encoder.js';

/** A subscriber's copy, as a personalize function returns it. */
export interface Copy {
  subject: string;
  html: string;
  text: string;
}

/** What deliverIssue gets back for one subscriber. */
export interface ComposedMessage {
  /** The message as consecutive pieces in wire form (see build-message.ts); join for the bytes. */
  raw: Buffer[];
  subject: string;
  /** The HTML part, computed on demand (the outbox writes it beside the .eml). */
  html: () => string;
}

/** The per-subscriber values that end up in a copy. */
export interface RecipientValues {
  email: string;
  name: string | null;
  themes: string[] | null;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** Inputs: how to render one copy, and the issue-level header settings. */
export interface IssueComposerOptions extends MessageBuilderOptions {
  personalize: (recipient: RecipientValues) => Copy | null;
  /** The values of one subscriber (links carry their signed tokens). */
  valuesFor: (subscriber: Subscriber) => RecipientValues;
}

type Field = 'email' | 'name' | 'unsubscribeUrl' | 'preferencesUrl';
const FIELDS: Field[] = ['email', 'name', 'unsubscribeUrl', 'preferencesUrl'];
const SENTINEL: Record<Field, string> = {
  email: 'pp7sentinel7email@sentinel.invalid',
  name: 'Pp7sentinel7name',
  unsubscribeUrl: 'https://sentinel.invalid/pp7sentinel7unsubscribe',
  preferencesUrl: 'https://sentinel.invalid/pp7sentinel7preferences',
};
const SENTINEL_RE = /pp7sentinel7email@sentinel\.invalid|Pp7sentinel7name|https:\/\/sentinel\.invalid\/pp7sentinel7unsubscribe|https:\/\/sentinel\.invalid\/pp7sentinel7preferences/gi;
const FIELD_OF = new Map(FIELDS.map((f) => [SENTINEL[f].toLowerCase(), f]));

const SIMPLE_NAME = /^(?:[\p{L}\p{M}\p{N}'.-]+(?: [\p{L}\p{M}\p{N}'.-]+)*)?$/u;
const SIMPLE_VALUE = /^[A-Za-z0-9@.:/_~+%-]*$/;

/** A body line with sentinels: the text around them, encoded once, and which value goes where. */
interface PersonalLine {
  fields: Field[];
  fixed: string[];
  encode: (values: string[]) => (Buffer | string)[];
}

/** One part body cut into pre-encoded runs (line breaks included) and lines to fill in. */
type Piece = Buffer | PersonalLine;

interface Variant {
  subject: string;
  /** null: the check failed, encode whole bodies for this variant. */
  html: Piece[] | null;
  text: Piece[] | null;
}

const encodeLine = encodeQpLine;

/** Cuts a sentinel copy into encoded static runs and personal lines. */
function cut(body: string): Piece[] {
  const pieces: Piece[] = [];
  let run = '';
  body.split(/\r?\n/).forEach((line, i) => {
    if (i > 0) run += '\r\n';
    SENTINEL_RE.lastIndex = 0;
    if (!SENTINEL_RE.test(line)) {
      run += encodeLine(line);
      return;
    }
    if (run) pieces.push(Buffer.from(run, 'latin1'));
    run = '';
    const fixed: string[] = [];
    const fields: Field[] = [];
    let last = 0;
    SENTINEL_RE.lastIndex = 0;
    for (const m of line.matchAll(SENTINEL_RE)) {
      fixed.push(line.slice(last, m.index));
      fields.push(FIELD_OF.get(m[0].toLowerCase())!);
      last = m.index + m[0].length;
    }
    fixed.push(line.slice(last));
    pieces.push({ fields, fixed, encode: createLineEncoder(fixed) });
  });
  if (run) pieces.push(Buffer.from(run, 'latin1'));
  return pieces;
}

/** Joins runs of short strings into Buffers, so a message is a few dozen pieces. */
function pushPieces(into: Buffer[], pieces: (Buffer | string)[]): void {
  let text = '';
  for (const p of pieces) {
    if (typeof p === 'string') text += p;
    else {
      if (text) into.push(Buffer.from(text, 'latin1'));
      text = '';
      into.push(p);
    }
  }
  if (text) into.push(Buffer.from(text, 'latin1'));
}

/** Encodes a body the slow, plain way (what `cut` + `fill` must equal). */
const encodeWhole = (body: string) => Buffer.from(encodeQuotedPrintable(body), 'utf8');

/** Makes a composer for one issue. */
export function createIssueComposer(options: IssueComposerOptions) {
  const variants = new Map<string, Variant | null>();
  const build = createMessageBuilder(options);
  const escapeHtml = Handlebars.Utils.escapeExpression;

  const fill = (pieces: Piece[], values: RecipientValues, html: boolean): Buffer[] => {
    const parts: Buffer[] = [];
    for (const p of pieces) {
      if (Buffer.isBuffer(p)) {
        parts.push(p);
        continue;
      }
      const filled = p.fields.map((f) => {
        const v = values[f] ?? '';
        return html ? escapeHtml(v) : v;
      });
      // A value the encoder cannot place (empty, ending in a space) takes the whole line, encoded.
      if (filled.every(isSegmentable)) pushPieces(parts, p.encode(filled));
      else parts.push(Buffer.from(encodeLine(p.fixed.map((f, i) => (i > 0 ? filled[i - 1] : '') + f).join('')), 'utf8'));
    }
    return parts;
  };

  const variantFor = (values: RecipientValues): Variant | null => {
    const key = `${values.name ? 1 : 0}|${values.themes === null ? '*' : [...values.themes].map((t) => t.toLowerCase()).sort().join('\u0000')}`;
    if (variants.has(key)) return variants.get(key)!;
    const sentinel = options.personalize({ ...SENTINEL, name: values.name ? SENTINEL.name : null, themes: values.themes });
    let variant: Variant | null = null;
    if (sentinel) {
      variant = { subject: sentinel.subject, html: cut(sentinel.html), text: cut(sentinel.text) };
      // 4. The check: the cut copy filled with this subscriber's values must equal a plain render.
      const real = options.personalize(values);
      if (!real || real.subject !== sentinel.subject) variant = null;
      else {
        if (!Buffer.concat(fill(variant.html!, values, true)).equals(encodeWhole(real.html))) variant.html = null;
        if (!Buffer.concat(fill(variant.text!, values, false)).equals(encodeWhole(real.text))) variant.text = null;
      }
    }
    variants.set(key, variant);
    return variant;
  };

  /** Returns the raw message for a subscriber, or null when the issue has nothing they follow. */
  return (subscriber: Subscriber, messageId: string, date: Date): ComposedMessage | null => {
    const values = options.valuesFor(subscriber);
    // Values a template might clean, cut or re-case take the plain path; ordinary ones are the fast path.
    const simple = (values.name ?? '').length <= 40 && SIMPLE_NAME.test(values.name ?? '') && SIMPLE_VALUE.test(values.email + values.unsubscribeUrl + values.preferencesUrl);
    const variant = simple ? variantFor(values) : null;
    let copy: Copy | null = null;
    const plain = () => (copy ??= options.personalize(values));
    if (!variant) {
      if (!plain()) return null;
    }
    const subject = variant?.subject ?? plain()!.subject;
    const htmlBody = variant?.html ? fill(variant.html, values, true) : encodeWhole(plain()!.html);
    const textBody = variant?.text ? fill(variant.text, values, false) : encodeWhole(plain()!.text);
    const raw = build.encodedPieces({ to: subscriber.email, toName: subscriber.name, subject, messageId, unsubscribeUrl: values.unsubscribeUrl, date, htmlBody, textBody });
    return { raw, subject, html: () => plain()?.html ?? '' };
  };
}
