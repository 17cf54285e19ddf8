/**
 * Issue #21, item 2: ranking within a section by what the source has. Upvotes when Hugging
 * Face has them; else story size (papers on the same thing that day), then code released, then
 * a stable tie-break; and `themes --json` says why each paper is where it is (Theme.ranking).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { rankPapers } from '../../src/topics/rank-papers.js';
import { makePaper, ROOT, shuffle } from './helpers/digests.js';

const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));

describe('rankPapers', () => {
  const a = makePaper({ id: 'a', title: 'A', upvotes: null, codeUrl: null, publishedAt: '2026-01-02' });
  const b = makePaper({ id: 'b', title: 'B', upvotes: null, codeUrl: 'https://github.com/x/b', publishedAt: '2026-01-01' });
  const c = makePaper({ id: 'c', title: 'C', upvotes: null, codeUrl: null, publishedAt: '2026-01-01' });
  const d = makePaper({ id: 'd', title: 'D', upvotes: null, codeUrl: null, publishedAt: '2026-01-01' });
  const story = (p: { id: string }) => (p.id === 'c' || p.id === 'd' ? 2 : 1);

  it('without upvotes: story size first, then code, then the newer date, then id', () => {
    const { papers, ranking } = rankPapers([a, b, c, d], story);
    expect(papers.map((p) => p.id)).toEqual(['c', 'd', 'b', 'a']);
    expect(ranking.map((r) => r.decidedBy)).toEqual(['tie-break', 'story', 'code', 'last']);
    expect(ranking[0]).toEqual({ paper: 'c', position: 1, upvotes: null, storySize: 2, code: false, decidedBy: 'tie-break', why: 'no upvotes, story of 2 papers, no code' });
    expect(ranking[2]!.why).toBe('no upvotes, on its own, code released');
  });

  it('with upvotes: they come first, whatever the story or the code', () => {
    const e = makePaper({ id: 'e', title: 'E', upvotes: 3, codeUrl: null });
    const { papers, ranking } = rankPapers([a, b, c, d, e], story);
    expect(papers[0]!.id).toBe('e');
    expect(ranking[0]).toMatchObject({ paper: 'e', upvotes: 3, decidedBy: 'upvotes', why: '3 upvotes, on its own, no code' });
  });

  it('does not depend on the order papers come in', () => {
    const order = rankPapers([a, b, c, d], story).papers.map((p) => p.id);
    for (let seed = 1; seed <= 5; seed++) expect(rankPapers(shuffle([a, b, c, d], seed), story).papers.map((p) => p.id)).toEqual(order);
  });
});

describe('on a real arXiv day (no upvotes)', () => {
  const file = path.join(ROOT, 'test/fixtures/topics/arxiv-days/arxiv-2026-02-16.json');
  const themed = assignTopics(parseDigest(readFileSync(file), { name: 'arxiv-2026-02-16.json' }).digest, { map });

  it('explains every paper of every section, in reading order', () => {
    for (const theme of themed.themes) {
      expect(theme.ranking!.map((r) => r.paper), theme.id).toEqual(theme.papers.map((p) => p.id));
      expect(theme.ranking!.map((r) => r.position)).toEqual(theme.papers.map((_, k) => k + 1));
      for (const r of theme.ranking!) expect(r.upvotes).toBeNull();
    }
  });

  it('puts papers of the biggest story of a section before papers on their own, and code before none', () => {
    const withStories = themed.themes.filter((t) => t.ranking!.some((r) => r.storySize > 1));
    expect(withStories.length).toBeGreaterThan(3);
    for (const theme of themed.themes) {
      const r = theme.ranking!;
      for (let k = 1; k < r.length; k++) {
        const [x, y] = [r[k - 1]!, r[k]!];
        expect(x.storySize >= y.storySize, `${theme.id} ${x.paper} before ${y.paper}`).toBe(true);
        if (x.storySize === y.storySize) expect(Number(x.code) >= Number(y.code)).toBe(true);
      }
    }
    // A story's papers: each labelled story's papers sit together at the size they share.
    for (const theme of withStories) {
      for (const s of theme.stories ?? []) for (const id of s.papers) expect(theme.ranking!.find((r) => r.paper === id)!.storySize).toBeGreaterThanOrEqual(s.papers.length);
    }
  });

  it('is printed by `themes --json` with the theme (the JSON of the record)', () => {
    const json = JSON.parse(JSON.stringify({ themes: themed.themes })) as { themes: { ranking: { why: string }[] }[] };
    expect(json.themes[0]!.ranking[0]!.why).toMatch(/^no upvotes, (story of \d+ papers|on its own), (code released|no code)$/);
  });
});
