/**
 * The figures of picks on real labelled days (issue #20, "Measured"), as
 * scripts/measure-picks.mjs prints them, asserted at what the model reaches so that a change
 * that makes picks worse fails here. Readers rate on tune days and are scored on report days
 * (held out: the model's settings were chosen on tune days only); see the script's comment.
 */
import { describe, expect, it } from 'vitest';

interface Figures { p5: number; ndcg: number }
interface Row {
  kind: string; date: string; areas: number; readers: number; topics: Figures;
  byRatings: Record<string, { model: Figures; both: Figures }>;
}
// A variable specifier: the script is plain JavaScript over dist/ (built by the test setup).
const script = '../../scripts/measure-picks.mjs';
const { measurePicks, mean } = (await import(script)) as {
  measurePicks(options: { set: string; readers: number }): Row[];
  mean(rows: Row[], get: (r: Row) => number): number;
};

describe('picks on real report days (simulated readers, 40 a day and area count)', () => {
  const rows = measurePicks({ set: 'report', readers: 40 });
  const one = rows.filter((r) => r.areas === 1);
  const two = rows.filter((r) => r.areas === 2);
  const at = (sub: Row[], ratings: number, get: (f: { model: Figures; both: Figures }) => number) => mean(sub, (r) => get(r.byRatings[ratings]!));

  it('measures every report day, arXiv and HF', () => {
    expect(new Set(rows.map((r) => r.date))).toEqual(new Set(['2025-10-13', '2026-02-16', '2026-06-24', '2024-10-10', '2026-05-13', '2026-07-28']));
    expect(rows.every((r) => r.readers === 40)).toBe(true);
  });

  it('gets better with ratings: 0 < 3 < 10 < 30', () => {
    for (const sub of [one, two]) {
      const ndcg = [0, 3, 10, 30].map((n) => at(sub, n, (f) => f.model.ndcg));
      expect(ndcg[1]!).toBeGreaterThan(ndcg[0]!);
      expect(ndcg[2]!).toBeGreaterThan(ndcg[1]!);
      expect(ndcg[3]!).toBeGreaterThan(ndcg[2]!);
    }
  });

  // Reached on report days (40 readers a day and area count): one area, 10 ratings: P@5 0.70,
  // nDCG@10 0.730 against 0.634 for topics only (+0.096); 30 ratings: P@5 0.72, +0.126. Two
  // areas: +0.006 at 10 ratings, +0.082 at 30. Issue #20 asks P@5 ≥ 0.8 and +0.10: not reached.
  it('one-area readers: nDCG@10 beats "topics only" by 0.09 at 10 ratings and 0.12 at 30; Precision@5 0.70', () => {
    expect(at(one, 10, (f) => f.model.ndcg) - mean(one, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.09);
    expect(at(one, 30, (f) => f.model.ndcg) - mean(one, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.12);
    expect(at(one, 10, (f) => f.model.p5)).toBeGreaterThanOrEqual(0.69);
    expect(at(one, 30, (f) => f.model.p5)).toBeGreaterThanOrEqual(0.71);
  });

  it('two-area readers: as good as "topics only" at 10 ratings, better by 0.075 at 30', () => {
    expect(at(two, 10, (f) => f.model.ndcg)).toBeGreaterThanOrEqual(mean(two, (r) => r.topics.ndcg));
    expect(at(two, 30, (f) => f.model.ndcg) - mean(two, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.075);
  });
}, 600_000);
