/**
 * Composes each subscriber's raw message of one issue, fast: the hot path of a send. A
 * newsletter is the same for every reader but for their per-reader values (address, name,
 * signed links, and whatever subscribers/reader-values.ts adds) and their copy plan (the topics
 * they follow, which with the issue's length budget decide the papers shown; later their
 * picks), so:
 *
 * 1. per variant, that is per copy plan (copyPlanKey) × which values are present (a template may
 *    branch on a name or on any value), render one copy with a sentinel in place of each value
 *    and split it into lines;
 * 2. quoted-printable-encode the runs of lines without a sentinel once, into Buffers; a line
 *    with sentinels gets a line encoder (create-line-encoder.ts) that keeps the encoded,
 *    soft-wrapped text around the values;
 * 3. per message, encode only the values and the few wrapped lines around them, and hand
 *    over the pieces (shared Buffers and those few bytes) unjoined;
 * 4. check each variant once against a plain render of a real subscriber, and fall back to
 *    encoding the whole body for that variant if a template treats the values in a way the
 *    sentinels cannot follow (the result is then still right, only slower).
 * 5. decide at once whether the reader gets a copy and which (their recipient, layout or
 *    variant), and encode it only when the dispatcher first reads its bytes: a batch is
 *    composed ahead of sending, and bytes made then would outlive the young generation and
 *    wait for a full collection (peak RSS); made as they go out, they die young.
 * 6. an assembled copy's per-message bytes sit in shared slabs (text-slab.ts); the dispatcher
 *    releases a message once the server accepted it, and its slab space is written again.
 *
 * A reader with a plan of their own (issue #20: "Picked for you", their order) has a copy no
 * other reader shares, so variants would be one per reader; and a copy with a value per paper
 * (the feedback links) has a value at every paper. Such copies are assembled instead from a
 * skeleton per layout shape and a card per paper, each encoded once (assemble-copy.ts), when
 * the issue has them (`parts`, render/personalize-issue.ts copyParts): per message only the
 * values are encoded.
 *
 * The composer knows no value by name (but for the List-Unsubscribe header's unsubscribeUrl):
 * it takes every per-reader value of the Recipient (subscribers/recipient.ts) by its key, and a
 * value that repeats per paper (an object by paper id) gets a sentinel per paper. So a new
 * per-reader value, or per-paper links signed per reader, reach the wire with no change here;
 * per-reader content that changes what a copy shows enters through copyPlanKey(), which is
 * what the variant cache is keyed by.
 */
import Handlebars from 'handlebars';
import type { CopyParts } from '../render/personalize-issue.js';
import { copyPlanKey, isEmptyPlan, readerValuesOf, type Recipient, type ReaderValue } from '../subscribers/recipient.js';
import type { Subscriber } from '../types.js';
import { createMessageBuilder, encodeQpLine, encodeQuotedPrintable, type MessageBuilderOptions } from './build-message.js';
import { createCopyAssembler } from './assemble-copy.js';
import type { SlabLease } from './text-slab.js';
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
  readonly raw: Buffer[];
  readonly subject: string;
  /** The HTML part, computed on demand (the outbox writes it beside the .eml). */
  html: () => string;
  /**
   * The bytes were accepted and will not be read again (step 6): the space they took may be
   * reused. Reading `raw` after this is an error. Optional: a message not released is left to
   * the garbage collector.
   */
  release?: () => void;
}

/**
 * A message whose bytes are made when they are first read (step 5): the composer decides at
 * once whether the reader gets a copy and which, and encodes it when the dispatcher sends it.
 */
function encodedWhenRead(encode: () => { raw: Buffer[]; subject: string; lease?: SlabLease }, html: () => string): ComposedMessage {
  let made: { raw: Buffer[]; subject: string; lease?: SlabLease } | null = null;
  let released = false;
  const bytes = () => {
    if (released) throw new Error('a message was read after it was released (a bug in paperpost)');
    return (made ??= encode());
  };
  return {
    get raw() {
      return bytes().raw;
    },
    get subject() {
      return bytes().subject;
    },
    html,
    release() {
      released = true;
      made?.lease?.release();
      made = null;
    },
  };
}

/** Inputs: how to render one copy, and the issue-level header settings. */
export interface IssueComposerOptions extends MessageBuilderOptions {
  personalize: (recipient: Recipient) => Copy | null;
  /** The recipient of one subscriber's copy (subscribers/recipient.ts: recipientFor). */
  recipientFor: (subscriber: Subscriber) => Recipient;
  /** The issue's copy in parts (render/personalize-issue.ts copyParts), to assemble the copies of readers with a plan; absent: they are rendered plainly. */
  parts?: CopyParts | null;
}

/**
 * The sentinel of a value (of one paper's entry, for a value that repeats per paper): text a
 * template prints unchanged, that HTML escaping leaves alone and that cannot occur in an issue.
 * The address and the name keep the sentinels they have always had.
 */
