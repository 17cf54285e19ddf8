import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DIGEST_FORMATS, ingestDigest } from '../../src/ingest/ingest-digest.js';
import { expectWellFormed, REAL_PAGE, thrownBy } from './fixtures.js';

describe('ingestDigest (the acceptance case)', () => {
  it('reads content/digests/hf-papers-2025-12-11.txt: 39 papers dated 2025-12-11', async () => {
    const result = await ingestDigest(REAL_PAGE);
    expectWellFormed(result);
    const { digest, warnings } = result;
    expect(warnings).toEqual([]);
    expect(digest).toMatchObject({ date: '2025-12-11', source: REAL_PAGE });
    expect(digest.papers).toHaveLength(39);
    const unveiling = digest.papers.find((p) => p.title.startsWith('Unveiling Intrinsic Dimension of Texts'))!;
    expect(unveiling).toMatchObject({ upvotes: 3, publishedAt: '2025-11-19', authorCount: 8 });
    const sphere = digest.papers.find((p) => p.title.includes('Sphere Packing'))!;
    expect(sphere).toMatchObject({ authorCount: null, publishedAt: null, upvotes: null });
    expect(digest.papers.filter((p) => p.codeUrl !== null)).toHaveLength(10);
    // Keys in the documented order, so `digest --json` prints them that way.
    expect(Object.keys(JSON.parse(JSON.stringify(digest)) as object)).toEqual(['date', 'source', 'papers']);
  });

  it('passes --format and --date through; the date the source gives wins over --date, with one warning', async () => {
    const r = await ingestDigest(REAL_PAGE, { format: 'hf-page', date: '2026-01-01' });
    expect(r.digest.date).toBe('2025-12-11');
    expect(r.warnings.map((w) => w.message)).toEqual(['the source is dated 2025-12-11; --date 2026-01-01 is ignored (it dates only a source that gives no date)']);
    // Year-less dates follow the digest date.
    expect(r.digest.papers.find((p) => p.title.startsWith('Unveiling'))!.publishedAt).toBe('2025-11-19');
    // The same date, or none given: no warning.
    expect((await ingestDigest(REAL_PAGE, { date: '2025-12-11' })).warnings).toEqual([]);
    expect(DIGEST_FORMATS).toContain('hf-page');
  });

  it('refuses bad options before reading anything', async () => {
    const error = await thrownBy(() => ingestDigest('does/not/exist', { date: '11/12/2025' }));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('--date "11/12/2025": expected a date as YYYY-MM-DD');
  });
});
