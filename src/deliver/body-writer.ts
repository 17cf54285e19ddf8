/**
 * Where the per-message bytes of assembled copies go (assemble-copy.ts step 4): about half of
 * a copy is short pieces and values between the long pieces every copy shares (~25 runs, ~50
 * KB on the sample issue). Made as a string and a Buffer per run, they cost a Buffer pool
 * (an ArrayBuffer, the GC's to track) every few runs, and a pass over each string to flatten
 * it. Here they are copied into big slabs instead, each message's runs one after the other:
 *
 * 1. A run is a view of the current slab from where it began to where writing is; a long
 *    shared piece ends the run (it goes out as its own Buffer, uncopied) and the next run
 *    begins after it.
 * 2. Short pieces are Buffers, copied in (a memcpy); values are written character by character
 *    (they are short), as quoted-printable where they need it.
 * 3. A piece that does not fit ends the run and starts a new slab; the old one stays alive
 *    only as long as some message still holds a view of it.
 *
 * Views of a slab are never written again: a message handed to the transport keeps its bytes.
 */

/** Bytes per slab: about twenty messages' runs. */
const SLAB_BYTES = 1 << 20;

const SOFT_BREAK = [0x3d, 0x0d, 0x0a]; // "=\r\n"
/** Characters a plain value may hold (as assemble-copy.ts PLAIN_VALUE): they need no quoted-printable escape. */
const PLAIN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@.:/_~+%,;-') PLAIN[c.charCodeAt(0)] = 1;

/** Writes the bodies of one copy after another; see the file comment. */
export class BodyWriter {
  private slab: Buffer = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private at = 0;
  private start = 0;
  private parts: Buffer[] = [];

  /** Begins a body. */
  begin(): void {
    this.parts = [];
    this.start = this.at;
  }

  /** Step 1: a long piece every copy shares, not copied. */
  shared(piece: Buffer): void {
    this.endRun();
    this.parts.push(piece);
  }

  /** Step 2: a short piece, copied. */
  bytes(piece: Buffer): void {
    this.room(piece.length);
    this.slab.set(piece, this.at);
    this.at += piece.length;
  }

  /** Step 2: text of one byte per character (latin1), as encoded pieces are. */
  text(text: string): void {
    const n = text.length;
    if (n > 256) {
      this.room(n);
      this.at += this.slab.write(text, this.at, n, 'latin1');
      return;
    }
    this.room(n);
    const slab = this.slab;
    let at = this.at;
    for (let i = 0; i < n; i++) slab[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /**
   * Step 2: a plain value (PLAIN characters only, not empty) as assemble-copy.ts encodePlain
   * writes it: a soft break after every 73 characters, a dot that starts a line written "=2E".
   * Returns false, having written nothing, for a value that is not plain.
   */
  plain(value: string): boolean {
    const n = value.length;
    if (n === 0) return false;
    // Each 73 characters: at most 2 more for a leading "=2E", and 3 for the soft break.
    this.room(n + 5 * Math.ceil(n / 73));
    const slab = this.slab;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 127 || PLAIN[c] === 0) return false;
      if (i % 73 === 0) {
        if (i > 0) {
          slab[at++] = SOFT_BREAK[0]!;
          slab[at++] = SOFT_BREAK[1]!;
          slab[at++] = SOFT_BREAK[2]!;
        }
        if (c === 0x2e) {
          slab[at++] = 0x3d;
          slab[at++] = 0x32;
          slab[at++] = 0x45;
          continue;
        }
      }
      slab[at++] = c;
    }
    slab[at++] = SOFT_BREAK[0]!;
    slab[at++] = SOFT_BREAK[1]!;
    slab[at++] = SOFT_BREAK[2]!;
    this.at = at;
    return true;
  }

  /** Ends the body: its pieces, runs and shared Buffers in order. */
  end(): Buffer[] {
    this.endRun();
    const parts = this.parts;
    this.parts = [];
    return parts;
  }

  private endRun(): void {
    if (this.at > this.start) this.parts.push(this.slab.subarray(this.start, this.at));
    this.start = this.at;
  }

  /** Step 3: room for `n` more bytes in this run's slab. */
  private room(n: number): void {
    if (this.at + n <= this.slab.length) return;
    this.endRun();
    this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, n));
    this.at = 0;
    this.start = 0;
  }
}
