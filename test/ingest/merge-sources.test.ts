/**
 * Several sources, one issue (issue #21, item 3): DIGEST_SOURCE (or a command's <source>) names
 * a comma-separated list; the papers are merged by arXiv id, keeping Hugging Face's upvotes,
 * AI summary and keywords, no paper twice, under one date. The second source is an arXiv feed
 * built from real papers (support/arxiv-feed-from-hf.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DigestError } from '../../src/errors.js';
import { ingestDigest } from '../../src/ingest/ingest-digest.js';
import { splitSourceList } from '../../src/ingest/split-source-list.js';
import type { Paper } from '../../src/types.js';
import { arxivFeedFrom, hfRecords } from './support/arxiv-feed-from-hf.js';
import { expectWellFormed, ROOT, thrownBy } from './fixtures.js';

const HF_DAY = 'test/fixtures/topics/days/hf-api-2026-07-31.json';
const OTHER_DAY = 'test/fixtures/topics/days/hf-api-2026-09-04.json';
const HF_WITH_SUMMARIES = 'test/fixtures/digests/hf-api-2025-10-02.json';

let dir: string;
let hf: string;
/** arXiv listing of 2026-07-31: 12 papers HF also lists, then 8 it does not. */
let arxiv: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-sources-'));
  hf = path.join(ROOT, HF_DAY);
  arxiv = path.join(dir, 'arxiv-cs.LG-2026-07-31.atom.xml');
  writeFileSync(arxiv, arxivFeedFrom([...hfRecords(HF_DAY).slice(0, 12), ...hfRecords(OTHER_DAY).slice(0, 8)], '2026-07-31'));
});

const byId = (papers: Paper[]) => new Map(papers.map((p) => [p.id, p]));

