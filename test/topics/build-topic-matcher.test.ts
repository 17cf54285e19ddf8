import { describe, expect, it } from 'vitest';
import { buildTopicMatcher, FIELD_WEIGHTS, LEARNED_WEIGHT_CAP, SHIPPED_WEIGHT_FLOOR } from '../../src/topics/build-topic-matcher.js';
import type { Topic, TopicMap } from '../../src/topics/load-topic-map.js';
import { makePaper } from './helpers/digests.js';

const topic = (id: string, phrases: string[]): Topic => ({ id, label: id, description: id, phrases, origin: 'map', position: 'test' });
const map: TopicMap = {
  topics: [
    topic('efficient', ['kv cache', 'quantization', 'speculative decoding']),
    topic('distill', ['distillation', 'knowledge distillation', 'teacher model']),
    topic('reasoning', ['on-policy distillation', 'grpo']),
    topic('math', ['aime', 'theorem proving']),
  ],
};
const matcher = buildTopicMatcher(map);
const scoreOf = (paper: ReturnType<typeof makePaper>, id: string) => matcher.score(paper).find((s) => s.id === id)?.score ?? 0;

describe('buildTopicMatcher', () => {
  it('matches phrases by stems, any case and hyphenation, title counting 3, keywords 2, abstract 1', () => {
    const title = makePaper({ title: 'Asymmetric KV-Caches' });
    const keywords = makePaper({ title: 'A paper', keywords: ['KV caches'] });
    const body = makePaper({ title: 'A paper', abstract: 'We shrink the KV cache.' });
    const w = matcher.score(title)[0]!.matches[0]!.weight;
    expect(w).toBeGreaterThanOrEqual(SHIPPED_WEIGHT_FLOOR);
    expect(scoreOf(title, 'efficient')).toBeCloseTo(FIELD_WEIGHTS.title * w);
    expect(scoreOf(keywords, 'efficient')).toBeCloseTo(FIELD_WEIGHTS.keywords * w);
    expect(scoreOf(body, 'efficient')).toBeCloseTo(FIELD_WEIGHTS.body * w);
  });

  it('counts a phrase once in the title and sublinearly in the abstract', () => {
    const once = makePaper({ title: 'x', abstract: 'Quantization helps.' });
    const often = makePaper({ title: 'x', abstract: 'Quantization helps. Quantization again. More quantization.' });
    expect(scoreOf(often, 'efficient') / scoreOf(once, 'efficient')).toBeCloseTo(1 + Math.log(3));
  });

  it('gives a longer phrase more weight, and lets it hide the shorter phrases of other topics inside it', () => {
    const opd = makePaper({ title: 'Faster On-Policy Distillation' });
    const scores = matcher.score(opd);
    expect(scores.map((s) => s.id)).toEqual(['reasoning']);
    const kd = makePaper({ title: 'Knowledge Distillation with a Teacher Model' });
    expect(matcher.score(kd)[0]!.matches.map((m) => m.term)).toEqual(['knowledge distillation', 'teacher model']);
  });

  it('matches an acronym written in lowercase in the map as a word, not by its stem ("aime" is not "aim")', () => {
    expect(scoreOf(makePaper({ title: 'We aim to prove theorems' }), 'math')).toBe(0);
    expect(scoreOf(makePaper({ title: 'Results on AIME 2025' }), 'math')).toBeGreaterThan(0);
  });

  it('matches a one-word "-ity" phrase only as itself or its plural, not every word of its stem', () => {
    const m = buildTopicMatcher({ topics: [topic('interp', ['interpretability', 'sparse autoencoder']), topic('theory', ['identifiability'])] });
    const fit = (title: string, id: string) => m.score(makePaper({ title })).find((s) => s.id === id)?.score ?? 0;
    // Porter2 gives all of these one stem; only the first two are about the property.
    expect(fit('Mechanistic Interpretability of Transformers', 'interp')).toBeGreaterThan(0);
    expect(fit('Interpretabilities compared', 'interp')).toBeGreaterThan(0);
    expect(fit('An Interpretable Model for Credit Risk', 'interp')).toBe(0);
    expect(fit('Interpreting Sparse Autoencoders', 'interp')).toBeGreaterThan(0);
    expect(fit('Identifiability of Latent Causes', 'theory')).toBeGreaterThan(0);
    expect(fit('We Identify Failure Modes', 'theory')).toBe(0);
  });

  it('adds learned terms with a capped weight, never more than a shipped phrase', () => {
    const learned = new Map([['reasoning', new Map([['BrowseComp', 5], ['GRPO', 0.4]])]]);
    const m = buildTopicMatcher(map, learned);
    const [s] = m.score(makePaper({ title: 'Scores on BrowseComp with GRPO' }));
    const browse = s!.matches.find((x) => x.term === 'BrowseComp')!;
    expect(browse.learned).toBe(true);
    expect(browse.weight).toBe(LEARNED_WEIGHT_CAP);
    // "GRPO" is a shipped phrase: it counts once, as shipped.
    expect(s!.matches.filter((x) => x.term.toLowerCase() === 'grpo')).toEqual([expect.objectContaining({ learned: false })]);
    expect(LEARNED_WEIGHT_CAP).toBeLessThan(SHIPPED_WEIGHT_FLOOR);
  });

  it('lists topics best first, ties by id', () => {
    const tie = makePaper({ title: 'GRPO and quantization' });
    expect(matcher.score(tie).map((s) => s.id)).toEqual(['efficient', 'reasoning']);
  });
});
