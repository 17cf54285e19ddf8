import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/types.js';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { expectDigestError, expectWellFormed, fixture, parseFixture, REAL_PAGE } from './fixtures.js';

const byTitle = (titles: Paper[], start: string): Paper => {
  const found = titles.filter((p) => p.title.startsWith(start));
  expect(found, start).toHaveLength(1);
  return found[0]!;
};

describe('parseHfPage on the real page of 2025-12-11', () => {
  const { digest, warnings } = parseFixture(REAL_PAGE);

  it('reads all 39 papers, in page order, with no warnings and the date from the file name', () => {
    expect(digest.date).toBe('2025-12-11');
    expect(digest.source).toBe(REAL_PAGE);
    expect(digest.papers).toHaveLength(39);
    expect(warnings).toEqual([]);
    expect(digest.papers[0]!.title).toBe('Learning Disentangled Representations for Time Series');
    expect(digest.papers[38]!.title).toBe('BD-KD: Balancing the Divergences for Online Knowledge Distillation');
    expectWellFormed({ digest, warnings });
  });

  it('reads author counts, dates (with and without a year) and upvote counts', () => {
    // [title start, authorCount, publishedAt, upvotes], checked against the file by hand.
    const expected: Array<[string, number | null, string | null, number | null]> = [
      ['Learning Disentangled Representations', 7, '2021-05-17', null],
      ['Data Selection for Language Models', 4, '2023-02-06', null],
      ['On the Power of the Weisfeiler-Leman', 2, '2023-09-29', null],
      ['Sinkhorn Distance Minimization', 10, '2024-02-26', null],
      ['Measuring the Intrinsic Dimension', 4, '2018-04-24', null],
      ['PrefixKV', 8, '2024-12-04', null],
      ['MatryoshkaKV', 8, '2024-10-16', null],
      ['Model-agnostic Measure', 6, '2023-05-01', null],
      ['A theory of representation learning', 6, '2021-08-30', null],
      ['Unveiling Intrinsic Dimension of Texts', 8, '2025-11-19', 3],
      ['Light Schrödinger Bridge', 3, '2023-10-02', null],
      ['Feature Learning in Infinite-Width', 2, '2020-11-29', null],
      ['KIVI', 8, '2024-02-05', 1],
      ['How do Scaling Laws Apply', 5, '2025-05-22', null],
      ['KDRL', 9, '2025-06-02', null],
      ['Model-Based and Sample-Efficient AI-Assisted Math Discovery in Sphere Packing', null, null, null],
      ['When Do We Not Need Larger Vision Models?', 5, '2024-03-19', 2],
      ['xKV', 7, '2025-03-24', 1],
      ['Solving the Catastrophic Forgetting', 8, '2025-01-09', null],
      ['eDKM', 8, '2023-09-02', null],
      ['Linear Projections of Teacher Embeddings', 4, '2024-09-30', null],
      ['CSKV', 7, '2024-09-16', null],
      ['Intrinsic Dimensionality Explains', 3, '2020-12-22', 1],
      ['Scaling Laws for Autoregressive', 19, '2020-10-27', null],
      ['Contributions to Robust and Efficient', 1, '2025-09-09', null],
      ['Less is More', 11, '2025-06-01', null],
      ['Weighted least-squares approximation', 2, '2023-12-21', null],
      ['No Token Left Behind', 8, '2024-02-28', null],
      ['Information-Theoretic Generalization Bounds', 3, '2024-04-03', null],
      ['DDK', 16, '2024-07-22', 2],
      ['Information Shapes Koopman', 7, '2025-10-14', null],
      ['Fast, Expressive SE(n)', 5, '2023-10-04', null],
      ['Differentiable Neural Input Search', 3, '2020-06-08', null],
      ['Locality Sensitive Sparse Encoding', 4, '2024-01-23', null],
      ['Individualizing Glioma Radiotherapy', 10, '2023-12-08', null],
      ['Why do Nearest Neighbor', 3, '2023-01-07', null],
      ['Single-pass Adaptive Image Tokenization', 5, '2025-07-10', null],
      ['Assessing Neural Network Representations', 9, '2023-12-03', null],
      ['BD-KD', 5, '2022-12-25', null],
    ];
    expect(expected).toHaveLength(39);
    expect(digest.papers.map((p) => [p.title.slice(0, 20), p.authorCount, p.publishedAt, p.upvotes])).toEqual(
      expected.map(([t, a, d, u]) => [byTitle(digest.papers, t).title.slice(0, 20), a, d, u]),
    );
  });

  it('turns GitHub links in abstracts into codeUrl, with or without a scheme, without the trailing full stop', () => {
    const withCode = Object.fromEntries(digest.papers.filter((p) => p.codeUrl).map((p) => [p.title.split(':')[0], p.codeUrl]));
    expect(withCode).toEqual({
      PrefixKV: 'https://github.com/THU-MIG/PrefixKV',
      'Light Schrödinger Bridge': 'https://github.com/ngushchin/LightSB',
      'Feature Learning in Infinite-Width Neural Networks': 'https://github.com/edwardjhu/TP4',
      KIVI: 'https://github.com/jy-yuan/KIVI',
      'When Do We Not Need Larger Vision Models?': 'https://github.com/bfshi/scaling_on_scales',
      xKV: 'https://github.com/abdelfattah-lab/xKV',
      'Solving the Catastrophic Forgetting Problem in Generalized Category Discovery': 'https://github.com/Cliffia123/LegoGCD',
      'Information Shapes Koopman Representation': 'https://github.com/Wenxuan52/InformationKoopman',
      'Why do Nearest Neighbor Language Models Work?': 'https://github.com/frankxu2004/knnlm-why',
      'Assessing Neural Network Representations During Training Using Noise-Resilient Diffusion Spectral Entropy':
        'https://github.com/ChenLiu-1996/DiffusionSpectralEntropy',
    });
  });

  it('keeps titles and abstracts exact (unicode; TeX turned into Unicode), ids are title slugs, url is unknown', () => {
    const light = byTitle(digest.papers, 'Light Schr');
    expect(light.id).toBe('light-schrodinger-bridge');
    expect(light.abstract).toMatch(/^Despite the recent advances in the field of computational Schrödinger Bridges \(SB\)/);
    expect(light.url).toBeNull();
    expect(light.authors).toEqual([]);
    const sphere = byTitle(digest.papers, 'Model-Based and Sample-Efficient');
    expect(sphere.abstract).toMatch(/^Sphere packing, Hilbert's eighteenth problem/);
    expect(sphere.abstract).toMatch(/beyond large-scale LLM-driven exploration\.$/);
    // The entry after the sphere-packing paper (which has no author/date lines) is read as its own paper.
    const next = digest.papers[digest.papers.indexOf(sphere) + 1]!;
    expect(next.title).toBe('When Do We Not Need Larger Vision Models?');
    expect(new Set(digest.papers.map((p) => p.id)).size).toBe(39);
    expect(digest.papers.every((p) => p.abstract.length > 500)).toBe(true);
  });

  it('does not take the page chrome or the header date for papers', () => {
    const titles = digest.papers.map((p) => p.title.toLowerCase());
    for (const chrome of ['new', 'subscribe', 'daily papers', 'dec 11', 'byak and the research community']) {
      expect(titles).not.toContain(chrome);
    }
  });
});

describe('parseHfPage dates', () => {
  const page = fixture(REAL_PAGE).toString('utf8');

  it('takes the file name over the header, and either over --date (which dates a page that gives no date)', () => {
    const r = parseDigest(page, { name: 'digest-2024-01-31.txt', date: '2025-12-12' });
    expect(r.digest.date).toBe('2024-01-31');
    expect(r.warnings.map((w) => w.message)).toContain('the source is dated 2024-01-31; --date 2025-12-12 is ignored (it dates only a source that gives no date)');
    // Year-less dates follow the page's date.
    expect(byTitle(r.digest.papers, 'Unveiling').publishedAt).toBe('2023-11-19');
    const header = parseDigest(page, { name: 'papers.txt', date: '2025-12-12', now: new Date('2025-12-11T23:00:00Z') });
    expect(header.digest.date).toBe('2025-12-11');
    const bare = parseDigest('A Real Paper Title\n\nWe propose a method and show that it works on three benchmarks.\n\n  • 3 authors\n·\nDec 10 4\n', { name: 'p.txt', format: 'hf-page', date: '2025-12-11' });
    expect(bare.digest.date).toBe('2025-12-11');
    expect(bare.warnings).toEqual([]);
    expect(parseDigest(page, { name: 'digest-2025-12-11.txt' }).digest.date).toBe('2025-12-11');
  });

  it('without a date in the name, uses the header date in the latest year not in the future', () => {
    expect(parseDigest(page, { name: 'papers.txt', now: new Date('2025-12-11T23:00:00Z') }).digest.date).toBe('2025-12-11');
    expect(parseDigest(page, { name: 'papers.txt', now: new Date('2025-12-10T10:00:00Z') }).digest.date).toBe('2024-12-11');
    expect(parseDigest(page, { name: 'papers.txt', now: new Date('2026-03-01T00:00:00Z') }).digest.date).toBe('2025-12-11');
  });

  it('puts a year-less date in the digest year, or the year before when it would be after the digest date', () => {
    const r = parseFixture('hf-papers-quirks.txt', { now: new Date('2026-01-05T12:00:00Z') });
    expect(r.digest.date).toBe('2026-01-05');
    expect(byTitle(r.digest.papers, 'α-Flow').publishedAt).toBe('2026-01-02');
    expect(byTitle(r.digest.papers, 'Towards Robust Tokenizers').publishedAt).toBe('2025-12-30');
  });
});

describe('parseHfPage quirks', () => {
  const { digest, warnings } = parseFixture('hf-papers-quirks.txt', { now: new Date('2026-01-05T12:00:00Z') });

  it('reads entries without an abstract, without meta lines, with wrapped abstracts; skips footer chrome', () => {
    expectWellFormed({ digest, warnings });
    expect(digest.papers.map((p) => p.title)).toEqual([
      'α-Flow: Unifying Flow Matching and Consistency Models',
      'A Title Without an Abstract',
      'Towards Robust Tokenizers for Code-Switched Text',
      'Entry Without Any Meta Lines',
      'Mixed-Precision Training on 北京 Clusters: A Study',
    ]);
    const noAbstract = digest.papers[1]!;
    expect([noAbstract.abstract, noAbstract.authorCount, noAbstract.publishedAt, noAbstract.upvotes]).toEqual(['', 2, '2025-12-31', 5]);
    const wrapped = digest.papers[2]!;
    expect(wrapped.abstract).toMatch(/^Code-switching, the alternation .* degrades tokenizer efficiency by up to 40%\. We train/);
    expect([wrapped.authorCount, wrapped.upvotes]).toEqual([1, 1200]);
    expect(digest.papers[3]).toMatchObject({ authorCount: null, publishedAt: null, upvotes: null });
  });

  it('takes only GitHub repository links for codeUrl, and strips surrounding punctuation', () => {
    expect(digest.papers[2]!.codeUrl).toBe('https://github.com/tok-lab/cs-tok');
    expect(digest.papers[4]!.codeUrl).toBeNull();
  });

  it('reads "• 4 authors · Feb 30 3" on one line, and warns with the line number about the impossible date', () => {
    expect(digest.papers[4]).toMatchObject({ authorCount: 4, publishedAt: null, upvotes: 3 });
    expect(warnings).toContainEqual({ position: 'hf-papers-quirks.txt:54', message: 'not a real date; publishedAt left empty' });
  });

  it('keeps a paper listed twice once, and says where', () => {
    expect(digest.papers.filter((p) => p.title.startsWith('α-Flow'))).toHaveLength(1);
    expect(warnings).toContainEqual({
      position: 'hf-papers-quirks.txt:42',
      message: '"α-Flow: Unifying Flow Matching and Consistency Models" is listed twice (first at hf-papers-quirks.txt:13); kept once',
    });
  });

  it('reads CRLF line endings and a BOM the same', () => {
    const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixture(REAL_PAGE).toString('utf8').replace(/\n/g, '\r\n'))]);
    const r = parseDigest(crlf, { name: 'page-2025-12-11.txt' });
    expect(r.digest.papers).toEqual(parseFixture(REAL_PAGE).digest.papers);
  });

  it('reads a title with its abstract on the next line (no blank line) and an upvote count on its own line', () => {
    const text = ['Daily Papers', '', 'Tight Title', 'An abstract right under its title, with no blank line between them.', '', '• 3 authors', '·', 'Mar 3, 2024', '7', ''].join('\n');
    const r = parseDigest(text, { name: 'x-2025-01-01.txt' });
    expect(r.digest.papers).toHaveLength(1);
    expect(r.digest.papers[0]).toMatchObject({ title: 'Tight Title', abstract: 'An abstract right under its title, with no blank line between them.', authorCount: 3, publishedAt: '2024-03-03', upvotes: 7 });
    const long = 'A long abstract sentence. '.repeat(40).trim();
    const r2 = parseDigest(['Daily Papers', '', 'Another Title', long, '', '• 2 authors', '·', 'Mar 4, 2024', ''].join('\n'), { name: 'y.txt' });
    expect(r2.warnings).toEqual([]);
    expect(r2.digest.papers[0]).toMatchObject({ title: 'Another Title', abstract: long, authorCount: 2 });
  });

  it('warns about an abstract with no title and about meta lines with no paper, and reads the rest', () => {
    const orphan = 'x'.repeat(20) + ' an abstract sentence that goes on and on. '.repeat(10);
    const text = ['Daily Papers', '', 'Good Paper', '', 'Its abstract.', '', '• 2 authors', '·', 'May 1, 2024', '', orphan, '', '• 3 authors', '·', 'May 2, 2024', '', '• 9 authors', ''].join('\n');
    const r = parseDigest(text, { name: 'page.txt' });
    expect(r.digest.papers.map((p) => p.title)).toEqual(['Good Paper']);
    expect(r.warnings.map((w) => w.position)).toEqual(['page.txt:11', 'page.txt:17']);
    expect(r.warnings[0]!.message).toMatch(/looks like an abstract has no title/);
    expect(r.warnings[1]!.message).toMatch(/no paper title before it/);
  });
});

