import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { expectDigestError, expectWellFormed, fixture, parseFixture } from './fixtures.js';

describe('parseArxivFeed: the API Atom feed', () => {
  const r = parseFixture('arxiv-api-2025-01-06.atom.xml');

  it('reads ids without versions (new and old style), joined hard wraps, authors and dates', () => {
    expectWellFormed(r);
    expect(r.warnings).toEqual([]);
    // The feed's <updated> 2025-01-06T00:00:00-05:00 is 05:00 UTC on the 6th.
    expect(r.digest.date).toBe('2025-01-06');
    expect(r.digest.papers.map((p) => p.id)).toEqual(['2501.01234', '2501.00987', 'cs/0112017']);
    const [sae, , old] = r.digest.papers;
    expect(sae).toEqual({
      id: '2501.01234',
      title: 'Scaling Laws for Sparse Autoencoders on 𝒪(10⁹)-Parameter Language Models',
      abstract:
        'We train sparse autoencoders on the residual stream of language models with up to a billion parameters and fit scaling laws for reconstruction error & feature density. Features become more monosemantic with width but the marginal gain shrinks.',
      summary: null,
      authors: ['Hannah Schäfer', 'Kofi Mensah', 'Li Wei'],
      authorCount: 3,
      publishedAt: '2025-01-02',
      upvotes: null,
      url: 'https://arxiv.org/abs/2501.01234',
      // From <arxiv:comment>, as the abstract has no link.
      codeUrl: 'https://github.com/hschaefer/sae-scaling',
      keywords: [],
    });
    expect(old).toMatchObject({ url: 'https://arxiv.org/abs/cs/0112017', publishedAt: '2001-12-20', authors: ['W. W. Cohen', 'R. E. Schapire', 'Y. Singer'] });
  });

  it('reports an arXiv API error feed as an error, not as a paper called "Error"', async () => {
    await expectDigestError(
      () => parseFixture('arxiv-api-error.atom.xml'),
      'arxiv-api-error.atom.xml: the arXiv API returned an error: incorrect id format for 1234.12345',
    );
  });

  it('refuses a feed with no entries', async () => {
    const empty = fixture('arxiv-api-2025-01-06.atom.xml').toString('utf8').replace(/<entry>[\s\S]*<\/entry>/, '');
    await expectDigestError(() => parseDigest(empty, { name: 'q.xml' }), 'q.xml: found no entries in the feed');
  });

  it('names the line of malformed XML', async () => {
    const broken = fixture('arxiv-api-2025-01-06.atom.xml').toString('utf8').replace('</title>\n    <summary>  Hard', '\n    <summary>  Hard');
    await expectDigestError(() => parseDigest(broken, { name: 'q.xml' }), /^q\.xml:\d+: malformed XML: /);
    const truncated = fixture('arxiv-api-2025-01-06.atom.xml').subarray(0, 2000);
    await expectDigestError(() => parseDigest(truncated, { name: 'cut.xml' }), /^cut\.xml:\d+: malformed XML: /);
  });

  it('warns about an entry without a title, with its line, and reads the others', () => {
    const text = fixture('arxiv-api-2025-01-06.atom.xml').toString('utf8').replace('<title>Learning to Order Things</title>', '<title></title>');
    const r2 = parseDigest(text, { name: 'q.xml' });
    expect(r2.digest.papers).toHaveLength(2);
    expect(r2.warnings).toEqual([{ position: 'q.xml:55', message: 'the paper has no title; skipped' }]);
    expect(text.split('\n')[54]).toBe('  <entry>');
  });
});

