import { describe, expect, it } from 'vitest';
import { TextSlab } from '../../src/deliver/text-slab.js';

describe('TextSlab', () => {
  it('gives each run its own bytes, and keeps earlier runs when it moves on to a new slab', () => {
    const slab = new TextSlab();
    const runs: { bytes: Buffer; text: string }[] = [];
    // About 6 MB of runs of every size, some past a slab: several slabs, none written over.
    for (let i = 0; i < 3000; i++) {
      const text = `${i}:${'=3D x.'.repeat((i * 37) % 700)}\r\n${i % 1000 === 999 ? 'y'.repeat(1_100_000) : ''}\u00e9`;
      runs.push({ bytes: slab.bytesOf(text), text });
    }
    for (const r of runs) {
      expect(r.bytes.length).toBe(r.text.length);
      expect(r.bytes.toString('latin1')).toBe(r.text);
    }
  });
});

describe('TextSlab leases', () => {
  const run = (i: number) => `${i}:${'=3D x.'.repeat(((i * 37) % 700) + 1000)}\r\n`;

  it('never writes over the bytes of a message whose lease is held, while others are released and their slabs reused', () => {
    const slab = new TextSlab();
    const held: { bytes: Buffer[]; texts: string[] }[] = [];
    const buffers = new Set<ArrayBufferLike>();
    // 2,000 messages of ~20 KB (about 40 MB); one in 400 is held to the end (a retry), the rest released
    // a few messages later, as sends finish out of order.
    const open: { release: () => void }[] = [];
    for (let m = 0; m < 2000; m++) {
      const lease = slab.lease();
      const texts = [run(m), run(m + 1), run(m + 2)];
      const bytes = texts.map((t) => slab.bytesOf(t, lease));
      bytes.forEach((b) => buffers.add(b.buffer));
      if (m % 400 === 0) held.push({ bytes, texts });
      else open.push(lease);
      if (open.length > 5) open.splice(Math.floor(open.length / 2), 1)[0]!.release();
    }
    for (const h of held) h.bytes.forEach((b, k) => expect(b.toString('latin1')).toBe(h.texts[k]));
    // Reused: far fewer slabs than 40 MB of fresh 1 MB ones (each held message pins its own).
    expect(held.length).toBe(5);
    expect(buffers.size).toBeLessThan(15);
  });

  it('reuses slabs when every lease is released, and never reuses one that had bytes written without a lease', () => {
    const slab = new TextSlab();
    const leased = new Set<ArrayBufferLike>();
    for (let m = 0; m < 500; m++) {
      const lease = slab.lease();
      leased.add(slab.bytesOf(run(m), lease).buffer);
      lease.release();
    }
    expect(leased.size).toBeLessThanOrEqual(3);
    const pinned = slab.bytesOf('no lease: kept as it is');
    for (let m = 0; m < 500; m++) {
      const lease = slab.lease();
      slab.bytesOf(run(m), lease);
      lease.release();
    }
    expect(pinned.toString('latin1')).toBe('no lease: kept as it is');
  });

  it('counts a release once, however often it is called', () => {
    const slab = new TextSlab();
    const a = slab.lease();
    const kept = slab.bytesOf(run(1), a);
    const b = slab.lease();
    slab.bytesOf(run(2), b);
    const more = (count: number) => {
      for (let m = 0; m < count; m++) {
        const l = slab.lease();
        slab.bytesOf(run(m + 3), l);
        l.release();
      }
    };
    // Past the first slab, then `b` released three times: `a` still holds the first slab, so its bytes stay.
    more(300);
    b.release();
    b.release();
    b.release();
    more(400);
    expect(kept.toString('latin1')).toBe(run(1));
  });
});
