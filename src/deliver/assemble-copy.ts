/**
 * Each reader's own copy (issue #20: their picks, their order) assembled from pieces encoded
 * once per issue, so a send where every reader's copy differs still renders no Handlebars or
 * MJML and quoted-printable-encodes no body per reader. render/ gives the copy in parts
 * (render/personalize-issue.ts copyParts): a skeleton (the copy without its cards, which
 * depends on the layout's shape: sections, counts, number of picks) and one card per paper.
 *
 * 1. Per skeleton shape × which values are present: render the skeleton once with a sentinel
 *    in place of each value and a mark in place of each card; cut it at them.
 * 2. Per card × list marker (where the card prints one) × which of its values are present:
 *    render it once with sentinels (its reason, for a pick, is a value too); cut it likewise.
 * 3. Encode every fixed piece once as quoted-printable on its own: its lines, then a soft line
 *    break ("=" CRLF) where the piece ends inside a line. QP is line-based, so a piece encoded
 *    alone is right wherever it lands: block edges are soft breaks, which a reader of the
 *    message never sees (the decoded body is the plain render, byte for byte).
 * 4. Per message: the reader's layout picks the skeleton and the cards; only the values (the
 *    address, the name, the signed links, a feedback link per paper, the "N more papers"
 *    counts of 2 or more, which depend on where the reader's picks came from) are encoded. Pieces
 *    shorter than SHORT_PIECE are joined with the values around them into one run of bytes
 *    (text-slab.ts: runs of many messages share one big slab), so a message goes to the socket
 *    in a few dozen writes; longer ones stay shared.
 * 5. A sample of messages (the first few, the first of each of the first skeletons, then one in CHECK_EVERY)
 *    is decoded and compared with a plain render; a difference (a template that treats a value
 *    in a way sentinels cannot follow) turns assembly off for the issue: every later copy is
 *    rendered and encoded whole, right but slower.
 */
