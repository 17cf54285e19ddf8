import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { makeTldr, MAX_TLDR_CHARS } from '../../src/render/make-tldr.js';
import { splitSentences } from '../../src/render/split-sentences.js';
import type { Paper } from '../../src/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = 'hf-papers-2025-12-11.txt';
const papers: Paper[] = parseDigest(readFileSync(path.join(ROOT, 'content/digests', SAMPLE)), {
  name: SAMPLE,
  now: new Date('2025-12-11T12:00:00Z'),
}).digest.papers;

/** A sentence that says what the paper does or finds (the cues of issue 13, and their kin). */
const CONTRIBUTION =
  /\bwe (?:\w+ly |also |further |first |then |therefore |additionally |finally )*(?:propose|introduce|present|show|find|demonstrate|develop|provide|identify|explore|obtain|derive|give|set out|attempt|address|discuss|establish|developed)\b|\bthis (?:paper|thesis|work)\b|\bin this work\b|\bour (?:results|analyses|findings)\b|\bexperiments (?:show|demonstrate)|\boutperforms?\b/i;

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
const byTitle = (start: string) => {
  const paper = papers.find((p) => p.title.startsWith(start));
  if (!paper) throw new Error(`no paper "${start}"`);
  return paper;
};

describe('makeTldr on the 39 papers of 2025-12-11', () => {
  it('reads all 39, none with a summary of its own', () => {
    expect(papers).toHaveLength(39);
    expect(papers.every((p) => p.summary === null && p.abstract !== '')).toBe(true);
  });

  it.each(papers.map((p) => [p.title.slice(0, 60), p] as const))('%s: a contribution sentence, about 45 words', (_title, paper) => {
    const tldr = makeTldr(paper);
    if (splitSentences(paper.abstract).some((s) => CONTRIBUTION.test(s))) {
      expect(splitSentences(tldr).some((s) => CONTRIBUTION.test(s)), tldr).toBe(true);
    }
    expect(tldr.length).toBeLessThanOrEqual(MAX_TLDR_CHARS);
    expect(words(tldr)).toBeLessThanOrEqual(50);
    expect(tldr).not.toMatch(/\\[A-Za-z]|\$(?!\d)/);
    expect(makeTldr(paper)).toBe(tldr);
  });

  // Read one by one: each says what the paper does (and, where it fits, what it finds).
  const GOLDEN: Array<[title: string, tldr: string]> = [
    [
      'Learning Disentangled Representations for Time Series',
      'We propose Disentangle Time Series (DTS), a novel disentanglement enhancement framework for sequential data.',
    ],
    [
      'On the Power of the Weisfeiler-Leman Test',
      'We provide a precise characterization of the WL-dimension of labeled graph motif parameters. We give a polynomial time algorithm for determining the WL-dimension of the subgraph counting problem for given pattern P, answering an open question from previous work.',
    ],
    [
      'Sinkhorn Distance Minimization',
      'We propose the Sinkhorn Knowledge Distillation (SinKD) that exploits the Sinkhorn distance to ensure a nuanced and precise assessment of the disparity between teacher and student distributions.',
    ],
    [
      'PrefixKV',
      'We present PrefixKV. It reframes the challenge of determining KV cache sizes for all layers into the task of searching for the optimal global prefix configuration.',
    ],
    ['KIVI', 'We developed a tuning-free 2bit KV cache quantization algorithm, named KIVI.'],
    [
      'How do Scaling Laws Apply',
      'We explore the model size scaling laws specific to KGE tasks. Our analyses revealed that, with a few exceptions, the model size scaling laws generally also apply to the selected KGE tasks.',
    ],
    [
      'xKV',
      'We propose xKV, a simple post-training method that applies Singular Value Decomposition (SVD) on the KV-Cache of grouped layers. xKV consolidates the KV-Cache of multiple layers into a shared low-rank subspace, significantly reducing KV-Cache sizes.',
    ],
    [
      'CSKV',
      "We introduce CSKV, a training-efficient Channel Shrinking technique for KV cache compression. Extensive experiments show that CSKV can reduce the memory overhead of the KV cache by 80% while maintaining the model's long-context capability.",
    ],
    [
      'Intrinsic Dimensionality Explains',
      'We empirically show that common pre-trained models have a very low intrinsic dimension; in other words, there exists a low dimension reparameterization that is as effective for fine-tuning as the full parameter space.',
    ],
    [
      'BD-KD',
      "We propose BD-KD: Balancing of Divergences for online Knowledge Distillation. We show that adaptively balancing between the reverse and forward divergences shifts the focus of the training strategy to the compact student network without limiting the teacher network's learning process.",
    ],
  ];

  it.each(GOLDEN)('golden: %s', (title, tldr) => {
    expect(makeTldr(byTitle(title))).toBe(tldr);
  });

  it('never starts with the background sentence an abstract opens with', () => {
    for (const paper of papers) {
      const first = splitSentences(paper.abstract)[0]!;
      if (!CONTRIBUTION.test(first)) expect(makeTldr(paper).startsWith(first.slice(0, 40)), paper.title).toBe(false);
    }
  });
});

