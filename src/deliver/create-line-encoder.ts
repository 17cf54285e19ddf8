/**
 * Encodes one long body line that carries personal values (a minified HTML body is often a
 * single 50 KB line with the name and both links in it) without re-encoding the whole line
 * for every subscriber. The bytes are exactly encodeQpLine(the filled line) (build-message.ts):
 * nodemailer's quoted-printable encoding, soft-wrapped at 76 by nodemailer's `wrap`, stray CRs
 * and line-leading dots escaped. That rests on two facts about them:
 *
 * - the encoding is byte by byte (only whitespace before a line end depends on the next byte),
 *   so the fixed text between values is encoded once;
 * - `wrap` is greedy: each output line is decided by the 76 characters from where it starts
 *   (and by whether more follows), so inside a fixed stretch the soft breaks depend only on
 *   where the first line in it starts, not on the values before it.
 *
 * So, per fixed stretch:
 * 1. encode it once;
 * 2. wrap it from the first start offset asked for, and keep that output (one Buffer) with
 *    where each of its lines starts;
 * 3. from any other start offset, wrap line by line until a line starts where a kept one
 *    does (greedy breaks snap to the same spaces, so this is usually a line or two), then
 *    reuse the kept output from there: a subarray, no copy.
 * Per message, only the few lines around each value are wrapped for real.
 */
import * as qp from 'nodemailer/lib/qp';

const LINE = 76;
const MARGIN = Math.floor(LINE / 3);
const SOFT_BREAK = '=\r\n';

/**
 * One iteration of nodemailer's qp.wrap at a line start: how many characters of `window`
 * (the 76 characters from there) the output line takes, given `rest` characters left in the
 * whole string. A soft break follows when the line is not the last (take < rest). Input has no
 * line breaks (one body line), so wrap's CRLF and LF branches never apply.
 */
function step(window: string, rest: number): number {
  let line = window;
  let m: RegExpExecArray | RegExpMatchArray | null;
  if (line.length > LINE - MARGIN && (m = /[ \t.,!?][^ \t.,!?]*$/.exec(line.slice(-MARGIN)))) {
    line = line.slice(0, line.length - (m[0].length - 1));
  } else if (/[=][\da-f]{0,2}$/i.test(line)) {
    if ((m = /[=][\da-f]{0,1}$/i.exec(line))) line = line.slice(0, line.length - m[0].length);
    while (line.length > 3 && line.length < rest && !/^(?:=[\da-f]{2}){1,4}$/i.test(line) && (m = line.match(/[=][\da-f]{2}$/gi))) {
      const code = parseInt(m[0].slice(1, 3), 16);
      if (code < 128) break;
      line = line.slice(0, line.length - 3);
      if (code >= 0xc0) break;
    }
  }
  if (!line.length) line = window;
  if (line.length < rest && line.length === LINE) return /[=][\da-f]{2}$/i.test(line) ? LINE - 3 : LINE - 1;
  return line.length;
}

/** One output line as encodeQpLine writes it: stray CR and a leading dot escaped, soft break added. */
const outputLine = (text: string, soft: boolean) =>
  (text.includes('\r') ? text.replace(/\r/g, '=0D') : text).replace(/^\./, '=2E') + (soft ? SOFT_BREAK : '');

/** The kept output of a fixed stretch wrapped from one start offset. */
interface Chain {
  out: Buffer;
  /** Line start (offset in the stretch) → where that line begins in `out`. */
  at: Map<number, number>;
  /** Where the walk stopped: the first line start whose line depends on what follows. */
  end: number;
}

/** A fixed stretch of the line, encoded, with the wraps kept so far. */
class Stretch {
  private readonly chains: Chain[] = [];

  constructor(
    readonly enc: string,
    /** The line's last stretch: nothing follows, so every line in it is known. */
    private readonly last: boolean,
  ) {}

  /** True when the output line starting at `k` depends on this stretch alone. */
  safe(k: number): boolean {
    return this.last ? k < this.enc.length : k + LINE < this.enc.length;
  }

