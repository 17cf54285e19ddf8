import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DIGEST_FORMATS, parseDigest } from '../../src/ingest/parse-digest.js';
import { detectFormat } from '../../src/ingest/detect-format.js';
import { expectDigestError, fixture, REAL_API, REAL_PAGE, thrownBy } from './fixtures.js';

describe('detectFormat', () => {
  it('tells every format by its content alone', () => {
    const cases: Array<[string, string]> = [
      [REAL_PAGE, 'hf-page'],
      [REAL_API, 'hf-api'],
      ['hf-api-paper-2509.25541.json', 'hf-api'],
      ['arxiv-api-2025-01-06.atom.xml', 'arxiv'],
      ['arxiv-rss-cs.LG-2025-01-06.xml', 'arxiv'],
      ['paperpost-2025-12-11.json', 'paperpost'],
    ];
    for (const [file, format] of cases) expect(detectFormat(fixture(file).toString('utf8'), 'x').format, file).toBe(format);
    expect(DIGEST_FORMATS).toEqual(['hf-page', 'hf-api', 'arxiv', 'paperpost']);
  });

  it('refuses an HTML page with a hint to save it as text or use hf:', async () => {
    const e = await expectDigestError(() => detectFormat('<!DOCTYPE html>\n<html><body>papers</body></html>', 'page.html'), 'page.html: an HTML page, not a digest');
    expect(e.hint).toMatch(/hf:YYYY-MM-DD/);
    await expectDigestError(() => detectFormat('<html><head></head></html>', 'page.html'), 'page.html: an HTML page, not a digest');
  });
});

describe('parseDigest refuses bad input with one line naming the source (exit 2)', () => {
  const page = fixture(REAL_PAGE);
  const api = fixture(REAL_API).toString('utf8');

  it('an empty file, or only whitespace', async () => {
    await expectDigestError(() => parseDigest(Buffer.alloc(0), { name: 'empty.txt' }), 'empty.txt: the digest is empty');
    await expectDigestError(() => parseDigest(' \n\t\n', { name: 'blank.txt' }), 'blank.txt: the digest is empty');
  });

  it('binary garbage, UTF-16, PDFs and archives', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    await expectDigestError(() => parseDigest(garbage, { name: 'noise.bin' }), /^noise\.bin: binary data, not text \(a NUL byte at byte \d+\)$/);
    const noNul = Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919 + 13) % 255)));
    await expectDigestError(() => parseDigest(noNul, { name: 'noise.bin' }), /^noise\.bin(:1)?: binary data/);
    await expectDigestError(() => parseDigest(Buffer.from('\ufeffhello', 'utf16le'), { name: 'u16.txt' }), 'u16.txt: UTF-16 text, not UTF-8');
    await expectDigestError(() => parseDigest(Buffer.from('%PDF-1.7\n...'), { name: 'paper.pdf' }), 'paper.pdf: a PDF file, not a digest');
    await expectDigestError(() => parseDigest(Buffer.from([0x1f, 0x8b, 8, 0]), { name: 'd.json.gz' }), 'd.json.gz: gzip-compressed data');
  });

  it('a few invalid UTF-8 bytes in good text are a warning with the line, not a failure', () => {
    const bytes = Buffer.from(page);
    const at = bytes.indexOf('Light Schr');
    bytes[at + 2] = 0xff;
    const r = parseDigest(bytes, { name: 'p-2025-12-11.txt' });
    expect(r.digest.papers).toHaveLength(39);
    expect(r.warnings).toEqual([{ position: 'p-2025-12-11.txt:93', message: '1 invalid UTF-8 byte, shown as \uFFFD' }]);
    expect(r.digest.papers[10]!.title).toBe('Li\uFFFDht Schrödinger Bridge');
  });

  it('truncated JSON, with the line and column where it ends', async () => {
    const cut = api.slice(0, 5000);
    const lines = cut.split('\n');
    const e = await expectDigestError(() => parseDigest(cut, { name: 'digest.json' }), /^digest\.json:\d+:\d+: invalid JSON: /);
    expect(e.message).toContain(`digest.json:${lines.length}:`);
  });

  it('broken JSON: the line and column of the first syntax error', async () => {
    await expectDigestError(() => parseDigest('[\n  {"paper": {"id": "1"}},\n  {"paper" {}}\n]', { name: 'd.json' }), "d.json:3:12: invalid JSON: expected ':' after a property name, found \"{\"");
    await expectDigestError(() => parseDigest('[{"a": tru}]', { name: 'd.json' }), 'd.json:1:8: invalid JSON: unexpected "t" where a value should be');
    await expectDigestError(() => parseDigest('{"papers": []} x', { name: 'd.json' }), 'd.json:1:16: invalid JSON: unexpected "x" after the end of the JSON value');
    await expectDigestError(() => parseDigest('{"a": "line\nbreak"}', { name: 'd.json' }), /^d\.json:1:12: invalid JSON: a control character/);
    await expectDigestError(() => parseDigest('[' + '['.repeat(100_000), { name: 'deep.json' }), /^deep\.json:1:100002: invalid JSON: unexpected end of input/);
  });

  it('JSON of the wrong shape', async () => {
    await expectDigestError(() => parseDigest('{"items": []}', { name: 'x.json' }), /^x\.json \$: JSON of an unknown shape/);
  });

  it('a forced format that does not fit', async () => {
    await expectDigestError(() => parseDigest(page, { name: 'page.txt', format: 'hf-api' }), /^page\.txt:1:1: invalid JSON: /);
    await expectDigestError(() => parseDigest(page, { name: 'page.txt', format: 'arxiv' }), /^page\.txt:1: malformed XML/);
  });

  it('bad options are usage errors', async () => {
    expect(await thrownBy(() => parseDigest(page, { name: 'p', date: '2025-02-30' }))).toBeInstanceOf(UsageError);
    expect(await thrownBy(() => parseDigest(page, { name: 'p', format: 'pdf' as never }))).toBeInstanceOf(UsageError);
  });
});

describe('parseDigest normalization', () => {
  it('collapses whitespace and removes control characters from titles, keeps unicode, turns TeX into Unicode', () => {
    const items = [{ paper: { id: '2501.00001v3', title: '  Über\t$\\beta$-VAEs\u0007 for\r\n  Everything ', summary: 'x', upvotes: 1 } }];
    const r = parseDigest(JSON.stringify(items), { name: 'd.json' });
    expect(r.digest.papers[0]).toMatchObject({ id: '2501.00001', title: 'Über β-VAEs for Everything' });
  });

  it('is fast enough that a 39-paper page parses in milliseconds', () => {
    const start = performance.now();
    for (let i = 0; i < 20; i++) parseDigest(fixture(REAL_PAGE), { name: REAL_PAGE });
    expect((performance.now() - start) / 20).toBeLessThan(50);
  });
});
