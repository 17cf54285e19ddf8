import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTfidfVectors } from '../../src/topics/build-tfidf-vectors.js';
import { computeSimilarityMatrix } from '../../src/topics/compute-similarity-matrix.js';

describe('computeSimilarityMatrix', () => {
  it('equals the pairwise dot products, symmetric, with a zero diagonal', () => {
    const term = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    const docs = fc.array(fc.dictionary(term, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(docs, (records) => {
        const { vectors } = buildTfidfVectors(records.map((r) => new Map(Object.entries(r))));
        const n = vectors.length;
        const sim = computeSimilarityMatrix(vectors);
        expect(sim).toHaveLength(n * n);
        for (let i = 0; i < n; i++) {
          expect(sim[i * n + i]).toBe(0);
          for (let j = 0; j < n; j++) {
            if (i === j) continue;
            let expected = 0;
            const a = vectors[i]!;
            const b = vectors[j]!;
            a.terms.forEach((t, k) => {
              const m = b.terms.indexOf(t);
              if (m >= 0) expected += a.weights[k]! * b.weights[m]!;
            });
            expect(sim[i * n + j]).toBeCloseTo(expected, 12);
            expect(sim[i * n + j]).toBe(sim[j * n + i]);
          }
        }
      }),
    );
  });
});
