/**
 * Picks from the topic map's view of a paper (its topic profile): the cold start, where a
 * reader's topics alone pick the papers that fit them best, and the model's use of profiles,
 * on a real arXiv tune day with the shipped map's matcher, as a send indexes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { indexDay, planReader, type DayPaper } from '../../src/picks/plan-reader.js';
import { EMPTY_PLAN } from '../../src/picks/reader-plan.js';
import type { Rating } from '../../src/picks/reader-signals.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { buildTopicMatcher } from '../../src/topics/build-topic-matcher.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import type { Paper } from '../../src/types.js';

const FIX = path.resolve('test/fixtures/topics/arxiv-days');
const map = loadTopicMap(path.resolve('content/topics.yml'));
const matcher = buildTopicMatcher(map);
function load(date: string) {
  const file = path.join(FIX, `arxiv-${date}.json`);
  const papers = parseDigest(readFileSync(file), { name: path.basename(file) }).digest.papers;
  const themed = assignTopics({ date, source: file, papers }, { map });
  const section = new Map<string, { id: string; label: string } | null>();
  for (const t of themed.themes) for (const p of t.papers) section.set(p.id, t.kind === 'topic' ? t : null);
  const day: DayPaper[] = papers.map((paper, rank) => ({ paper, topicId: section.get(paper.id)?.id ?? null, topicLabel: section.get(paper.id)?.label ?? null, rank }));
  return { papers, day };
}
const today = load('2026-02-09');
const index = indexDay(today.day, { matcher });
const rating = (p: Paper, choice: 'more' | 'less', k: number): Rating => ({
  paperId: p.id, title: p.title, abstract: p.abstract, authors: p.authors, keywords: p.keywords, choice, ratedAt: `2026-01-01T00:00:${String(k).padStart(2, '0')}Z`,
});

describe('cold start: topics alone', () => {
  // The day's largest section.
  const sizes = new Map<string, number>();
  for (const p of today.day) if (p.topicId !== null) sizes.set(p.topicId, (sizes.get(p.topicId) ?? 0) + 1);
  const topic = [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const members = today.day.map((p, i) => ({ ...p, i })).filter((p) => p.topicId === topic);
  const fit = (i: number) => index.vectors.topicFit(i, topic);
  const plan = planReader(index, { signals: { ratings: [], follows: [] }, topics: [topic] }, { picks: 5 });

  it('a reader with topics and no ratings gets picks from their topics, each "in your topic"', () => {
    expect(members.length).toBeGreaterThan(5);
    expect(plan.picks).toHaveLength(5);
    expect(plan.scores).toBeNull();
    for (const pick of plan.picks) {
      expect(today.day.find((p) => p.paper.id === pick.paperId)!.topicId).toBe(topic);
      expect(pick.reason).toBe(`in your topic ${members[0]!.topicLabel}`);
    }
  });

  it('picks the papers that fit the topic best by the map, not only the first listed', () => {
    const picked = plan.picks.map((p) => members.find((m) => m.paper.id === p.paperId)!);
    const listed = members.slice(0, 5);
    expect(picked.map((p) => p.paper.id)).not.toEqual(listed.map((p) => p.paper.id));
    const meanFit = (ps: typeof members) => ps.reduce((s, p) => s + fit(p.i), 0) / ps.length;
    expect(meanFit(picked)).toBeGreaterThan(meanFit(listed) + 0.05);
    // The best fit of the section is picked.
    const best = [...members].sort((a, b) => fit(b.i) - fit(a.i))[0]!;
    expect(picked.map((p) => p.paper.id)).toContain(best.paper.id);
  });

  it('a reader with no ratings, follows or topics still gets the issue unchanged', () => {
    expect(planReader(index, { signals: { ratings: [], follows: [] }, topics: null }, { picks: 5 })).toBe(EMPTY_PLAN);
    expect(planReader(index, { signals: null, topics: null }, { picks: 5 })).toBe(EMPTY_PLAN);
  });
});

describe('the model with topic profiles', () => {
  const before = load('2025-06-06');
  const terms = index.vectors.termCount;
  // A robotics reader: the first six robotics papers of an earlier day "more", four others "less".
  const robotics = (p: Paper) => matcher.score(p)[0]?.id === 'robotics';
  const ratings = [
    ...before.papers.filter(robotics).slice(0, 6).map((p, k) => rating(p, 'more', k)),
    ...before.papers.filter((p) => !robotics(p)).slice(0, 4).map((p, k) => rating(p, 'less', 6 + k)),
  ];
  const plan = planReader(index, { signals: { ratings, follows: [] }, topics: null }, { picks: 5 });

  it('finds the area the reader rated on a day they never saw, and explains picks in words, never a topic feature', () => {
    expect(plan.picks).toHaveLength(5);
    const onTopic = plan.picks.filter((p) => (index.vectors.topicFit(index.ids.get(p.paperId)!, 'robotics') ?? 0) > 0.5);
    expect(onTopic.length).toBeGreaterThanOrEqual(4);
    for (const pick of plan.picks) {
      expect(pick.reason).toMatch(/^(like (a paper|\d+ papers) you marked: |close to papers you marked)/);
      expect(pick.reason).not.toContain('#');
    }
  });

  it('rated papers never add terms to the day (a send of 100,000 readers keeps the day\'s vocabulary)', () => {
    expect(index.vectors.termCount).toBe(terms);
  });
});
