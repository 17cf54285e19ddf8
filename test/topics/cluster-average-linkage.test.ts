import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterAverageLinkage } from '../../src/topics/cluster-average-linkage.js';

/** A random symmetric similarity matrix with distinct entries in [0, 1) and a zero diagonal. */
function randomMatrix(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = random();
  return sim;
}

const average = (sim: Float64Array, n: number, a: number[], b: number[]) => {
  let sum = 0;
  for (const i of a) for (const j of b) sum += sim[i * n + j]!;
  return sum / (a.length * b.length);
};

/** The textbook algorithm: merge the pair of clusters with the highest average similarity until it is below the threshold. */
function naiveAverageLinkage(sim: Float64Array, n: number, threshold: number): number[][] {
  let clusters = Array.from({ length: n }, (_, i) => [i]);
  for (;;) {
    let best = -Infinity;
    let pair: [number, number] = [-1, -1];
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const s = average(sim, n, clusters[a]!, clusters[b]!);
        if (s > best) [best, pair] = [s, [a, b]];
      }
    }
    if (pair[0] < 0 || best < threshold) break;
    const merged = [...clusters[pair[0]]!, ...clusters[pair[1]]!].sort((x, y) => x - y);
    clusters = clusters.filter((_, k) => k !== pair[0] && k !== pair[1]).concat([merged]);
  }
  return clusters.sort((x, y) => x[0]! - y[0]!);
}

describe('clusterAverageLinkage', () => {
  it('gives exactly the clusters of naive average linkage cut at the threshold (nearest-neighbour chain, Lance–Williams)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.integer(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (n, seed, threshold) => {
        const sim = randomMatrix(n, seed);
        const expected = naiveAverageLinkage(sim, n, threshold);
        const got = clusterAverageLinkage(sim.slice(), n, threshold).map((c) => c.members);
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no two clusters whose average similarity reaches the threshold, and reports each merge height ≥ threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.integer(), (n, seed) => {
        const sim = randomMatrix(n, seed);
        const clusters = clusterAverageLinkage(sim.slice(), n, 0.5);
        expect(clusters.flatMap((c) => c.members).sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        for (let a = 0; a < clusters.length; a++) {
          const ca = clusters[a]!;
          if (ca.members.length > 1) expect(ca.similarity).toBeGreaterThanOrEqual(0.5);
          else expect(ca.similarity).toBe(1);
          for (let b = a + 1; b < clusters.length; b++) expect(average(sim, n, ca.members, clusters[b]!.members)).toBeLessThan(0.5);
        }
      }),
    );
  });

  it('merges two tight pairs but not across them', () => {
    // 0–1 and 2–3 are close; across the pairs similarity is 0.1.
    const n = 4;
    const sim = new Float64Array(n * n).fill(0.1);
    for (let i = 0; i < n; i++) sim[i * n + i] = 0;
    sim[1] = sim[4] = 0.9;
    sim[2 * n + 3] = sim[3 * n + 2] = 0.8;
    const clusters = clusterAverageLinkage(sim, n, 0.3);
    expect(clusters).toEqual([
      { members: [0, 1], similarity: 0.9 },
      { members: [2, 3], similarity: 0.8 },
    ]);
  });

  it('handles 0 and 1 items, and rejects a matrix of the wrong size', () => {
    expect(clusterAverageLinkage(new Float64Array(0), 0, 0.1)).toEqual([]);
    expect(clusterAverageLinkage(new Float64Array(1), 1, 0.1)).toEqual([{ members: [0], similarity: 1 }]);
    expect(() => clusterAverageLinkage(new Float64Array(5), 2, 0.1)).toThrow(RangeError);
  });
});
