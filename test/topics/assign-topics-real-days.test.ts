/**
 * Issue #21, item 4: the topic map on real days it was NOT tuned on, with no section cap
 * (grouping is not the email's length limit). Four held-out arXiv listing days
 * (test/fixtures/topics/arxiv-days, 124–256 papers) and four held-out Hugging Face days
 * (test/fixtures/topics/hf-hidden-days, one of them from the older API without ai_keywords),
 * each scored against an editor's broad-area labels by scoreAgainstLabels, the same scorer
 * scripts/measure-topics.mjs prints.
 *
 * Where the targets are met they are asserted as such (clusters + catch-all ≤ 20% on
 * arXiv days, ≤ 25% on the HF days that meet it; no verb-fragment or generic story label).
 * Where they are not yet met (pairwise precision ≥ 0.8; 2026-07-28's unplaced share) the test
 * holds the figures measured when the map was frozen (docs/grouping.md), as floors: a change
 * that makes them worse fails here, and the target stays visible next to each floor.
 *
 * The last block checks the labels themselves: a second editor labelled one held-out day
 * blind (arxiv-2026-02-16.second-editor.json). Two editors agreeing well above 0.8 means the
 * target is reachable against these labels; the gap is the matcher's, not the labels' noise.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { isGenericLabel } from '../../src/topics/is-generic-label.js';
import { isVerbFragment } from '../../src/topics/is-verb-fragment.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { scoreAgainstLabels, type EditorLabels, type GroupingFigures } from '../../src/topics/score-against-labels.js';
import { ROOT } from './helpers/digests.js';

const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));
const FIX = path.join(ROOT, 'test/fixtures/topics');

/** Issue #21's targets on held-out days. */
const TARGET = { arXivUnplaced: 0.2, hfUnplaced: 0.25, precision: 0.8 };

/** The held-out days, with the floors measured when the map was frozen where a target is not met. */
const REPORT_DAYS = [
  { date: '2025-10-13', file: 'arxiv-days/arxiv-2025-10-13.json', unplaced: TARGET.arXivUnplaced, precisionFloor: 0.55 },
  // Added after the map was frozen, labelled before it was ever grouped: 13%, 0.56 over 295 pairs.
  { date: '2025-11-05', file: 'arxiv-days/arxiv-2025-11-05.json', unplaced: TARGET.arXivUnplaced, precisionFloor: 0.5 },
  { date: '2026-02-16', file: 'arxiv-days/arxiv-2026-02-16.json', unplaced: TARGET.arXivUnplaced, precisionFloor: 0.55 },
  { date: '2026-06-24', file: 'arxiv-days/arxiv-2026-06-24.json', unplaced: TARGET.arXivUnplaced, precisionFloor: 0.55 },
  { date: '2024-10-10', file: 'hf-hidden-days/hf-api-2024-10-10.json', unplaced: TARGET.hfUnplaced, precisionFloor: 0.5 },
  // Added after the map was frozen, labelled before it was ever grouped: 0.56 over 39 pairs.
  { date: '2025-10-14', file: 'hf-hidden-days/hf-api-2025-10-14.json', unplaced: TARGET.hfUnplaced, precisionFloor: 0.5 },
  { date: '2026-05-13', file: 'hf-hidden-days/hf-api-2026-05-13.json', unplaced: TARGET.hfUnplaced, precisionFloor: 0.35 },
  // 28% unplaced when frozen (target 25%): a 25-paper day where one paper is 4 points.
  { date: '2026-07-28', file: 'hf-hidden-days/hf-api-2026-07-28.json', unplaced: 0.3, precisionFloor: 0.35 },
] as const;

const figures = new Map<string, GroupingFigures>();
afterAll(() => {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const rows = [...figures].map(([date, f]) => `${date} | ${f.papers} | ${f.sections} | ${pct(f.unplacedShare)} | ${f.precision.toFixed(2)} | ${f.pairs}`);
  console.log(['day | papers | sections | clusters + catch-all | precision | pairs', ...rows].join('\n'));
});

describe.each(REPORT_DAYS)('the held-out day $date', ({ date, file, unplaced, precisionFloor }) => {
  const fixture = path.join(FIX, file);
  const { digest } = parseDigest(readFileSync(fixture), { name: path.basename(fixture) });
  const labels = JSON.parse(readFileSync(fixture.replace(/\.json$/, '.labels.json'), 'utf8')) as EditorLabels;
  const themed = assignTopics(digest, { map });
  const f = scoreAgainstLabels(themed, labels);
  figures.set(date, f);

  it('places every paper exactly once, with no section cap', () => {
    expect(themed.themes.flatMap((t) => t.papers.map((p) => p.id)).sort()).toEqual(digest.papers.map((p) => p.id).sort());
    expect(themed.themes.length).toBeGreaterThan(10);
  });

  it(`leaves at most ${Math.round(100 * unplaced)}% to clusters and the catch-all`, () => {
    expect(f.unplacedShare).toBeLessThanOrEqual(unplaced);
  });

  it(`keeps pairwise precision at or above ${precisionFloor} (issue target ${TARGET.precision})`, () => {
    expect(f.pairs).toBeGreaterThan(0);
    expect(f.precision).toBeGreaterThanOrEqual(precisionFloor);
  });

  it('labels no story with a verb fragment or a generic word', () => {
    for (const label of f.storyLabels) {
      expect(isVerbFragment(label), label).toBe(false);
      expect(isGenericLabel(label), label).toBe(false);
    }
  });
});

describe('two editors on the held-out day 2026-02-16', () => {
  const fixture = path.join(FIX, 'arxiv-days/arxiv-2026-02-16.json');
  const { digest } = parseDigest(readFileSync(fixture), { name: path.basename(fixture) });
  const first = JSON.parse(readFileSync(fixture.replace(/\.json$/, '.labels.json'), 'utf8')) as EditorLabels;
  const second = JSON.parse(readFileSync(fixture.replace(/\.json$/, '.second-editor.json'), 'utf8')) as EditorLabels;

  it('label every paper, and agree on its area for at least 90% of them', () => {
    const ids = digest.papers.map((p) => p.id).sort();
    for (const labels of [first, second]) expect(labels.groups.flatMap((g) => g.papers).sort()).toEqual(ids);
    const area = (labels: EditorLabels, id: string) => labels.paper_topics[id] ?? null;
    const same = digest.papers.filter((p) => area(first, p.id) === area(second, p.id)).length;
    expect(same / digest.papers.length).toBeGreaterThanOrEqual(0.9);
  });

  it(`agree pairwise well above the issue's ${TARGET.precision}: the target is within human agreement`, () => {
    const byId = new Map(digest.papers.map((p) => [p.id, p]));
    const themes = second.groups.map((g) => ({
      id: g.topic ?? 'other',
      label: g.label,
      keywords: [],
      other: g.topic === null,
      papers: g.papers.map((id) => byId.get(id)!),
    }));
    const f = scoreAgainstLabels({ date: digest.date, source: digest.source, themes }, first);
    expect(f.pairs).toBeGreaterThan(1000);
    expect(f.precision).toBeGreaterThanOrEqual(0.85);
  });
});
