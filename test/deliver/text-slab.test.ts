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
