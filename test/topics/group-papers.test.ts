import { describe, expect, it } from 'vitest';
import { CATCH_ALL_ID, CATCH_ALL_LABEL, groupPapers } from '../../src/topics/group-papers.js';
import type { Digest, ThemedDigest } from '../../src/types.js';
import { loadSampleDigest, loadThemesFixture, makeDigest, makePaper, shuffle, themeOf } from './helpers/digests.js';

/** The contract every ThemedDigest keeps, whatever the input. */
function expectWellFormed(themed: ThemedDigest, digest: Digest): void {
  const placed = themed.themes.flatMap((t) => t.papers);
  expect(placed).toHaveLength(digest.papers.length);
  expect(new Set(placed).size).toBe(digest.papers.length);
  for (const p of digest.papers) expect(placed).toContain(p);
  const others = themed.themes.filter((t) => t.other);
  expect(others.length).toBeLessThanOrEqual(1);
  if (others.length === 1) expect(themed.themes.at(-1)!.other).toBe(true);
  expect(new Set(themed.themes.map((t) => t.id)).size).toBe(themed.themes.length);
  expect(new Set(themed.themes.map((t) => t.label.toLowerCase())).size).toBe(themed.themes.length);
  for (const t of themed.themes) {
    expect(t.papers.length).toBeGreaterThan(0);
    expect(t.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    if (!t.other) expect(t.label.split(' ').length).toBeLessThanOrEqual(4);
  }
  expect(themed.date).toBe(digest.date);
  expect(themed.source).toBe(digest.source);
}

const unrelated = [
  makePaper({ title: 'Protein Backbone Design with Flow Matching', abstract: 'We generate protein backbones for binders.' }),
  makePaper({ title: 'A Global Weather Forecaster from Reanalysis', abstract: 'Medium-range weather forecasts from ERA5.' }),
  makePaper({ title: 'Speech Synthesis with Neural Codecs', abstract: 'Zero-shot text-to-speech from a short voice prompt.' }),
];

describe('groupPapers', () => {
  it('keeps the contract on the real page and on both hand-written digests', () => {
    for (const digest of [loadSampleDigest(), loadThemesFixture('agents-video-robotics-2025-07-15.json'), loadThemesFixture('moe-rag-multimodal-2025-09-03.json')]) {
      expectWellFormed(groupPapers(digest), digest);
    }
  });

  it('gives byte-identical output whatever the order of the papers', () => {
    for (const digest of [loadSampleDigest(), loadThemesFixture('moe-rag-multimodal-2025-09-03.json')]) {
      const expected = JSON.stringify(groupPapers(digest));
      for (const seed of [1, 42, 2025]) {
        const shuffled = { ...digest, papers: shuffle(digest.papers, seed) };
        expect(JSON.stringify(groupPapers(shuffled)), `seed ${seed}`).toBe(expected);
      }
    }
  });

  it('puts three unrelated papers in the catch-all alone, without error', () => {
    const themed = groupPapers(makeDigest(unrelated));
    expect(themed.themes).toHaveLength(1);
    expect(themed.themes[0]).toMatchObject({ id: CATCH_ALL_ID, label: CATCH_ALL_LABEL, other: true, keywords: [] });
    expect(themed.themes[0]!.papers).toHaveLength(3);
  });

  it('gives no themes for an empty digest, and a catch-all for a single paper', () => {
    expect(groupPapers(makeDigest([])).themes).toEqual([]);
    const one = groupPapers(makeDigest([unrelated[0]!]));
    expect(one.themes.map((t) => [t.other, t.papers.length])).toEqual([[true, 1]]);
  });

  it('groups two papers on one topic even in a two-paper digest', () => {
    const themed = groupPapers(
      makeDigest([
        makePaper({ title: 'KV Cache Quantization for Long Contexts', abstract: 'We quantize the KV cache to 2 bits.' }),
        makePaper({ title: 'Cross-Layer KV Cache Compression', abstract: 'We compress the KV cache across layers.' }),
      ]),
    );
    expect(themed.themes).toHaveLength(1);
    expect(themed.themes[0]!.other).toBe(false);
    expect(themed.themes[0]!.label).toContain('KV');
  });

  it('orders papers in a theme by upvotes (null as 0), then newer date, then id', () => {
    const topic = 'Knowledge Distillation for Language Models';
    const abstract = 'Knowledge distillation trains a student from a teacher.';
    const papers = [
      makePaper({ id: 'c', title: topic, abstract, upvotes: null, publishedAt: '2025-01-02' }),
      makePaper({ id: 'b', title: topic, abstract, upvotes: 5, publishedAt: '2024-01-01' }),
      makePaper({ id: 'a', title: topic, abstract, upvotes: 0, publishedAt: '2025-01-02' }),
      makePaper({ id: 'd', title: topic, abstract, upvotes: 0, publishedAt: null }),
      makePaper({ id: 'e', title: topic, abstract, upvotes: 0, publishedAt: '2025-03-01' }),
    ];
    const themed = groupPapers(makeDigest(papers));
    expect(themed.themes[0]!.papers.map((p) => p.id)).toEqual(['b', 'e', 'a', 'c', 'd']);
  });

  it('orders themes by summed upvotes, then size, with the catch-all last', () => {
    const themed = groupPapers(loadThemesFixture('moe-rag-multimodal-2025-09-03.json'));
    const named = themed.themes.filter((t) => !t.other);
    const votes = named.map((t) => t.papers.reduce((s, p) => s + (p.upvotes ?? 0), 0));
    for (let i = 1; i < named.length; i++) {
      expect(votes[i - 1]! > votes[i]! || (votes[i - 1] === votes[i] && named[i - 1]!.papers.length >= named[i]!.papers.length)).toBe(true);
    }
  });

  it('sends the weakest clusters to the catch-all when there are more than maxThemes', () => {
    const digest = loadThemesFixture('moe-rag-multimodal-2025-09-03.json');
    const all = groupPapers(digest).themes.filter((t) => !t.other);
    const two = groupPapers(digest, { maxThemes: 2 });
    const named = two.themes.filter((t) => !t.other);
    expect(named).toHaveLength(2);
    const biggest = [...all].sort((a, b) => b.papers.length - a.papers.length).slice(0, 2);
    expect(named.map((t) => t.papers.length).sort()).toEqual(biggest.map((t) => t.papers.length).sort());
    expect(two.themes.at(-1)!.other).toBe(true);
    expectWellFormed(two, digest);
    expect(groupPapers(digest, { maxThemes: 0 }).themes.map((t) => t.other)).toEqual([true]);
  });

  it('sends clusters smaller than minSize to the catch-all', () => {
    const digest = loadSampleDigest();
    const themed = groupPapers(digest, { minSize: 4 });
    for (const t of themed.themes) if (!t.other) expect(t.papers.length).toBeGreaterThanOrEqual(4);
    expect(themeOf(themed, 'KIVI').other).toBe(false);
  });

  it('merges more as the threshold falls and less as it rises', () => {
    const digest = loadSampleDigest();
    const other = (t: number) => groupPapers(digest, { threshold: t, maxThemes: 50 }).themes.find((x) => x.other)?.papers.length ?? 0;
    expect(other(0.05)).toBeLessThanOrEqual(other(0.12));
    expect(other(0.12)).toBeLessThanOrEqual(other(0.5));
    expect(other(0.99)).toBe(39);
  });

  it('rejects parameters out of range', () => {
    const digest = makeDigest(unrelated);
    expect(() => groupPapers(digest, { threshold: 0 })).toThrow(RangeError);
    expect(() => groupPapers(digest, { threshold: Number.NaN })).toThrow(RangeError);
    expect(() => groupPapers(digest, { maxThemes: -1 })).toThrow(RangeError);
    expect(() => groupPapers(digest, { minSize: 1 })).toThrow(RangeError);
  });

  it('uses source keywords: papers whose only shared words are their keywords group together', () => {
    const papers = [
      makePaper({ title: 'Paper One', abstract: 'Alpha beta gamma.', keywords: ['speculative decoding', 'draft model'] }),
      makePaper({ title: 'Paper Two', abstract: 'Delta epsilon zeta.', keywords: ['speculative decoding', 'draft model'] }),
      makePaper({ title: 'Paper Three', abstract: 'Eta theta iota.', keywords: ['protein folding'] }),
    ];
    const themed = groupPapers(makeDigest(papers));
    expect(themeOf(themed, 'Paper One').id).toBe(themeOf(themed, 'Paper Two').id);
    expect(themeOf(themed, 'Paper One').label).toBe('Speculative Decoding');
    expect(themeOf(themed, 'Paper Three').other).toBe(true);
  });
});

describe('groupPapers with operator themes', () => {
  const digest = loadSampleDigest();

  it('gives matching papers to the operator theme first, then clusters the rest', () => {
    const themed = groupPapers(digest, {
      operatorThemes: [{ label: 'Efficient LLM Inference', keywords: ['quantization'], phrases: ['kv cache'] }],
    });
    const theme = themed.themes.find((t) => t.label === 'Efficient LLM Inference')!;
    expect(theme).toBeDefined();
    expect(theme.id).toBe('efficient-llm-inference');
    for (const prefix of ['PrefixKV', 'KIVI', 'xKV', 'CSKV', 'No Token Left Behind']) expect(themeOf(themed, prefix).id).toBe(theme.id);
    expect(theme.keywords).toContain('kv cache');
    expectWellFormed(themed, digest);
  });

  it('leaves out an operator theme that no paper matches', () => {
    const themed = groupPapers(digest, {
      operatorThemes: [
        { label: 'Robotics', keywords: ['robot', 'locomotion'], phrases: ['robot manipulation'] },
        { label: 'Distillation Watch', keywords: ['distillation'], phrases: [] },
      ],
    });
    expect(themed.themes.map((t) => t.label)).not.toContain('Robotics');
    expect(themed.themes.map((t) => t.label)).toContain('Distillation Watch');
  });

  it('never gives an automatic theme an operator theme\'s label', () => {
    const themed = groupPapers(digest, { operatorThemes: [{ label: 'KV Cache', keywords: ['kivi'], phrases: [] }] });
    const labels = themed.themes.map((t) => t.label.toLowerCase());
    expect(labels.filter((l) => l === 'kv cache')).toHaveLength(1);
    expect(themed.themes.find((t) => t.label === 'KV Cache')!.papers.map((p) => p.title)).toEqual([
      'KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache',
    ]);
  });

  it('stays order-independent with operator themes', () => {
    const operatorThemes = [{ label: 'Distillation Watch', keywords: ['distillation', 'teacher'], phrases: ['knowledge distillation'] }];
    const expected = JSON.stringify(groupPapers(digest, { operatorThemes }));
    expect(JSON.stringify(groupPapers({ ...digest, papers: shuffle(digest.papers, 7) }, { operatorThemes }))).toBe(expected);
  });
});
