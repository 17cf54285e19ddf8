/**
 * Agglomerative clustering with average linkage, cut at a similarity threshold.
 *
 * Uses the nearest-neighbour chain algorithm (O(n²) time) on the similarity matrix itself:
 * merging A and B rewrites A's row and column by the Lance–Williams update for average
 * linkage, sim(A∪B, C) = (|A|·sim(A,C) + |B|·sim(B,C)) / (|A|+|B|), so the only memory is
 * the n×n matrix the caller passes in. Average linkage is reducible (a merge never brings
 * two clusters closer to a third than the nearer of them was), which makes the chain give
 * the same clusters as the naive "merge the closest pair" loop, and lets a cluster whose
 * nearest neighbour is below the threshold be retired for good.
 */

/** One cluster of a cut dendrogram. */
export interface Cluster {
  /** Item indices, ascending. */
  members: number[];
  /** Average similarity between the two parts of its last merge; 1 for a single item. */
  similarity: number;
}

const MERGED = 0;
const ACTIVE = 1;
const DONE = 2;

/**
 * Clusters items 0..n-1 until no two clusters have an average similarity ≥ `threshold`.
 * `sim` is the row-major n×n similarity matrix and is overwritten. Ties go to the lower
 * index, so the result depends on the matrix alone. Clusters come ordered by first member.
 */
export function clusterAverageLinkage(sim: Float64Array, n: number, threshold: number): Cluster[] {
  if (sim.length !== n * n) throw new RangeError(`similarity matrix has ${sim.length} entries, expected ${n * n}`);
  const state = new Uint8Array(n).fill(ACTIVE);
  const size = new Float64Array(n).fill(1);
  const height = new Float64Array(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const chain: number[] = [];
  let start = 0;

  for (;;) {
    if (chain.length === 0) {
      while (start < n && state[start] !== ACTIVE) start++;
      if (start >= n) break;
      chain.push(start);
    }
    const top = chain[chain.length - 1]!;
    const prev = chain.length > 1 ? chain[chain.length - 2]! : -1;
    const row = top * n;
    let best = -1;
    let bestSim = -Infinity;
    for (let j = 0; j < n; j++) {
      if (j === top || state[j] !== ACTIVE) continue;
      const s = sim[row + j]!;
      if (s > bestSim) {
        bestSim = s;
        best = j;
      }
    }
    // Preferring the previous link on a tie is what keeps the chain from cycling.
    if (prev >= 0 && sim[row + prev]! >= bestSim) {
      best = prev;
      bestSim = sim[row + prev]!;
    }
    if (best < 0 || bestSim < threshold) {
      // Similarities only grow along the chain, so every cluster on it is below the
      // threshold to everything, now and after any later merge: all are final.
      for (const c of chain) state[c] = DONE;
      chain.length = 0;
      continue;
    }
    if (best !== prev) {
      chain.push(best);
      continue;
    }
    chain.length -= 2;
    const a = Math.min(top, prev);
    const b = Math.max(top, prev);
    const sa = size[a]!;
    const sb = size[b]!;
    for (let j = 0; j < n; j++) {
      if (j === a || j === b || state[j] !== ACTIVE) continue;
      const s = (sa * sim[a * n + j]! + sb * sim[b * n + j]!) / (sa + sb);
      sim[a * n + j] = s;
      sim[j * n + a] = s;
    }
    state[b] = MERGED;
    size[a] = sa + sb;
    height[a] = bestSim;
    members[a] = members[a]!.concat(members[b]!).sort((x, y) => x - y);
    members[b] = [];
  }

  const clusters: Cluster[] = [];
  for (let i = 0; i < n; i++) if (state[i] === DONE) clusters.push({ members: members[i]!, similarity: height[i]! });
  return clusters;
}
