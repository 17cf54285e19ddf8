import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { DayScores } from '../../src/picks/day-scores.js';
import { explainReader } from '../../src/picks/explain-reader.js';
import { indexDay, planReader, type DayPaper } from '../../src/picks/plan-reader.js';
import { followKey, type FollowKind, type Rating } from '../../src/picks/reader-signals.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { buildTopicMatcher } from '../../src/topics/build-topic-matcher.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import type { Paper } from '../../src/types.js';

// Real days only (tune days of test/fixtures/topics/arxiv-days): ratings on one, picks on a later one.
const FIX = path.resolve('test/fixtures/topics/arxiv-days');
const map = loadTopicMap(path.resolve('content/topics.yml'));
function load(date: string) {
  const file = path.join(FIX, `arxiv-${date}.json`);
  const papers = parseDigest(readFileSync(file), { name: path.basename(file) }).digest.papers;
  const area = new Map(Object.entries(JSON.parse(readFileSync(file.replace(/\.json$/, '.labels.json'), 'utf8')).paper_topics as Record<string, string | null>));
  const themed = assignTopics({ date, source: file, papers }, { map });
  const section = new Map<string, { id: string; label: string } | null>();
  for (const t of themed.themes) for (const p of t.papers) section.set(p.id, t.kind === 'topic' ? t : null);
  const day: DayPaper[] = papers.map((paper, rank) => ({ paper, topicId: section.get(paper.id)?.id ?? null, topicLabel: section.get(paper.id)?.label ?? null, rank }));
  return { papers, area, day };
}
const before = load('2025-06-06');
const today = load('2026-02-09');
const index = indexDay(today.day, { matcher: buildTopicMatcher(map) });
const rating = (p: Paper, choice: 'more' | 'less', k: number): Rating => ({
  paperId: p.id, title: p.title, abstract: p.abstract, authors: p.authors, keywords: p.keywords, choice, ratedAt: `2026-01-01T00:00:${String(k).padStart(2, '0')}Z`,
});
const follow = (kind: FollowKind, value: string) => ({ kind, value, key: followKey(kind, value), createdAt: '2026-12-01T00:00:00Z' });
/** A medicine reader: six medical papers "more", four others "less", as they came in the listing. */
const medical = [
  ...before.papers.filter((p) => before.area.get(p.id) === 'medicine-health').slice(0, 6).map((p, k) => rating(p, 'more', k)),
  ...before.papers.filter((p) => before.area.get(p.id) !== 'medicine-health').slice(0, 4).map((p, k) => rating(p, 'less', 6 + k)),
];
const medicalIn = (id: string) => today.area.get(id) === 'medicine-health';
const text = (id: string) => {
  const p = today.papers.find((x) => x.id === id)!;
  return [p.title, p.abstract, ...p.authors].join(' ').toLowerCase();
};

