import { describe, expect, it } from 'vitest';
import { buildTfidfVectors, type SparseVector } from '../../src/topics/build-tfidf-vectors.js';

const doc = (entries: Record<string, number>) => new Map(Object.entries(entries));
const dot = (a: SparseVector, b: SparseVector) => {
  let s = 0;
  for (let i = 0; i < a.terms.length; i++) {
    const j = b.terms.indexOf(a.terms[i]!);
    if (j >= 0) s += a.weights[i]! * b.weights[j]!;
  }
  return s;
};
const weightOf = (v: SparseVector, vocabulary: string[], term: string) => v.weights[v.terms.indexOf(vocabulary.indexOf(term))] ?? 0;

describe('buildTfidfVectors', () => {
  it('makes unit vectors, so a dot product is a cosine similarity', () => {
    const { vectors } = buildTfidfVectors([doc({ a: 3, b: 1 }), doc({ a: 1, c: 2 }), doc({ b: 1, c: 1, d: 5 })]);
    for (const v of vectors) expect(dot(v, v)).toBeCloseTo(1, 12);
  });

  it('weights a rare term above a common one at equal frequency (idf)', () => {
    const { vectors, vocabulary } = buildTfidfVectors([doc({ common: 1, rare: 1 }), doc({ common: 1 }), doc({ common: 1 })]);
    expect(weightOf(vectors[0]!, vocabulary, 'rare')).toBeGreaterThan(weightOf(vectors[0]!, vocabulary, 'common'));
  });

  it('damps repetition: ten times the count is far less than ten times the weight (sublinear tf)', () => {
    const { vectors, vocabulary } = buildTfidfVectors([doc({ x: 10, y: 1 }), doc({ x: 1, y: 1 }), doc({ z: 1 })]);
    const ratio = weightOf(vectors[0]!, vocabulary, 'x') / weightOf(vectors[0]!, vocabulary, 'y');
    expect(ratio).toBeCloseTo(1 + Math.log(10), 10);
  });

  it('drops terms in fewer than minDf documents, and keeps only the maxTerms heaviest per document', () => {
    const docs = [doc({ shared: 1, own: 1, other: 2 }), doc({ shared: 1, other: 1 }), doc({ third: 1 })];
    const { vectors, vocabulary } = buildTfidfVectors(docs, { minDf: 2 });
    expect(vocabulary).toEqual(['other', 'shared']);
    expect(vectors[2]!.terms).toHaveLength(0);
    const top = buildTfidfVectors(docs, { maxTerms: 1 });
    expect(top.vectors[0]!.terms).toHaveLength(1);
    expect(top.vocabulary[top.vectors[0]!.terms[0]!]).toBe('own');
  });

  it('indexes the vocabulary in sorted order, whatever order the documents came in', () => {
    const a = buildTfidfVectors([doc({ zeta: 1, alpha: 2 }), doc({ mid: 1 })]);
    const b = buildTfidfVectors([doc({ mid: 1 }), doc({ alpha: 2, zeta: 1 })]);
    expect(a.vocabulary).toEqual(['alpha', 'mid', 'zeta']);
    expect(b.vocabulary).toEqual(a.vocabulary);
    expect([...b.vectors[1]!.weights]).toEqual([...a.vectors[0]!.weights]);
  });
});