describe('parseHfPage refusals', () => {
  it('refuses a page with no papers (only chrome), naming the file', async () => {
    const chromeOnly = fixture(REAL_PAGE).toString('utf8').split('\n').slice(0, 12).join('\n');
    await expectDigestError(() => parseDigest(chromeOnly, { name: 'empty-page.txt' }), /^empty-page\.txt(:\d+)?: no papers found/);
  });

  it('refuses text that is no digest at all unless --format hf-page says it is one', async () => {
    const prose = 'Dear reader,\n\nThis is a letter, not a digest.\n';
    await expectDigestError(() => parseDigest(prose, { name: 'letter.txt' }), /^letter.txt: not a digest format paperpost knows/);
    // Even when told it is a page, prose has no paper in it.
    await expectDigestError(() => parseDigest(prose, { name: 'letter.txt', format: 'hf-page' }), /^letter\.txt:1: no papers found: .*"Dear reader,"/);
  });

  it.each([
    ['an empty day', 'Daily Papers\n\nnothing trending today\n', /^x\.txt:3: no papers found/],
    ['an HTML error page', '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1>\n<p>The server returned an invalid response.</p></body></html>\n', /^x\.txt:1: no papers found/],
    ['a login page', 'Hugging Face\n\nLog In\n\nUsername or Email address\n\nPassword\n\nForgot your password?\n\nDon\'t have an account? Sign Up\n', /^x\.txt:\d+: no papers found/],
    ['a rate-limit page', '429 Too Many Requests\n\nYou have sent too many requests in a given amount of time. Please slow down and try again in 60 seconds.\n\nRequest ID: 7f3a9c\n', /^x\.txt:1: no papers found.*"429 Too Many Requests"/],
    ['JSON read as a page', '[\n  {\n    "paper": { "id": "2512.0001", "title": "T" }\n  }\n]\n', /^x\.txt:1: no papers found/],
  ])('refuses %s read as a papers page (exit 2, the line where reading stopped)', async (_what, text, message) => {
    await expectDigestError(() => parseDigest(text, { name: 'x.txt', format: 'hf-page' }), message);
  });

  it('skips a title with neither an abstract nor an authors/date line, and keeps real papers', () => {
    const page = 'A Real Paper Title\n\nWe propose a method and show that it works on three benchmarks.\n\n  • 3 authors\n·\nDec 10 4\n\nLoose heading\n';
    const r = parseDigest(page, { name: 'p.txt', format: 'hf-page', date: '2025-12-11' });
    expect(r.digest.papers.map((p) => p.title)).toEqual(['A Real Paper Title']);
    expect(r.warnings.map((w) => w.position)).toEqual(['p.txt:9']);
  });
});
