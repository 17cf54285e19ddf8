import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLineEncoder, isSegmentable } from '../../src/deliver/create-line-encoder.js';
import { encodeQpLine } from '../../src/deliver/build-message.js';

const join = (pieces: (Buffer | string)[]) => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
const fill = (fixed: string[], values: string[]) => fixed.map((f, i) => (i > 0 ? values[i - 1]! : '') + f).join('');

const units = ['a', 'b', ' ', '.', ',', '=', '!', '?', '\t', 'é', '🚀', '\r', '<', '"', 'ü', 'x'];
const fixedText = fc.string({ unit: fc.constantFrom(...units), maxLength: 500 });
const value = fc.string({ unit: fc.constantFrom('a', 'Z', '.', '-', "'", ' ', 'é', 'ñ', '🚀', '=', '&', '#', ';', '/', ':'), minLength: 1, maxLength: 60 }).filter(isSegmentable);

describe('createLineEncoder', () => {
  it('writes exactly what encodeQpLine writes for the filled line, whatever the text and values', () => {
    fc.assert(
      fc.property(fc.array(fixedText, { minLength: 1, maxLength: 5 }), fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 12 }), (fixed, valueSets) => {
        const encode = createLineEncoder(fixed);
        // One encoder serves many subscribers: later calls reuse the wraps the first ones kept.
        for (const set of valueSets) {
          const values = set.slice(0, fixed.length - 1);
          expect(join(encode(values)).toString('latin1')).toBe(encodeQpLine(fill(fixed, values)));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('matches on long realistic lines, for names of every length', () => {
    const html = '<td style="font-size:15px;line-height:1.5">'.repeat(40);
    const fixed = [html + 'Hi ', ', here are 39 papers. ' + 'Paper title, with words and = signs; ünïcode. '.repeat(300) + '<a href="', '">Unsubscribe</a>' + html];
    const encode = createLineEncoder(fixed);
    for (let n = 1; n <= 120; n++) {
      const values = ['Ada Lovelace O\'Brien-Núñez Zoë '.repeat(5).slice(0, n).trim() || 'A', `https://news.example.org/u/${n}.${'x'.repeat(n % 30)}`];
      expect(join(encode(values)).toString('latin1')).toBe(encodeQpLine(fill(fixed, values)));
    }
  });
});
