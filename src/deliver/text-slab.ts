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
 * 2. A run that does not fit starts a new slab.
 * 3. Each message's runs are written under a lease (`lease()`), which holds every slab they
 *    went to. A slab that is no longer the one being written and whose leases are all
 *    released is written again from the start (up to SPARE_SLABS kept for that): a send
 *    releases a message once the server has accepted it (deliver/dispatch-jobs.ts), so a
 *    few slabs serve the whole run. Slabs of messages never released (a retry, a failure)
 *    are left to the garbage collector, as all were before: V8 frees them only in a full
 *    collection, so without reuse a send carried 50–100 MB of spent slabs.
 *
 * Bytes once handed out are never written again while their lease is held.
 */

/** Bytes per slab: about twenty messages' runs. */
const SLAB_BYTES = 1 << 20;
/** Released slabs kept for reuse; more are left to the garbage collector. */
const SPARE_SLABS = 4;

interface Slab {
  bytes: Buffer;
  /** Leases holding it. */
  holders: number;
}

/** The slabs one message's runs went to; `release` once its bytes are sent and not needed again. */
export class SlabLease {
  /** The slabs held, in the order the runs went to them. */
  readonly slabs: Slab[] = [];
  private released = false;

  constructor(private readonly retire: (slab: Slab) => void) {}

  /** Gives the slabs back (once, however often it is called); a slab no lease holds may be written again. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const slab of this.slabs) if (--slab.holders === 0) this.retire(slab);
  }
}

/** Writes runs of text into shared slabs; see the file comment. */
export class TextSlab {
  private slab: Slab = { bytes: Buffer.allocUnsafeSlow(SLAB_BYTES), holders: 0 };
  private at = 0;
  private readonly spare: Buffer[] = [];

  /** 3. A lease for one message's runs: pass it to each `bytesOf`, and release it when the bytes are spent. */
  lease(): SlabLease {
    return new SlabLease((slab) => {
      if (slab !== this.slab) this.retire(slab);
    });
  }

  /** The bytes of `text` (one per character: latin1), as a view of the slab; without a lease the slab is never written again. */
  bytesOf(text: string, lease?: SlabLease): Buffer {
    const n = text.length;
    // 2.
    if (this.at + n > this.slab.bytes.length) {
      const old = this.slab;
      const reused = n <= SLAB_BYTES ? this.spare.pop() : undefined;
      this.slab = { bytes: reused ?? Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, n)), holders: 0 };
      this.at = 0;
      if (old.holders === 0) this.retire(old);
    }
    // 3.
    if (lease === undefined) this.slab.holders = Infinity;
    else {
      const held = lease.slabs;
      if (held[held.length - 1] !== this.slab) {
        held.push(this.slab);
        this.slab.holders++;
      }
    }
    // 1.
    const start = this.at;
    this.at += this.slab.bytes.write(text, start, n, 'latin1');
    return this.slab.bytes.subarray(start, this.at);
  }

  /** A slab nothing holds any more: kept to be written again, or left to the garbage collector. */
  private retire(slab: Slab): void {
    if (slab.bytes.length === SLAB_BYTES && this.spare.length < SPARE_SLABS) this.spare.push(slab.bytes);
  }
}
