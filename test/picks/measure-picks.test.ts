/**
 * The figures of picks on real labelled days (issue #20, "Measured"), as
 * scripts/measure-picks.mjs prints them, asserted at what the model reaches so that a change
 * that makes picks worse fails here. "Topics only" is the reader's topics in the day's order
 * (a copy narrowed to them, no picks); the reader measured follows those topics and rates
 * papers ("both"), and "model" is the same reader with every topic (ratings alone). Readers rate on tune days and are scored on report days
 * (held out: the model's settings were chosen on tune days only); see the script's comment.
 */
import { describe, expect, it } from 'vitest';

interface Figures { p5: number; ndcg: number }
interface Row {
  kind: string; date: string; areas: number; readers: number; topics: Figures;
  byRatings: Record<string, { model: Figures; both: Figures }>;
  /** Per liked area (or pair), at 10 ratings: its papers on the scored day, readers, P@5. */
  byArea: Record<string, { onDay: number[]; readers: number; p5: number }>;
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

  // Precision@5 is well defined: every reader's liked areas have at least five papers on the
  // scored day (so P@5 = P@min(5, relevant papers) and five right picks are possible), and each
  // liked area has at least one.
  it('scores only readers who could get five right picks', () => {
    for (const r of rows) {
      const groups = Object.values(r.byArea);
      expect(groups.reduce((s, a) => s + a.readers, 0)).toBe(r.readers);
      for (const a of groups) {
        expect(a.onDay).toHaveLength(r.areas);
        expect(a.onDay.reduce((s, c) => s + c, 0)).toBeGreaterThanOrEqual(5);
        expect(Math.min(...a.onDay)).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('gets better with ratings: 0 < 3 < 10 < 30, with topics and with ratings alone', () => {
    for (const sub of [one, two]) {
      for (const get of [(f: { model: Figures; both: Figures }) => f.model.ndcg, (f: { model: Figures; both: Figures }) => f.both.ndcg]) {
        const ndcg = [0, 3, 10, 30].map((n) => at(sub, n, get));
        expect(ndcg[1]!).toBeGreaterThan(ndcg[0]!);
        expect(ndcg[2]!).toBeGreaterThan(ndcg[1]!);
        expect(ndcg[3]!).toBeGreaterThan(ndcg[2]!);
      }
    }
  });

  // Cold start: a reader with topics and no ratings gets the papers that fit their topics best
  // (one area P@5 0.66, two 0.65, against 0.64 and 0.61 for their topics in the day's order).
  it('0 ratings: topics alone pick at least as well as the topics in the day\'s order', () => {
    for (const sub of [one, two]) expect(at(sub, 0, (f) => f.both.p5)).toBeGreaterThanOrEqual(mean(sub, (r) => r.topics.p5));
  });

  // Reached on report days (40 readers a day and area count), the reader with topics and ratings:
  // one area, 10 ratings: P@5 0.72, nDCG@10 0.78 against 0.63 for topics only (+0.15); 30
  // ratings: P@5 0.73, +0.16. Issue #20 asks P@5 >= 0.8 (not reached) and +0.10 (reached).
  // More ratings do not reach it either (100 ratings: 0.72): 81% of the wrong picks sit in a
  // topic the reader follows, filed there by the grouping, labelled another area by the editor
  // (scripts/measure-picks.mjs --by-area; picks/pick-settings.ts lists what was tried).
  it('one-area readers: nDCG@10 beats "topics only" by 0.13 at 10 ratings and 30; Precision@5 0.70', () => {
    expect(at(one, 10, (f) => f.both.ndcg) - mean(one, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.13);
    expect(at(one, 30, (f) => f.both.ndcg) - mean(one, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.13);
    expect(at(one, 10, (f) => f.both.p5)).toBeGreaterThanOrEqual(0.7);
    expect(at(one, 30, (f) => f.both.p5)).toBeGreaterThanOrEqual(0.71);
    // Ratings alone (every topic): 0.71 / 0.78 at 10 ratings.
    expect(at(one, 10, (f) => f.model.ndcg) - mean(one, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.12);
    expect(at(one, 10, (f) => f.model.p5)).toBeGreaterThanOrEqual(0.69);
  });

  // Two areas, with topics: nDCG@10 0.77 at 10 ratings against 0.64 (+0.13); ratings alone +0.08.
  it('two-area readers: nDCG@10 beats "topics only" by 0.11 at 10 ratings (ratings alone: 0.06)', () => {
    expect(at(two, 10, (f) => f.both.ndcg) - mean(two, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.11);
    expect(at(two, 30, (f) => f.both.ndcg) - mean(two, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.12);
    expect(at(two, 10, (f) => f.model.ndcg) - mean(two, (r) => r.topics.ndcg)).toBeGreaterThanOrEqual(0.06);
  });
}, 600_000);