describe('a list of sources', () => {
  it('is split at commas, spaces around them allowed, a trailing comma naming nothing', () => {
    expect(splitSourceList('hf:latest, https://rss.arxiv.org/rss/cs.LG,')).toEqual(['hf:latest', 'https://rss.arxiv.org/rss/cs.LG']);
    expect(splitSourceList('content/digests')).toEqual(['content/digests']);
  });

  it('that names nothing (only commas or spaces) is one clear error, exit 2', async () => {
    for (const value of [',', ' , ,', '']) {
      const error = await ingestDigest(value).then(() => null, (e: unknown) => e);
      expect(error, JSON.stringify(value)).toBeInstanceOf(DigestError);
      expect((error as DigestError).message).toBe(`${JSON.stringify(value)} names no digest source`);
      expect((error as DigestError).exitCode).toBe(2);
    }
  });

  it("merges HF's day and an arXiv listing: every paper once, HF's upvotes and keywords kept, one date", async () => {
    const alone = byId((await ingestDigest(hf)).digest.papers);
    const feed = byId((await ingestDigest(arxiv)).digest.papers);
    // The feed carries what arXiv has, and none of HF's fields.
    expect([...feed.values()].every((p) => p.upvotes === null && p.summary === null && p.keywords.length === 0)).toBe(true);

    // In either order, HF's fields win and HF's papers lead.
    for (const list of [`${hf},${arxiv}`, `${arxiv} , ${hf}`]) {
      const result = await ingestDigest(list);
      expectWellFormed(result);
      const { digest, warnings } = result;
      expect(digest.date).toBe('2026-07-31');
      expect(warnings).toEqual([]);
      expect(digest.papers).toHaveLength(31 + 8);
      expect(new Set(digest.papers.map((p) => p.id)).size).toBe(digest.papers.length);
      expect(digest.papers.slice(0, 31).map((p) => p.id)).toEqual([...alone.keys()]);
      const merged = byId(digest.papers);
      const shared = [...feed.keys()].filter((id) => alone.has(id));
      expect(shared).toHaveLength(12);
      for (const id of shared) {
        const m = merged.get(id)!;
        expect(m.upvotes).toBe(alone.get(id)!.upvotes);
        expect(m.keywords).toEqual(alone.get(id)!.keywords);
        expect(m.authors).toEqual(alone.get(id)!.authors);
        expect(m.codeUrl).toBe(alone.get(id)!.codeUrl ?? feed.get(id)!.codeUrl);
      }
      expect(shared.filter((id) => merged.get(id)!.keywords.length > 0).length).toBeGreaterThan(5);
      // The papers only arXiv lists come after, as arXiv has them.
      for (const p of digest.papers.slice(31)) expect(p).toEqual(feed.get(p.id));
      expect(digest.source).toBe(list.includes(' , ') ? `${arxiv}, ${hf}` : `${hf}, ${arxiv}`);
    }
  });

  it("keeps HF's AI summary, listed after the arXiv feed or not", async () => {
    const feed = path.join(dir, 'arxiv-2025-10-02.atom.xml');
    writeFileSync(feed, arxivFeedFrom(hfRecords(HF_WITH_SUMMARIES), '2025-10-02'));
    const alone = (await ingestDigest(path.join(ROOT, HF_WITH_SUMMARIES))).digest.papers;
    const { digest } = await ingestDigest(`${feed},${path.join(ROOT, HF_WITH_SUMMARIES)}`);
    expect(digest.papers).toHaveLength(alone.length);
    for (const [i, p] of digest.papers.entries()) {
      expect(p.summary).not.toBeNull();
      expect(p.summary).toBe(alone[i]!.summary);
      expect(p.upvotes).toBe(alone[i]!.upvotes);
      expect(p.keywords).toEqual(alone[i]!.keywords);
    }
  });

  it('is one issue dated by the newest source when the sources disagree, and says so', async () => {
    const yesterday = path.join(dir, 'arxiv-2026-07-30.atom.xml');
    writeFileSync(yesterday, arxivFeedFrom(hfRecords(OTHER_DAY).slice(0, 8), '2026-07-30'));
    for (const list of [`${yesterday},${hf}`, `${hf},${yesterday}`]) {
      const { digest, warnings } = await ingestDigest(list);
      expect(digest.date).toBe('2026-07-31');
      expect(digest.papers).toHaveLength(39);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/different dates \(.*2026-07-3[01].*2026-07-3[01]\); the issue is dated 2026-07-31, the newest/);
    }
    // --date dates only a source that gives no date: these both do, so it is ignored, with a warning for each.
    const given = await ingestDigest(`${yesterday},${hf}`, { date: '2026-08-01' });
    expect(given.digest.date).toBe('2026-07-31');
    expect(given.warnings.filter((w) => /--date 2026-08-01 is ignored/.test(w.message))).toHaveLength(2);
  });

  it('goes on when one source has no papers today, but not when none has', async () => {
    const empty = path.join(dir, 'arxiv-empty-2026-08-01.atom.xml');
    writeFileSync(empty, arxivFeedFrom([], '2026-08-01'));
    const { digest } = await ingestDigest(`${hf},${empty}`);
    expect(digest.papers).toHaveLength(31);
    // Two sources with none (one source named twice is refused as such: duplicate-source.test.ts).
    const empty2 = path.join(dir, 'arxiv-empty-2-2026-08-01.atom.xml');
    writeFileSync(empty2, arxivFeedFrom([], '2026-08-01'));
    const error = await thrownBy(() => ingestDigest(`${empty},${empty2}`));
    expect(error).toBeInstanceOf(DigestError);
    expect((error as DigestError).message).toMatch(/found no papers in any of the 2 sources/);
  });

  it('stops at a bad source, naming it (exit 2)', async () => {
    for (const [bad, shown] of [
      ['/nonexistent/feed.xml', /^\/nonexistent\/feed\.xml: no such file or directory \(source 2 of 2 in the list\)$/],
      ['hf:2026-02-30', /^"hf:2026-02-30": expected hf:YYYY-MM-DD .* \(source 2 of 2 in the list\)$/],
      [path.join(ROOT, 'package.json'), /package\.json.*\(source 2 of 2 in the list\)$/],
    ] as const) {
      const error = await thrownBy(() => ingestDigest(`${hf},${bad}`));
      expect(error).toBeInstanceOf(DigestError);
      expect((error as DigestError).exitCode).toBe(2);
      expect((error as DigestError).message).toMatch(shown);
    }
  });
});
