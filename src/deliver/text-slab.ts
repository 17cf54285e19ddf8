/**
 * Where the per-message bytes of assembled copies go (assemble-copy.ts step 4): about half of
 * a copy is short pieces and values between the long pieces every copy shares (~25 runs, ~50
 * KB a copy on the sample issue). Made as a Buffer each (Buffer.from), every few runs cost a
 * new 8 KB Buffer pool, and runs past 4 KB an ArrayBuffer each: allocations the GC must track,
 * twenty thousand messages over. Here each run's text is written into a big slab instead, one
 * run after the other, and the run is a view of it:
 *
 * 1. A run is joined as a string first (appending short strings is cheap), then written into
 *    the slab in one call, one byte per character (encoded text is latin1).
 * 2. A run that does not fit starts a new slab; the old one stays alive only as long as some
 *    message still holds a view of it.
 *
 * Bytes once handed out are never written again: a message handed to the transport keeps them.
 */

/** Bytes per slab: about twenty messages' runs. */
const SLAB_BYTES = 1 << 20;

/** Writes runs of text into shared slabs; see the file comment. */
export class TextSlab {
  private slab: Buffer = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private at = 0;

  /** The bytes of `text` (one per character: latin1), as a view of the slab. */
  bytesOf(text: string): Buffer {
    const n = text.length;
    // 2.
    if (this.at + n > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, n));
      this.at = 0;
    }
    // 1.
    const start = this.at;
    this.at += this.slab.write(text, start, n, 'latin1');
    return this.slab.subarray(start, this.at);
  }
}
