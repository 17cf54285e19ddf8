/**
 * Whatever happens to a valid digest on its way (flipped bytes, a cut-off download, lines
 * lost or repeated, values edited into nonsense), parseDigest either returns a well-formed
 * digest or throws a DigestError with one line. Never a TypeError, never a stack trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestError } from '../../src/errors.js';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { expectWellFormed, fixture, REAL_API, REAL_PAGE } from './fixtures.js';

const TEXT_FIXTURES = [
  REAL_PAGE,
  REAL_API,
  'hf-papers-quirks.txt',
  'hf-api-2023-06-15.json',
  'hf-api-2025-10-02.json',
  'hf-api-paper-2509.25541.json',
  'arxiv-api-2025-01-06.atom.xml',
  'arxiv-rss-cs.LG-2025-01-06.xml',
  'paperpost-2025-12-11.json',
];
const JSON_FIXTURES = TEXT_FIXTURES.filter((f) => f.endsWith('.json'));
const bytesOf = new Map(TEXT_FIXTURES.map((f) => [f, fixture(f)]));
const NOW = new Date('2026-01-05T12:00:00Z');

/** The property: a well-formed result, or a one-line DigestError (exit 2). */
function parsesOrRefuses(input: Buffer | string, name: string): void {
  let result;
  try {
    result = parseDigest(input, { name, now: NOW });
  } catch (error) {
    if (!(error instanceof DigestError)) throw new Error(`${name}: threw ${String(error)}`, { cause: error });
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.startsWith(name)).toBe(true);
    expect(error.exitCode).toBe(2);
    return;
  }
  expectWellFormed(result);
}

const fixtureName = fc.constantFrom(...TEXT_FIXTURES);
const RUNS = { numRuns: 120 };

describe('parseDigest under random damage', () => {
  it('byte flips', () => {
    fc.assert(
      fc.property(fixtureName, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 12 }), (name, flips) => {
        const bytes = Buffer.from(bytesOf.get(name)!);
        for (const [at, mask] of flips) bytes[at % bytes.length]! ^= mask;
        parsesOrRefuses(bytes, name);
      }),
      RUNS,
    );
  });

  it('truncation', () => {
    fc.assert(
      fc.property(fixtureName, fc.double({ min: 0, max: 1, noNaN: true }), (name, fraction) => {
        const bytes = bytesOf.get(name)!;
        parsesOrRefuses(bytes.subarray(0, Math.floor(bytes.length * fraction)), name);
      }),
      RUNS,
    );
  });

  it('deleting and duplicating lines', () => {
    const edit = fc.record({ at: fc.nat(), duplicate: fc.boolean(), count: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(fixtureName, fc.array(edit, { minLength: 1, maxLength: 8 }), (name, edits) => {
        const lines = bytesOf.get(name)!.toString('utf8').split('\n');
        for (const { at, duplicate, count } of edits) {
          const i = at % lines.length;
          if (duplicate) lines.splice(i, 0, ...lines.slice(i, i + count));
          else lines.splice(i, count);
        }
        parsesOrRefuses(lines.join('\n'), name);
      }),
      RUNS,
    );
  });

  it('replacing a JSON value at a random path with random JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...JSON_FIXTURES), fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (name, pick, replacement, remove) => {
        const root = JSON.parse(bytesOf.get(name)!.toString('utf8')) as unknown;
        const slots: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
        const walk = (node: unknown) => {
          if (Array.isArray(node)) {
            node.forEach((v, i) => {
              slots.push({ parent: node, key: i });
              walk(v);
            });
          } else if (node !== null && typeof node === 'object') {
            for (const [k, v] of Object.entries(node)) {
              slots.push({ parent: node as Record<string, unknown>, key: k });
              walk(v);
            }
          }
        };
        walk(root);
        const slot = slots[pick % slots.length]!;
        if (remove && !Array.isArray(slot.parent)) delete (slot.parent as Record<string, unknown>)[slot.key as string];
        else (slot.parent as Record<string | number, unknown>)[slot.key] = replacement;
        parsesOrRefuses(JSON.stringify(root), name);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes and arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)), fc.string({ unit: 'grapheme', maxLength: 500 })), (input) => {
        parsesOrRefuses(input, 'random.txt');
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text shaped like a papers page', () => {
    const line = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.constantFrom('', '  • 3 authors', '·', 'Nov 19 3', 'Dec 25, 2022', 'Feb 29', 'Daily Papers', '• 0 authors · Jan 1 99999999999999999999', 'github.com/a/b.'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => parsesOrRefuses(['Daily Papers', ...lines].join('\n'), 'page.txt')),
      { numRuns: 300 },
    );
  });
});