function sentinelFor(key: string, paper: number | null): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error(`per-reader value key ${JSON.stringify(key)} is not an identifier`);
  if (paper === null && key === 'email') return 'pp7sentinel7email@sentinel.invalid';
  if (paper === null && key === 'name') return 'Pp7sentinel7name';
  const tag = paper === null ? '' : `7p${paper}p`;
  return key.endsWith('Url') ? `https://sentinel.invalid/pp7sentinel7${key.slice(0, -3).toLowerCase()}${tag}` : `Pp7sentinel7${key}${tag}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SIMPLE_NAME = /^(?:[\p{L}\p{M}\p{N}'.-]+(?: [\p{L}\p{M}\p{N}'.-]+)*)?$/u;
const SIMPLE_VALUE = /^[A-Za-z0-9@.:/_~+%-]*$/;

/** True when templates print the value as it is (so the fast path is exact): plain words, or a plain address or URL. */
const isSimple = (key: string, value: string) =>
  key === 'email' || key.endsWith('Url') ? SIMPLE_VALUE.test(value) : value.length <= 40 && SIMPLE_NAME.test(value);

/** A body line with sentinels: the text around them, encoded once, and which value goes where. */
interface PersonalLine {
  /** Indices into the message's values, in order of appearance. */
  fields: number[];
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

/** Where the values sit in a sentinel copy: a pattern for every sentinel, and which value each one is. */
interface SentinelMap {
  pattern: RegExp;
  index: Map<string, number>;
}

/**
 * One message's per-reader values, flattened in order (a value by paper gives one per paper),
 * the shape of the variant they need (which keys, which present, which papers, and the copy
 * plan), and whether they are all simple.
 */
function flatten(recipient: Recipient): { values: string[]; shape: string; simple: boolean; perPaper: boolean } {
  const values: string[] = [];
  let shape = '';
  let simple = true;
  let perPaper = false;
  for (const [key, value] of readerValuesOf(recipient)) {
    if (value === null || value === '') shape += `${key}-|`;
    else if (typeof value === 'string') {
      shape += `${key}|`;
      values.push(value);
      if (simple && !isSimple(key, value)) simple = false;
    } else {
      const papers = Object.keys(value);
      perPaper ||= papers.length > 0;
      shape += `${key}:${papers.join(',')}|`;
      for (const p of papers) {
        const v = value[p]!;
        values.push(v);
        if (simple && (v === '' || !isSimple(key, v))) simple = false;
      }
    }
  }
  return { values, shape: `${shape}#${copyPlanKey(recipient)}`, simple, perPaper };
}

/** Whether a recipient's values are all simple, and whether some repeat per paper (without flattening them). */
function inspect(recipient: Recipient): { simple: boolean; perPaper: boolean } {
  let simple = true;
  let perPaper = false;
  for (const [key, value] of readerValuesOf(recipient)) {
    if (value === null || value === '') continue;
    if (typeof value === 'string') simple &&= isSimple(key, value);
    else {
      for (const p in value) {
        perPaper = true;
        const v = value[p]!;
        if (simple && (v === '' || !isSimple(key, v))) simple = false;
      }
    }
  }
  return { simple, perPaper };
}