describe('makeTldr', () => {
  it("prefers the source's summary, made readable and kept short", () => {
    expect(makeTldr({ summary: 'An $\\ell_0$ penalty keeps all experts in use.', abstract: 'We propose X.' })).toBe('An ℓ₀ penalty keeps all experts in use.');
    const long = makeTldr({ summary: 'word '.repeat(80), abstract: '' });
    expect(words(long)).toBeLessThanOrEqual(45);
    expect(long.endsWith('…')).toBe(true);
  });

  it('is empty without a summary or an abstract', () => {
    expect(makeTldr({ summary: null, abstract: '' })).toBe('');
    expect(makeTldr({ summary: '  ', abstract: ' \n ' })).toBe('');
  });

  it('keeps an abstract of one sentence whole', () => {
    expect(makeTldr({ summary: null, abstract: 'A short note on priors.' })).toBe('A short note on priors.');
  });

  it('picks the contribution over the background, whatever the order', () => {
    const abstract =
      'Large language models are widely used for many tasks. However, their inference cost remains high and is a growing concern. ' +
      'Recent work has studied caching. In this work, we introduce FastCache, a cache that halves inference cost. ' +
      'Experiments on five benchmarks show that FastCache outperforms prior caches by 20%. Code is available at https://github.com/x/y.';
    expect(makeTldr({ summary: null, abstract })).toBe(
      'We introduce FastCache, a cache that halves inference cost. Experiments on five benchmarks show that FastCache outperforms prior caches by 20%.',
    );
  });

  it('without any cue, takes the most central sentence', () => {
    const abstract = 'Graphs are everywhere. Graph neural networks learn on graphs of molecules and graphs of roads. Roads are long.';
    expect(makeTldr({ summary: null, abstract })).toBe('Graph neural networks learn on graphs of molecules and graphs of roads.');
  });

  it('reads formulas as Unicode and does not cut inside one', () => {
    const abstract =
      'Attention costs $O(n^2)$ time. We propose $\\mathcal{L}$-Attn, which reduces the cost from $O(n^2)$ to $O(n \\log n)$ for all $x \\in \\mathbb{R}^d$.';
    expect(makeTldr({ summary: null, abstract })).toBe('We propose ℒ-Attn, which reduces the cost from O(n²) to O(n log n) for all x ∈ ℝᵈ.');
    const long = `We propose a bound ${'with a ≤ b + c × d '.repeat(20)}for all x.`;
    for (const max of [60, 70, 80, 90]) {
      const cut = makeTldr({ summary: null, abstract: long }, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      const kept = cut.replace(/…$/, '');
      expect(long.startsWith(kept)).toBe(true);
      // Neither the last word kept nor the first word dropped is an operator.
      expect(kept).not.toMatch(/[≤+×]$/u);
      expect(long.slice(kept.length).trim().split(' ')[0]).not.toMatch(/^[≤+×]$/u);
    }
  });

  it('cuts a very long sentence at a word, with an ellipsis, and not after "the" or "of"', () => {
    const abstract = `We propose a method that ${'improves the accuracy of the model on the task and '.repeat(12)}ends here.`;
    const tldr = makeTldr({ summary: null, abstract });
    expect(tldr.length).toBeLessThanOrEqual(MAX_TLDR_CHARS);
    expect(words(tldr)).toBeLessThanOrEqual(45);
    expect(tldr).toMatch(/^We propose a method that improves .*\S…$/);
    expect(tldr).not.toMatch(/\b(?:the|of|on|and|a)…$/);
    const tiny = makeTldr({ summary: null, abstract: `${'word '.repeat(200)}end.` }, 100);
    expect(tiny.length).toBeLessThanOrEqual(100);
    expect(tiny).toMatch(/^word( word)*…$/);
  });

  it('cuts a word longer than the whole TL;DR', () => {
    expect(makeTldr({ summary: null, abstract: 'A'.repeat(5000) })).toBe(`${'A'.repeat(MAX_TLDR_CHARS - 1)}…`);
  });
});