describe('planReader with a model (ratings)', () => {
  const plan = planReader(index, { signals: { ratings: medical, follows: [] }, topics: null }, { picks: 5 });

  it('picks from every paper of the day what the reader rated "more" like, with a reason in the paper\'s words', () => {
    expect(plan.picks).toHaveLength(5);
    expect(plan.picks.filter((p) => medicalIn(p.paperId)).length).toBeGreaterThanOrEqual(4);
    for (const pick of plan.picks) {
      const m = /^like (a paper|(\d+) papers) you marked: (.+)$/.exec(pick.reason);
      expect(m, pick.reason).not.toBeNull();
      // Surface forms that occur in the pick itself (not stems such as "medic" or "clinic"),
      // and no more papers than the reader marked "more".
      for (const term of m![3]!.split(', ')) expect(text(pick.paperId)).toContain(term.toLowerCase());
      expect(Number(m![2] ?? 1)).toBeLessThanOrEqual(6);
    }
  });

  it('scores every paper of the day for in-section order, and the picks are the best of them', () => {
    expect(plan.scores).toBeInstanceOf(DayScores);
    expect(plan.scores!.size).toBe(today.papers.length);
    const ranked = [...plan.scores!.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    expect(plan.picks.map((p) => p.paperId)).toEqual(ranked.slice(0, 5));
    expect(Object.keys(JSON.parse(JSON.stringify(plan.scores)))).toHaveLength(today.papers.length);
    // The same signals give the same plan.
    expect(planReader(index, { signals: { ratings: medical, follows: [] }, topics: null }, { picks: 5 })).toEqual(plan);
  });

  it('puts follows first and says so, never picks a muted paper, and sinks it in its section', () => {
    const top = plan.picks[0]!.paperId;
    const author = today.papers.find((p) => !medicalIn(p.id) && p.authors.length > 0)!;
    const word = text(top).includes('clinical') ? 'clinical' : 'medical';
    const followed = planReader(index, { signals: { ratings: medical, follows: [follow('author', author.authors[0]!), follow('mute', word)] }, topics: null }, { picks: 5 });
    expect(followed.picks[0]).toMatchObject({ paperId: author.id, reason: `you follow ${author.authors[0]}` });
    const muted = today.papers.filter((p) => new RegExp(`\\b${word}\\b`, 'i').test(`${p.title} ${p.abstract}`)).map((p) => p.id);
    expect(muted.length).toBeGreaterThan(0);
    for (const pick of followed.picks) expect(muted).not.toContain(pick.paperId);
    expect(followed.scores!.get(muted[0]!)!).toBeLessThan(plan.scores!.get(muted[0]!)! - 5);
  });

  it('never picks a paper the reader already rated', () => {
    const again = today.papers.slice(0, 3);
    const ratings = [...medical, ...again.map((p, k) => rating(p, 'more', 20 + k))];
    const p2 = planReader(index, { signals: { ratings, follows: [] }, topics: null }, { picks: 30 });
    for (const p of again) expect(p2.picks.map((x) => x.paperId)).not.toContain(p.id);
  });

  it('has no model below 3 ratings or with no "more": follows and topics alone, sections in the day\'s order', () => {
    const two = planReader(index, { signals: { ratings: medical.slice(0, 2), follows: [] }, topics: null }, { picks: 5 });
    expect(two.scores).toBeNull();
    expect(two.picks).toEqual([]);
    const less = planReader(index, { signals: { ratings: medical.slice(6), follows: [] }, topics: ['robotics'] }, { picks: 5 });
    expect(less.scores).toBeNull();
    expect(less.picks.every((p) => p.reason.startsWith('in your topic '))).toBe(true);
  });

  it('works without a topic matcher too (rated papers take the nearest topic of the day)', () => {
    const plain = indexDay(today.day);
    const p = planReader(plain, { signals: { ratings: medical, follows: [] }, topics: null }, { picks: 5 });
    expect(p.picks.filter((x) => medicalIn(x.paperId)).length).toBeGreaterThanOrEqual(3);
  });
});

describe('explainReader', () => {
  it('shows the terms that weigh most for and against, as written', () => {
    const why = explainReader({ ratings: medical, follows: [] }, { limit: 8 });
    expect(why.model).toBe(true);
    expect(why.ratings).toBe(10);
    expect(why.for).toHaveLength(8);
    expect(why.against.length).toBeGreaterThan(0);
    expect(why.for.every((t) => t.weight > 0) && why.against.every((t) => t.weight < 0)).toBe(true);
    const more = medical.slice(0, 6).map((r) => [r.title, r.abstract, ...r.authors].join(' ').toLowerCase()).join(' ');
    const less = medical.slice(6).map((r) => [r.title, r.abstract, ...r.authors].join(' ').toLowerCase()).join(' ');
    for (const t of why.for) expect(more).toContain(t.term.toLowerCase());
    for (const t of why.against) expect(less).toContain(t.term.toLowerCase());
    expect(why.for.map((t) => t.term).join(' ')).toMatch(/health|clinical|medical|patient|dental|disease/i);
  });

  it('has nothing to show below 3 ratings', () => {
    expect(explainReader({ ratings: medical.slice(0, 2), follows: [] })).toEqual({ model: false, ratings: 2, for: [], against: [] });
    expect(explainReader(null).model).toBe(false);
  });
});