  private lineAt(k: number): { text: string; next: number } {
    // Only whether more follows matters to a line inside a stretch that is not the last.
    const rest = this.last ? this.enc.length - k : Infinity;
    const take = step(this.enc.substr(k, LINE), rest);
    return { text: outputLine(this.enc.substr(k, take), take < rest), next: k + take };
  }

  private walk(k: number): Chain {
    const at = new Map<number, number>();
    let out = '';
    while (this.safe(k)) {
      at.set(k, out.length);
      const line = this.lineAt(k);
      out += line.text;
      k = line.next;
    }
    return { out: Buffer.from(out, 'latin1'), at, end: k };
  }

  /** The output from line start `k` up to the first line that depends on what follows, and where that is. */
  from(k: number, into: (Buffer | string)[]): number {
    if (this.chains.length === 0) this.chains.push(this.walk(k));
    let prefix = '';
    let steps = 0;
    while (this.safe(k)) {
      for (const chain of this.chains) {
        const o = chain.at.get(k);
        if (o !== undefined) {
          if (prefix) into.push(prefix);
          into.push(o === 0 ? chain.out : chain.out.subarray(o));
          return chain.end;
        }
      }
      // A start that does not meet a kept wrap soon gets a wrap of its own (a few at most).
      if (++steps > 8 && this.chains.length < 8) {
        const chain = this.walk(k);
        this.chains.push(chain);
        if (prefix) into.push(prefix);
        into.push(chain.out);
        return chain.end;
      }
      const line = this.lineAt(k);
      prefix += line.text;
      k = line.next;
    }
    if (prefix) into.push(prefix);
    return k;
  }
}

/** True when a value can go between pre-encoded stretches (see encodeParts): else encode the line whole. */
export function isSegmentable(value: string): boolean {
  if (!value) return false;
  const last = value.charCodeAt(value.length - 1);
  return last !== 0x20 && last !== 0x09 && !/[\r\n]/.test(value);
}

/** Encodes the text between values: its last byte is followed by a value (not a line end). */
const encodeFixed = (text: string, followed: boolean) => (followed ? qp.encode(text + 'x').slice(0, -1) : qp.encode(text));

/**
 * Makes the encoder of one line: `fixed` is the text around the values (one more than there
 * are values). The encoder takes the values (each isSegmentable) and returns the encoded line
 * as pieces to be written in order: Buffers shared by every message, and short strings.
 */
export function createLineEncoder(fixed: string[]): (values: string[]) => (Buffer | string)[] {
  const stretches = fixed.map((text, i) => new Stretch(encodeFixed(text, i < fixed.length - 1), i === fixed.length - 1));

  return (values) => {
    // 1. The line as consecutive parts: stretch, value, stretch, … (values encoded now, they are short).
    const parts: { text: string; stretch: Stretch | null; start: number }[] = [];
    let total = 0;
    stretches.forEach((s, i) => {
      if (i > 0) {
        const text = qp.encode(values[i - 1]!);
        parts.push({ text, stretch: null, start: total });
        total += text.length;
      }
      parts.push({ text: s.enc, stretch: s, start: total });
      total += s.enc.length;
    });
    const substr = (from: number, length: number) => {
      let s = '';
      for (const p of parts) {
        if (p.start + p.text.length <= from || !p.text.length) continue;
        if (p.start >= from + length) break;
        s += p.text.slice(Math.max(0, from - p.start), from + length - p.start);
      }
      return s;
    };
    // 2. A short line is not wrapped at all (wrap's own shortcut).
    if (total <= LINE) return [outputLine(substr(0, total), false)];
    // 3. Line by line: stretches from their kept wraps, the lines around values for real.
    const into: (Buffer | string)[] = [];
    let pos = 0;
    let i = 0;
    while (pos < total) {
      while (parts[i]!.start + parts[i]!.text.length <= pos) i++;
      const part = parts[i]!;
      if (part.stretch?.safe(pos - part.start)) {
        pos = part.start + part.stretch.from(pos - part.start, into);
        continue;
      }
      const window = substr(pos, LINE);
      const take = step(window, total - pos);
      into.push(outputLine(window.slice(0, take), take < total - pos));
      pos += take;
    }
    return into;
  };
}