import { hash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { CardRef, CopyLayout, CopyParts } from '../render/personalize-issue.js';
import { cardsOf, MORE_SENTINEL } from '../render/personalize-issue.js';
import { formatCount } from '../plural.js';
import { readerValuesOf, type Recipient } from '../subscribers/recipient.js';
import { encodeQpLine } from './build-message.js';
import { TextSlab, type SlabLease } from './text-slab.js';

type Mode = 'html' | 'text';

/**
 * A value in a piece: by key (`paper`: this card's entry of a value by paper), this card's
 * reason, or section `more`'s "N more papers" count (printed as plural() prints it, or bare).
 */
type ValueRef = { key: string; paper: boolean } | { reason: true } | { more: number; grouped: boolean };
/** A piece of an encoded body: shared bytes (a short piece as ASCII text), a value, or a card's place. */
type Piece = Buffer | string | ValueRef | { card: number };

/** What a card's reason is while its pieces are cut: a sentinel, filled per message. */
const REASON_SENTINEL = 'Pp7sentinel7reason';

interface Skeleton {
  subject: string;
  html: Piece[];
  text: Piece[];
}

/** What assembly needs to know about the values, as the composer's sentinels make them. */
export interface SentinelSet {
  /** The sentinel of a value (of a value by paper when `paper`). */
  sentinelFor(key: string, paper: boolean): string;
}

/** Copies checked against a plain render: every one of the first FIRST_CHECKS, then one in CHECK_EVERY. */
const FIRST_CHECKS = 16;
const CHECK_EVERY = 1024;
/** Bounds on the pieces kept per issue; past them a copy is rendered plainly (right, slower). */
const MAX_SKELETONS = 4096;
const MAX_CARDS = 65_536;
const MAX_ENCODED_BYTES = 64 * 1024 * 1024;

const SOFT_BREAK = '=\r\n';
const CARD_MARK = /\uE010(\d+)\uE011/;
const markOf = (k: number) => `\uE010${k}\uE011`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLAIN_VALUE = /^[A-Za-z0-9@.:/_~+%,;-]+$/;

/** A plain text (PLAIN_VALUE) as a piece: a soft break after every 73 characters, a leading dot escaped. */
function encodePlain(text: string): string {
  if (text.length <= 73) return (text.charCodeAt(0) === 46 ? '=2E' + text.slice(1) : text) + SOFT_BREAK;
  let out = '';
  for (let i = 0; i < text.length; i += 73) {
    const chunk = text.slice(i, i + 73);
    out += (chunk[0] === '.' ? '=2E' + chunk.slice(1) : chunk) + SOFT_BREAK;
  }
  return out;
}

/** One body being assembled: its pieces, shared Buffers and runs of the short text between them. */
interface Body {
  parts: Buffer[];
  /** Short pieces and values since the last shared Buffer, joined. */
  run: string;
  /** The message's hold on the slabs its runs go to (text-slab.ts). */
  lease: SlabLease;
}

const newBody = (lease: SlabLease): Body => ({ parts: [], run: '', lease });

/** Encoded fixed pieces shorter than this are kept as text, joined with the values around them per message. */
const SHORT_PIECE = 1024;

/**
 * Encodes a piece of a body on its own (step 3): its lines as encodeQpLine does, CRLF between
 * them; a piece that ends inside a line ends with a soft break, its last line kept short
 * enough for it.
 */
export function encodePiece(text: string): string {
  if (text === '') return '';
  // A plain value (a link, an address) needs no encoding: a soft break after every 73 characters.
  if (PLAIN_VALUE.test(text)) return encodePlain(text);
  const lines = text.split(/\r?\n/);
  const last = lines.pop()!;
  let out = lines.map((l) => encodeQpLine(l) + '\r\n').join('');
  if (last === '') return out;
  let tail = encodeQpLine(last);
  const cut = tail.lastIndexOf('\n') + 1;
  let end = tail.slice(cut);
  // The soft break's "=" must fit in 76: cut a full last line before an escape, never inside one.
  if (end.length >= 76) {
    let at = 75;
    if (end[at - 1] === '=') at -= 1;
    else if (end[at - 2] === '=') at -= 2;
    const rest = end.slice(at);
    end = end.slice(0, at) + SOFT_BREAK + (rest.startsWith('.') ? '=2E' + rest.slice(1) : rest);
  }
  tail = tail.slice(0, cut) + end;
  out += tail + SOFT_BREAK;
  return out;
}

/** Decodes quoted-printable (what the check compares): soft breaks out, escapes to bytes. */
export function decodeQuotedPrintable(body: Buffer): string {
  const text = body.toString('latin1').replace(/=\r\n/g, '');
  return Buffer.from(text.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/** Makes the assembler of one issue's copies from its parts; `sentinels` are the composer's. */
export function createCopyAssembler(parts: CopyParts, sentinels: SentinelSet) {
  const skeletons = new Map<string, Skeleton | null>();
  /** Per card and mode (card × 2, html first): whether it prints its place, and its pieces by what else it depends on. */
  const cards: { positional: boolean; byKey: Map<string, Piece[]> }[] = [];
  let cardCount = 0;
  /** Numbers for the message shapes (which values present), so card keys stay short. */
  const shapeIds = new Map<string, number>();
  /** Encoded runs of fixed text by their text's SHA-256, shared by skeletons and cards. */
  const encodedText = new Map<string, Buffer | string>();
  /** Where the runs' bytes go: a big slab for many messages, not a Buffer (and now and then a Buffer pool) per run. */
  const slab = new TextSlab();
  /**
   * The body's pieces: long pieces stay shared Buffers, every run of short ones and values
   * between them becomes bytes of the slab. A message then goes to the socket in a few dozen
   * writes, not hundreds, and no copy of the shared pieces is made per message.
   */
  const endBody = (body: Body): Buffer[] => {
    if (body.run) body.parts.push(slab.bytesOf(body.run, body.lease));
    body.run = '';
    return body.parts;
  };
  let encodedBytes = 0;
  let assembled = 0;
  let on = true;

  /** The sentinels of a set of values (and the reason, and "N more" counts) and the pattern that finds them and card marks, made once per set. */
  const patterns = new Map<string, { bySentinel: Map<string, ValueRef>; pattern: RegExp }>();
  const patternOf = (keys: { key: string; paper: boolean }[], reason: boolean, more: readonly number[]) => {
    const id = `${keys.map((k) => `${k.key}${k.paper ? '*' : ''}`).join(',')}${reason ? '+' : ''}|${more.join(',')}`;
    let known = patterns.get(id);
    if (!known) {
      const bySentinel = new Map<string, ValueRef>(keys.map((k) => [sentinels.sentinelFor(k.key, k.paper).toLowerCase(), k]));
      if (reason) bySentinel.set(REASON_SENTINEL.toLowerCase(), { reason: true });
      for (const i of more) {
        bySentinel.set(formatCount(MORE_SENTINEL + i), { more: i, grouped: true });
        bySentinel.set(String(MORE_SENTINEL + i), { more: i, grouped: false });
      }
      const alternatives = [...bySentinel.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      known = { bySentinel, pattern: new RegExp([...alternatives, CARD_MARK.source].join('|'), 'gi') };
      patterns.set(id, known);
    }
    return known;
  };

  /** Cuts a rendered piece at the sentinels (of `keys`, of the "N more" counts of sections `more`) and card marks, and encodes what lies between. */
  const cutInto = (rendered: string, keys: { key: string; paper: boolean }[], reason = false, more: readonly number[] = []): Piece[] => {
    const { bySentinel, pattern } = patternOf(keys, reason, more);
    const pieces: Piece[] = [];
    let last = 0;
    const fixed = (text: string) => {
      if (text === '') return;
      // Skeletons of different shapes share most of their text: each run is encoded once. Keyed
      // by a digest, so the map holds no slice of a rendered copy (which would keep it all alive).
      const key = hash('sha256', text, 'base64');
      let encoded = encodedText.get(key);
      if (encoded === undefined) {
        const bytes = Buffer.from(encodePiece(text), 'latin1');
        // A short piece as text of its own (from its bytes: no slice of the rendered copy either).
        encoded = bytes.length < SHORT_PIECE ? bytes.toString('latin1') : bytes;
        if (encodedBytes < MAX_ENCODED_BYTES) {
          encodedText.set(key, encoded);
          encodedBytes += encoded.length;
        }
      }
      pieces.push(encoded);
    };
    for (const m of rendered.matchAll(pattern)) {
      fixed(rendered.slice(last, m.index));
      pieces.push(m[1] !== undefined ? { card: Number(m[1]) } : bySentinel.get(m[0].toLowerCase())!);
      last = m.index + m[0].length;
    }
    fixed(rendered.slice(last));
    return pieces;
  };

  /** The recipient with sentinels for its values (for the card of `paperId`, its entry of each value by paper). */
  const standIn = (recipient: Recipient, paperId: string | null) => {
    const out: Record<string, unknown> = { ...recipient };
    const keys: { key: string; paper: boolean }[] = [];
    for (const [key, value] of readerValuesOf(recipient)) {
      if (value === null || value === '') continue;
      if (typeof value === 'string') {
        out[key] = sentinels.sentinelFor(key, false);
        keys.push({ key, paper: false });
      } else if (paperId !== null && typeof value[paperId] === 'string' && value[paperId] !== '') {
        out[key] = { [paperId]: sentinels.sentinelFor(key, true) };
        keys.push({ key, paper: true });
      } else {
        out[key] = {};
      }
    }
    return { recipient: out as Recipient, keys };
  };

  /** Which values of a message are present (a skeleton or card differs by that): once per message. */
  const presenceOf = (recipient: Recipient) => {
    let shape = '';
    const byPaper: Readonly<Record<string, string>>[] = [];
    for (const [key, value] of readerValuesOf(recipient)) {
      if (value !== null && typeof value === 'object') {
        byPaper.push(value);
        shape += `${key}:|`;
      } else shape += value ? `${key}|` : `${key}-|`;
    }
    let shapeId = shapeIds.get(shape);
    if (shapeId === undefined) shapeIds.set(shape, (shapeId = shapeIds.size));
    /** Per card of the copy (by its place), what ofCard said: both bodies ask. */
    const known: string[] = [];
    /** For the card at place `k`: which values by paper it has, after the message's shape (by its number). */
    const ofCard = (k: number, paperId: string) => {
      let bits = known[k];
      if (bits === undefined) {
        bits = `${shapeId}|`;
        for (const v of byPaper) bits += v[paperId] ? '1' : '0';
        known[k] = bits;
      }
      return bits;
    };
    return { shape, ofCard };
  };
  type Presence = ReturnType<typeof presenceOf>;

  // 1.
  /** True when the copy being assembled uses a skeleton made just now: it is checked. */
  let fresh = false;
  const skeletonOf = (layout: CopyLayout, recipient: Recipient, presence: Presence): Skeleton | null => {
    const key = `${parts.skeletonKey(layout)}#${presence.shape}`;
    let skeleton = skeletons.get(key);
    if (skeleton !== undefined) return skeleton;
    if (skeletons.size >= MAX_SKELETONS) return null;
    fresh = true;
    const { recipient: sentinel, keys } = standIn(recipient, null);
    const copy = parts.skeleton(layout, sentinel, (k) => markOf(k));
    // Sections whose "N more" count is a value (2 or more: personalize-issue.ts MORE_SENTINEL).
    const more = layout.more.flatMap((m, i) => (m >= 2 ? [i] : []));
    skeleton = { subject: copy.subject, html: cutInto(copy.html, keys, false, more), text: cutInto(copy.text, keys, false, more) };
    skeletons.set(key, skeleton);
    return skeleton;
  };

  // 2.
  const cardOf = (k: number, ref: CardRef, recipient: Recipient, presence: Presence, mode: Mode): Piece[] | null => {
    // The list marker and indent only where the card prints them; the reason is a value.
    const slot = ref.card * 2 + (mode === 'html' ? 0 : 1);
    let ofThis = cards[slot];
    if (!ofThis) cards[slot] = ofThis = { positional: parts.positional(ref.card, mode), byKey: new Map() };
    const key = `${ofThis.positional ? `${ref.marker}|${ref.indent}` : ''}|${ref.reason === null ? 0 : 1}|${presence.ofCard(k, ref.paperId)}`;
    const known = ofThis.byKey.get(key);
    if (known) return known;
    if (cardCount >= MAX_CARDS) return null;
    cardCount++;
    const { recipient: sentinel, keys } = standIn(recipient, ref.paperId);
    const pieces = cutInto(parts.card({ ...ref, reason: ref.reason === null ? null : REASON_SENTINEL }, sentinel, mode), keys, ref.reason !== null);
    ofThis.byKey.set(key, pieces);
    return pieces;
  };

  const escapeHtml = Handlebars.Utils.escapeExpression;
  /** A value, encoded (a plain value needs neither escaping nor encoding beyond its soft breaks). */
  const encodeValue = (v: string, mode: Mode) => (PLAIN_VALUE.test(v) ? encodePlain(v) : encodePiece(mode === 'html' ? escapeHtml(v) : v));
  /** Reasons encoded, by mode and reason: many readers share each. */
  const reasons = { html: new Map<string, string>(), text: new Map<string, string>() };
  const encodeReason = (v: string, mode: Mode) => {
    const known = reasons[mode];
    let encoded = known.get(v);
    if (encoded === undefined) {
      encoded = encodeValue(v, mode);
      if (known.size >= 10_000) known.clear();
      known.set(v, encoded);
    }
    return encoded;
  };
  /** The "N more" counts of the copy being assembled. */
  let moreNow: readonly number[] = [];
  const valueOf = (recipient: Recipient, piece: ValueRef, card: CardRef | null, mode: Mode): string => {
    if ('reason' in piece) return card?.reason ? encodeReason(card.reason, mode) : '';
    // Digits and commas: a plain value, encoded as every value is (a soft break after it).
    if ('more' in piece) return encodePlain(piece.grouped ? formatCount(moreNow[piece.more] ?? 0) : String(moreNow[piece.more] ?? 0));
    const value = (recipient as unknown as Record<string, string | Record<string, string> | null>)[piece.key];
    const v = piece.paper ? ((value as Record<string, string> | null)?.[card?.paperId ?? ''] ?? '') : ((value as string | null) ?? '');
    return v === '' ? '' : encodeValue(v, mode);
  };

  // 4.
  const fill = (pieces: Piece[], recipient: Recipient, presence: Presence, refs: readonly CardRef[], mode: Mode, current: CardRef | null, into: Body): boolean => {
    for (const p of pieces) {
      if (typeof p === 'string') into.run += p;
      else if (Buffer.isBuffer(p)) {
        if (into.run) into.parts.push(slab.bytesOf(into.run, into.lease));
        into.run = '';
        into.parts.push(p);
      } else if ('card' in p) {
        const ref = refs[p.card];
        const card = ref && cardOf(p.card, ref, recipient, presence, mode);
        if (!card || !fill(card, recipient, presence, refs, mode, ref, into)) return false;
      } else {
        into.run += valueOf(recipient, p, current, mode);
      }
    }
    return true;
  };

  /**
   * The encoded bodies and subject of a recipient's copy, laid out as `layout`; null when it
   * must be rendered plainly (assembly off, or past the bounds). `plain` renders it for the check.
   * Release `lease` when the bodies' bytes are spent (sent): their slab space is then reused.
   */
  return (layout: CopyLayout, recipient: Recipient, plain: () => { subject: string; html: string; text: string } | null) => {
    if (!on) return null;
    const presence = presenceOf(recipient);
    const skeleton = skeletonOf(layout, recipient, presence);
    if (!skeleton) return null;
    const refs = cardsOf(layout);
    moreNow = layout.more;
    const lease = slab.lease();
    const htmlBody = newBody(lease);
    const textBody = newBody(lease);
    if (!fill(skeleton.html, recipient, presence, refs, 'html', null, htmlBody) || !fill(skeleton.text, recipient, presence, refs, 'text', null, textBody)) {
      lease.release();
      return null;
    }
    const html = endBody(htmlBody);
    const text = endBody(textBody);
    // 5.
    assembled++;
    if ((fresh && skeletons.size <= FIRST_CHECKS) || assembled <= FIRST_CHECKS || assembled % CHECK_EVERY === 0) {
      fresh = false;
      const want = plain();
      const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
      if (!want || want.subject !== skeleton.subject || decodeQuotedPrintable(Buffer.concat(html)) !== crlf(want.html) || decodeQuotedPrintable(Buffer.concat(text)) !== crlf(want.text)) {
        on = false;
        lease.release();
        return null;
      }
    }
    return { subject: skeleton.subject, html, text, lease };
  };
}
