/**
 * TF-IDF vectors over a digest: sublinear term frequency (1 + ln tf) times
 * idf = ln((n + 1) / df), L2-normalized, so that the dot product of two vectors is their
 * cosine similarity. The +1 keeps a phrase every paper shares slightly positive, which lets
 * two papers on one topic still pair up in a two-paper digest.
 */

/** A sparse, L2-normalized vector: parallel arrays sorted by term index. */
export interface SparseVector {
  terms: Int32Array;
  weights: Float64Array;
}

/** Which terms a vector keeps. */
export interface TfidfOptions {
  /**
   * Least number of documents a term must occur in. At 2, a paper is described by what it
   * shares with the rest of the digest: a phrase of its own cannot make it similar to any
   * other paper and would only shrink every similarity it has.
   */
  minDf?: number;
  /** Keep only this many heaviest terms per document (0: all), so incidental words of a long abstract do not count. */
  maxTerms?: number;
}

/** The vectors of `docs` (term → weighted count), and the vocabulary their indices refer to. */
export function buildTfidfVectors(
  docs: ReadonlyArray<ReadonlyMap<string, number>>,
  options: TfidfOptions = {},
): { vectors: SparseVector[]; vocabulary: string[] } {
  const minDf = options.minDf ?? 1;
  const maxTerms = options.maxTerms ?? 0;
  const df = new Map<string, number>();
  for (const doc of docs) for (const [term, tf] of doc) if (tf > 0) df.set(term, (df.get(term) ?? 0) + 1);
  // Sorted vocabulary: term indices never depend on the order papers arrive in.
  const vocabulary = [...df.keys()].filter((term) => df.get(term)! >= minDf).sort();
  const index = new Map(vocabulary.map((term, i) => [term, i]));
  const n = docs.length;
  const vectors = docs.map((doc) => {
    let terms: number[] = [];
    let weights: number[] = [];
    for (const [term, tf] of doc) {
      const i = index.get(term);
      if (tf <= 0 || i === undefined) continue;
      terms.push(i);
      weights.push((1 + Math.log(tf)) * Math.log((n + 1) / df.get(term)!));
    }
    if (maxTerms > 0 && terms.length > maxTerms) {
      // The maxTerms-th heaviest weight, by a native numeric sort; ties at it go by term index.
      const cut = Float64Array.from(weights).sort()[weights.length - maxTerms]!;
      const keep = terms.map((t, k) => k).filter((k) => weights[k]! > cut);
      const tied = terms.map((t, k) => k).filter((k) => weights[k] === cut).sort((a, b) => terms[a]! - terms[b]!);
      keep.push(...tied.slice(0, maxTerms - keep.length));
      terms = keep.map((k) => terms[k]!);
      weights = keep.map((k) => weights[k]!);
    }
    const order = terms.map((_, k) => k).sort((a, b) => terms[a]! - terms[b]!);
    let norm = 0;
    for (const w of weights) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    return {
      terms: Int32Array.from(order, (k) => terms[k]!),
      weights: Float64Array.from(order, (k) => weights[k]! / norm),
    };
  });
  return { vectors, vocabulary };
}
