import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BodyWriter } from '../../src/deliver/body-writer.js';
import { encodePiece } from '../../src/deliver/assemble-copy.js';

const plainValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '-', '/', ':', '@', '_', '~', '+', '%', ',', ';'), minLength: 1, maxLength: 240 });
const notPlain = fc.tuple(plainValue, fc.constantFrom(' ', '=', 'é', '&', '<', '"', '\n', '🚀'), plainValue).map(([a, c, b]) => a + c + b);

describe('BodyWriter', () => {
  it('writes a plain value exactly as assemble-copy encodes it alone (soft breaks every 73, a leading dot escaped)', () => {
    fc.assert(
      fc.property(plainValue, (v) => {
        const w = new BodyWriter();
        w.begin();
        expect(w.plain(v)).toBe(true);
        expect(Buffer.concat(w.end()).toString('latin1')).toBe(encodePiece(v));
      }),
      { numRuns: 500 },
    );
    // Dots where each 73-character line of a long link begins.
    const dots = '.' + 'a'.repeat(72) + '.' + 'b'.repeat(72) + '.c';
    const w = new BodyWriter();
    w.begin();
    w.plain(dots);
    expect(Buffer.concat(w.end()).toString('latin1')).toBe(encodePiece(dots));
  });

  it('writes nothing for a value that is not plain, and keeps every piece in order', () => {
    fc.assert(
      fc.property(notPlain, plainValue, (bad, good) => {
        const w = new BodyWriter();
        const shared = Buffer.from('<shared piece>');
        w.begin();
        w.bytes(Buffer.from('head '));
        expect(w.plain(bad)).toBe(false);
        w.text('=C3=A9 ');
        w.shared(shared);
        w.plain(good);
        const parts = w.end();
        expect(parts).toContain(shared);
        expect(Buffer.concat(parts).toString('latin1')).toBe(`head =C3=A9 <shared piece>${encodePiece(good)}`);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the bytes of earlier bodies when it moves on to a new slab', () => {
    const w = new BodyWriter();
    const bodies: { parts: Buffer[]; want: string }[] = [];
    // About 60 KB a body: well past one slab (1 MB) over forty bodies.
    for (let i = 0; i < 40; i++) {
      w.begin();
      let want = '';
      for (let k = 0; k < 300; k++) {
        const text = `${i}:${k}:${'x'.repeat(150 + ((i * k) % 97))}\r\n`;
        w.text(text);
        want += text;
        const link = `https://news.example.org/f/${i}.${k}.${'q'.repeat(k % 90)}`;
        w.plain(link);
        want += encodePiece(link);
      }
      bodies.push({ parts: w.end(), want });
    }
    for (const b of bodies) expect(Buffer.concat(b.parts).toString('latin1')).toBe(b.want);
  });
});