describe('parseArxivFeed: the daily RSS feed', () => {
  const r = parseFixture('arxiv-rss-cs.LG-2025-01-06.xml');

  it('strips the "arXiv:… Announce Type: … Abstract:" prefix and splits dc:creator', () => {
    expectWellFormed(r);
    expect(r.warnings).toEqual([]);
    expect(r.digest.date).toBe('2025-01-06');
    expect(r.digest.papers.map((p) => [p.id, p.authors])).toEqual([
      ['2501.01234', ['Hannah Schäfer', 'Kofi Mensah', 'Li Wei']],
      ['2501.01570', ['Oluwaseun Adeyemi', 'María Fernández']],
      ['2406.11111', ['Jae-won Park']],
      ['2312.09999', ['Anders Nilsson', 'Beatriz Costa', 'Chen Hao']],
    ]);
    const [first, cross] = r.digest.papers;
    expect(first!.abstract).toBe(
      'We train sparse autoencoders on the residual stream of language models with up to a billion parameters and fit scaling laws for reconstruction error & feature density.',
    );
    expect(cross!.abstract).toMatch(/^We prove that every graph transformer .* Code: https:\/\/github\.com\/example\/gt-mp\.$/);
    expect(cross!.codeUrl).toBe('https://github.com/example/gt-mp');
    expect(first).toMatchObject({ url: 'https://arxiv.org/abs/2501.01234', upvotes: null, summary: null, authorCount: 3 });
  });

  it('keeps every announce type; new and cross papers are dated by the feed, replacements have no known date', () => {
    expect(r.digest.papers.map((p) => p.publishedAt)).toEqual(['2025-01-06', '2025-01-06', null, null]);
  });

  it('dates the digest by the feed in UTC, whatever --date says (with a warning when it differs)', () => {
    const late = fixture('arxiv-rss-cs.LG-2025-01-06.xml').toString('utf8').replace('<pubDate>Mon, 06 Jan 2025 00:00:00 -0500</pubDate>\n    <skipDays>', '<pubDate>Mon, 06 Jan 2025 21:00:00 -0500</pubDate>\n    <skipDays>');
    expect(parseDigest(late, { name: 'rss' }).digest.date).toBe('2025-01-07');
    const given = parseDigest(late, { name: 'rss', date: '2025-01-06' });
    expect(given.digest.date).toBe('2025-01-07');
    expect(given.warnings.map((w) => w.message)).toEqual(['the source is dated 2025-01-07; --date 2025-01-06 is ignored (it dates only a source that gives no date)']);
  });

  it('reads the older RSS 1.0 (RDF) feed', () => {
    const rdf = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/rss/cs.LG"><title>cs.LG updates on arXiv.org</title><dc:date>2023-11-20T20:30:00-05:00</dc:date></channel>
<item rdf:about="http://arxiv.org/abs/2311.10001">
<title>A Paper About Things. (arXiv:2311.10001v1 [cs.LG])</title>
<link>http://arxiv.org/abs/2311.10001</link>
<description rdf:parseType="Literal">&lt;p&gt;We study things.&lt;/p&gt;</description>
<dc:creator> &lt;a href="http://arxiv.org/find/cs/1/au:+Doe_J/0/1/0/all/0/1"&gt;Jane Doe&lt;/a&gt;, &lt;a href="http://arxiv.org/find/cs/1/au:+Roe_R/0/1/0/all/0/1"&gt;Rick Roe&lt;/a&gt;</dc:creator>
</item>
</rdf:RDF>`;
    const r2 = parseDigest(rdf, { name: 'old.rdf' });
    expect(r2.digest.date).toBe('2023-11-21');
    expect(r2.digest.papers[0]).toMatchObject({ id: '2311.10001', abstract: 'We study things.', authors: ['Jane Doe', 'Rick Roe'] });
  });

  it('refuses an RSS feed with no items, and XML that is not a feed', async () => {
    const empty = fixture('arxiv-rss-cs.LG-2025-01-06.xml').toString('utf8').replace(/<item>[\s\S]*<\/item>/, '');
    await expectDigestError(() => parseDigest(empty, { name: 'rss.xml' }), 'rss.xml: found no entries in the feed');
    await expectDigestError(() => parseDigest('<?xml version="1.0"?><catalog><book/></catalog>', { name: 'c.xml' }), /^c\.xml: XML, but not an Atom or RSS feed/);
  });
});