/** The recipient with a sentinel in place of each present value, and where each sentinel sits among the values. */
function withSentinels(recipient: Recipient): { recipient: Recipient; sentinels: SentinelMap } {
  const out: Record<string, unknown> = { ...recipient };
  const all: string[] = [];
  for (const [key, value] of readerValuesOf(recipient)) {
    if (value === null || value === '') continue;
    if (typeof value === 'string') {
      out[key] = sentinelFor(key, null);
      all.push(out[key] as string);
    } else {
      const byPaper: Record<string, string> = {};
      Object.keys(value).forEach((p, i) => all.push((byPaper[p] = sentinelFor(key, i))));
      out[key] = byPaper satisfies ReaderValue;
    }
  }
  // Longest first, so a sentinel that begins another is never matched in its place.
  const pattern = new RegExp([...all].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|') || '(?!)', 'gi');
  const index = new Map(all.map((s, i) => [s.toLowerCase(), i]));
  if (index.size < all.length) throw new Error(`two per-reader values have keys that differ only in case: ${Object.keys(recipient).join(', ')}`);
  return { recipient: out as Recipient, sentinels: { pattern, index } };
}

const encodeLine = encodeQpLine;

/** Cuts a sentinel copy into encoded static runs and personal lines. */
function cut(body: string, { pattern, index }: SentinelMap): Piece[] {
  const pieces: Piece[] = [];
  let run = '';
  body.split(/\r?\n/).forEach((line, i) => {
    if (i > 0) run += '\r\n';
    pattern.lastIndex = 0;
    if (!pattern.test(line)) {
      run += encodeLine(line);
      return;
    }
    if (run) pieces.push(Buffer.from(run, 'latin1'));
    run = '';
    const fixed: string[] = [];
    const fields: number[] = [];
    let last = 0;
    pattern.lastIndex = 0;
    for (const m of line.matchAll(pattern)) {
      fixed.push(line.slice(last, m.index));
      fields.push(index.get(m[0].toLowerCase())!);
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

/** Bounds the variants kept per issue; a copy of a plan beyond them is rendered plainly (right, slower). */
const MAX_VARIANTS = 4096;

/** Encodes a body the slow, plain way (what `cut` + `fill` must equal). */
const encodeWhole = (body: string) => Buffer.from(encodeQuotedPrintable(body), 'utf8');

/** Makes a composer for one issue. */
export function createIssueComposer(options: IssueComposerOptions) {
  const variants = new Map<string, Variant | null>();
  const build = createMessageBuilder(options);
  const parts = options.parts ?? null;
  const assemble = parts ? createCopyAssembler(parts, { sentinelFor: (key, paper) => sentinelFor(key, paper ? 0 : null) }) : null;
  const escapeHtml = Handlebars.Utils.escapeExpression;

  const fill = (pieces: Piece[], values: string[], html: boolean): Buffer[] => {
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

  const variantFor = (recipient: Recipient, flat: { values: string[]; shape: string }): Variant | null => {
    const known = variants.get(flat.shape);
    if (known !== undefined) return known;
    // Past the bound (readers whose plans are all different), a plain render is the cheaper way.
    if (variants.size >= MAX_VARIANTS) return null;
    const { recipient: standIn, sentinels } = withSentinels(recipient);
    const sentinel = options.personalize(standIn);
    let variant: Variant | null = null;
    if (sentinel) {
      variant = { subject: sentinel.subject, html: cut(sentinel.html, sentinels), text: cut(sentinel.text, sentinels) };
      // 4. The check: the cut copy filled with this subscriber's values must equal a plain render.
      const real = options.personalize(recipient);
      if (!real || real.subject !== sentinel.subject) variant = null;
      else {
        if (!Buffer.concat(fill(variant.html!, flat.values, true)).equals(encodeWhole(real.html))) variant.html = null;
        if (!Buffer.concat(fill(variant.text!, flat.values, false)).equals(encodeWhole(real.text))) variant.text = null;
      }
    }
    variants.set(flat.shape, variant);
    return variant;
  };

  /** A reader with a plan: their copy assembled from pieces (values that are not simple, or assembly off: rendered plainly). */
  const assembled = (recipient: Recipient, simple: boolean, messageId: string, date: Date): ComposedMessage | null => {
    const layout = parts!.layout(recipient);
    if (!layout) return null;
    let copy: Copy | null = null;
    const plain = () => (copy ??= options.personalize(recipient));
    // Values that are not simple take the plain render, made now: what it throws (a link that is not http) stops the run as before.
    if (!simple && !plain()) return null;
    return encodedWhenRead(() => {
      const pieces = simple ? assemble!(layout, recipient, plain) : null;
      // A copy has a layout exactly when personalize renders one (both lay it out with render/lay-out-copy.ts).
      if (!pieces && !plain()) throw new Error(`the copy of ${recipient.email} has a layout but no render (a bug in paperpost)`);
      const subject = pieces?.subject ?? plain()!.subject;
      const htmlBody = pieces?.html ?? encodeWhole(plain()!.html);
      const textBody = pieces?.text ?? encodeWhole(plain()!.text);
      return { raw: build.encodedPieces({ to: recipient.email, toName: recipient.name, subject, messageId, unsubscribeUrl: recipient.unsubscribeUrl, date, htmlBody, textBody }), subject, lease: pieces?.lease };
    }, () => plain()?.html ?? '');
  };

  /** Returns the raw message for a subscriber, or null when the issue has nothing they follow. */
  return (subscriber: Subscriber, messageId: string, date: Date): ComposedMessage | null => {
    const recipient = options.recipientFor(subscriber);
    if (assemble) {
      const { simple, perPaper } = inspect(recipient);
      if (perPaper || !isEmptyPlan(recipient.plan)) return assembled(recipient, simple, messageId, date);
    }
    const flat = flatten(recipient);
    // Values a template might clean, cut or re-case take the plain path; ordinary ones are the fast path.
    const variant = flat.simple ? variantFor(recipient, flat) : null;
    let copy: Copy | null = null;
    const plain = () => (copy ??= options.personalize(recipient));
    if (!variant) {
      if (!plain()) return null;
    }
    const subject = variant?.subject ?? plain()!.subject;
    return encodedWhenRead(() => {
      const htmlBody = variant?.html ? fill(variant.html, flat.values, true) : encodeWhole(plain()!.html);
      const textBody = variant?.text ? fill(variant.text, flat.values, false) : encodeWhole(plain()!.text);
      return { raw: build.encodedPieces({ to: recipient.email, toName: recipient.name, subject, messageId, unsubscribeUrl: recipient.unsubscribeUrl, date, htmlBody, textBody }), subject };
    }, () => plain()?.html ?? '');
  };
}
