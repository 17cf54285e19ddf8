import { describe, expect, it } from 'vitest';
import { analyzePaper } from '../../src/topics/analyze-paper.js';
import { documentFrequencies, labelClusters, rankPhrases } from '../../src/topics/label-clusters.js';
import { slugifyLabel } from '../../src/topics/slugify-label.js';
import { titleCase } from '../../src/topics/title-case.js';
import { makePaper } from './helpers/digests.js';

const kv = [
  makePaper({ title: 'KIVI: Asymmetric Quantization for KV Cache', abstract: 'The KV cache grows with context length. We quantize the KV cache per channel.' }),
  makePaper({ title: 'xKV: Cross-Layer SVD for KV-Cache Compression', abstract: 'KV-Cache compression merges layers of the KV cache.' }),
  makePaper({ title: 'Reliable KV Cache Compression via Mixed Precision', abstract: 'Eviction of the KV cache loses tokens; we keep them in low precision.' }),
];
const others = [
  makePaper({ title: 'Sinkhorn Distance for Knowledge Distillation', abstract: 'Knowledge distillation transfers a teacher to a student. Compression of the teacher is a goal.' }),
  makePaper({ title: 'Balancing Divergences for Online Knowledge Distillation', abstract: 'Online knowledge distillation trains teacher and student together.' }),
  makePaper({ title: 'Measuring the Intrinsic Dimension of Objective Landscapes', abstract: 'The intrinsic dimension of a landscape counts parameters.' }),
];
const terms = [...kv, ...others].map(analyzePaper);

describe('rankPhrases', () => {
  it('ranks a phrase shared by the whole group and rare elsewhere above one common to the digest (class-based TF-IDF)', () => {
    const ranked = rankPhrases([0, 1, 2], terms, documentFrequencies(terms));
    const score = (key: string) => ranked.find((c) => c.key === key)?.score ?? 0;
    expect(ranked[0]!.key.startsWith('kv cach')).toBe(true);
    expect(score('kv cach')).toBeGreaterThan(score('compress'));
    expect(score('kv cach')).toBeGreaterThan(score('cach'));
  });

  it('only offers phrases used by at least two papers of the group', () => {
    const ranked = rankPhrases([0, 1, 2], terms, documentFrequencies(terms));
    expect(ranked.every((c) => c.docs >= 2)).toBe(true);
    expect(ranked.map((c) => c.key)).not.toContain('kivi');
  });
});

