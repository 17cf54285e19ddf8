/**
 * All pairwise cosine similarities of L2-normalized sparse vectors, in one dense n×n
 * Float64Array (row-major, symmetric, diagonal 0). Built through an inverted index, so the
 * work is the sum over terms of df², not n² × vector length.
 */
import type { SparseVector } from './build-tfidf-vectors.js';

/** The n×n cosine-similarity matrix of `vectors`; entry i*n+j is sim(i, j), diagonal 0. */
export function computeSimilarityMatrix(vectors: readonly SparseVector[]): Float64Array {
  const n = vectors.length;
  const postings = new Map<number, { docs: number[]; weights: number[] }>();
  vectors.forEach((v, doc) => {
    for (let k = 0; k < v.terms.length; k++) {
      const term = v.terms[k]!;
      let list = postings.get(term);
      if (!list) postings.set(term, (list = { docs: [], weights: [] }));
      list.docs.push(doc);
      list.weights.push(v.weights[k]!);
    }
  });
  const sim = new Float64Array(n * n);
  for (const { docs, weights } of postings.values()) {
    for (let a = 0; a < docs.length; a++) {
      const rowA = docs[a]! * n;
      const wa = weights[a]!;
      for (let b = a + 1; b < docs.length; b++) {
        const k = rowA + docs[b]!;
        sim[k] = sim[k]! + wa * weights[b]!;
      }
    }
  }
  // Docs are pushed in ascending order, so only the upper triangle was filled; mirror it.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sim[j * n + i] = sim[i * n + j]!;
  return sim;
}
