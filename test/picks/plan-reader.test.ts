import { describe, expect, it } from 'vitest';
import { indexDay, planReader, type DayPaper } from '../../src/picks/plan-reader.js';
import { EMPTY_PLAN } from '../../src/picks/reader-plan.js';
import { followKey, type Follow, type FollowKind } from '../../src/picks/reader-signals.js';
import type { Paper } from '../../src/types.js';

const paper = (id: string, title: string, abstract: string, authors: string[]): Paper => ({
  id, title, abstract, summary: null, authors, authorCount: authors.length, publishedAt: null, upvotes: null, url: null, codeUrl: null, keywords: [],
});
const day: DayPaper[] = [
  { paper: paper('1', 'Faster Speculative Decoding with Draft Trees', 'We draft tokens with a small model.', ['Tri Dao', 'A. Person']), topicId: 'efficient-llm', topicLabel: 'Efficient LLMs', rank: 0 },
  { paper: paper('2', 'A Benchmark for Web Agents', 'Agents browse websites.', ['B. Person']), topicId: 'llm-agents', topicLabel: 'LLM Agents', rank: 1 },
  { paper: paper('3', 'Diffusion Models Decoded Speculatively', 'Image generation with diffusion.', ['Trí Dao']), topicId: 'image-generation', topicLabel: 'Image Generation', rank: 2 },
];
const follow = (kind: FollowKind, value: string): Follow => ({ kind, value, key: followKey(kind, value), createdAt: '2026-12-01T00:00:00Z' });

describe('planReader (follows and topics, before a model)', () => {
  const index = indexDay(day);

  it('gives a reader who said nothing the issue unchanged', () => {
    expect(planReader(index, { signals: null, topics: null }, { picks: 5 })).toBe(EMPTY_PLAN);
    expect(planReader(index, { signals: { ratings: [], follows: [] }, topics: null }, { picks: 5 })).toBe(EMPTY_PLAN);
  });

  it('picks a followed author (normalised), a followed phrase on stems, and a topic, each with its reason', () => {
    const plan = planReader(index, { signals: { ratings: [], follows: [follow('author', 'tri dao'), follow('phrase', 'speculative decoding')] }, topics: ['llm-agents'] }, { picks: 5 });
    expect(plan.picks.map((p) => [p.paperId, p.reason])).toEqual([
      ['1', 'you follow tri dao'],
      ['3', 'you follow tri dao'],
      ['2', 'in your topic LLM Agents'],
    ]);
  });

  it('never picks a paper with a muted phrase, and keeps to the limit', () => {
    const plan = planReader(index, { signals: { ratings: [], follows: [follow('author', 'Tri Dao'), follow('mute', 'diffusion')] }, topics: null }, { picks: 1 });
    expect(plan.picks.map((p) => p.paperId)).toEqual(['1']);
    const none = planReader(index, { signals: { ratings: [], follows: [follow('phrase', 'draft tree'), follow('mute', 'draft trees')] }, topics: null }, { picks: 5 });
    expect(none.picks).toEqual([]);
  });
});