describe('labelClusters', () => {
  it('labels with the most distinctive phrase, as written, in Title Case, acronyms kept', () => {
    const [kvLabel, kdLabel] = labelClusters([[0, 1, 2], [3, 4]], terms);
    expect(kvLabel!.label).toMatch(/^KV[- ]Cache( Compression)?$/);
    expect(kdLabel!.label).toBe('Knowledge Distillation');
    expect(kvLabel!.keywords[0]).toMatch(/^KV[- ]cache/i);
  });

  it('never gives two groups the same label, nor one already taken', () => {
    const first = labelClusters([[0, 1, 2]], terms)[0]!.label;
    const taken = new Set([first.toLowerCase()]);
    const labels = labelClusters([[0, 1, 2], [0, 1]], terms, taken);
    expect(labels[0]!.label).not.toBe(first);
    expect(labels[1]!.label.toLowerCase()).not.toBe(labels[0]!.label.toLowerCase());
    expect(taken.has(labels[0]!.label.toLowerCase())).toBe(true);
  });

  it('never names two groups after one phrase, however each spells it ("Regret Bound", "Regret Bounds")', () => {
    const regret = [
      makePaper({ title: 'Improved Regret Bounds for Linear Bandits', abstract: 'We prove regret bounds for linear bandits with heavy tails.' }),
      makePaper({ title: 'Regret Bounds for Online Convex Optimization', abstract: 'Tight regret bounds for online learning.' }),
      makePaper({ title: 'A Regret Bound for Adversarial Contextual Bandits', abstract: 'A regret bound for contextual bandits under adversarial contexts.' }),
      makePaper({ title: 'A Regret Bound for Reinforcement Learning in Episodic MDPs', abstract: 'A regret bound for episodic MDPs with function approximation.' }),
    ].map(analyzePaper);
    const [a, b] = labelClusters([[0, 1], [2, 3]], regret).map((l) => l.label);
    expect(a).toMatch(/^Regret Bounds?$/);
    expect(b).not.toMatch(/^Regret Bounds?$/);
  });

  it('keeps labels to at most 4 words', () => {
    for (const { label } of labelClusters([[0, 1, 2], [3, 4], [5, 3]], terms)) expect(label.split(' ').length).toBeLessThanOrEqual(4);
  });

  it('completes a label the papers always continue, by stem, never with the acronym that follows it, each form passing the reader check', () => {
    const videoLlm = [
      makePaper({ title: 'Temporal Grounding in Video Large Language Models', abstract: 'Video large language models (Video-LLMs) answer questions about clips.' }),
      makePaper({ title: 'Token Pruning for Video Large Language Models', abstract: 'We prune tokens of a video large language model (VLLM) at inference.' }),
      makePaper({ title: 'Hallucination in Video Large Language Models', abstract: 'Video large language models hallucinate events.' }),
    ];
    const pde = [
      makePaper({ title: 'Solving Partial Differential Equations with Operators', abstract: 'Partial differential equations (PDEs) govern flows. Partial differential equations PDEs are hard.' }),
      makePaper({ title: 'Neural Solvers for Partial Differential Equations', abstract: 'We solve partial differential equations (PDEs) on meshes.' }),
    ];
    const all = [...videoLlm, ...pde, ...others].map(analyzePaper);
    const [video, equations] = labelClusters([[0, 1, 2], [3, 4]], all).map((l) => l.label);
    // "Video Large Language" is as long as a phrase gets (3 words); the papers say "... Models" (and "Model").
    expect(video).toBe('Video Large Language Models');
    expect(equations).toBe('Partial Differential Equations');
    // Each form must pass the reader check: the completed one first, else the phrase as it is.
    expect(labelClusters([[0, 1, 2]], all, new Set(), (l) => l !== 'Video Large Language')[0]!.label).toBe('Video Large Language Models');
    expect(labelClusters([[0, 1, 2]], all, new Set(), (l) => l !== 'Video Large Language Models')[0]!.label).toBe('Video Large Language');
    expect(labelClusters([[0, 1, 2]], all, new Set(), (l) => !l.startsWith('Video Large Language'))[0]!.label).not.toMatch(/^Video Large Language/);
  });

  it('does not list a keyword whose every word is already listed', () => {
    const { keywords } = labelClusters([[0, 1, 2]], terms)[0]!;
    expect(keywords).not.toContain('KV');
    expect(new Set(keywords).size).toBe(keywords.length);
  });
});

describe('titleCase', () => {
  it('raises lowercase words, keeps words with capitals, leaves inner small words low', () => {
    expect(titleCase('kv cache compression')).toBe('Kv Cache Compression');
    expect(titleCase('KV cache compression')).toBe('KV Cache Compression');
    expect(titleCase('LLMs agents')).toBe('LLMs Agents');
    expect(titleCase('mixture-of-experts')).toBe('Mixture-of-Experts');
    expect(titleCase('post-training')).toBe('Post-Training');
    expect(titleCase('xKV layers')).toBe('xKV Layers');
  });
});

describe('slugifyLabel', () => {
  it('gives lowercase ASCII slugs of a label, stable for the same label', () => {
    expect(slugifyLabel('KV Cache Compression')).toBe('kv-cache-compression');
    expect(slugifyLabel('Schrödinger Bridges')).toBe('schrodinger-bridges');
    expect(slugifyLabel('Mixture-of-Experts (MoE)')).toBe('mixture-of-experts-moe');
    expect(slugifyLabel('日本語')).toBe('theme');
  });
});
