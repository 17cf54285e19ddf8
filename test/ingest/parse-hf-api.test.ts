import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { expectDigestError, expectWellFormed, fixture, parseFixture, REAL_API } from './fixtures.js';

const json = (value: unknown) => JSON.stringify(value);
const item = (paper: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  paper: { id: '2501.00001', title: 'A Paper', summary: 'An abstract.', authors: [{ name: 'A. Author' }], upvotes: 1, ...paper },
  publishedAt: '2025-01-02T03:04:05.000Z',
  title: 'A Paper',
  ...extra,
});

describe('parseHfApi on the real 2026-08-03 sample', () => {
  const r = parseFixture(REAL_API);

  it('reads every item with authors, upvotes, dates, codeUrl and the HF url', () => {
    expectWellFormed(r);
    expect(r.warnings).toEqual([]);
    expect(r.digest.date).toBe('2026-08-03');
    expect(r.digest.papers.map((p) => [p.id, p.upvotes, p.authorCount, p.publishedAt, p.codeUrl])).toEqual([
      ['2607.26654', 3, 7, '2026-07-29', 'https://github.com/desBugger/constitutional-mt'],
      ['2607.28229', 4, 12, '2026-07-30', 'https://github.com/petroni-lab/librarian'],
      ['2607.27851', 2, 5, '2026-07-30', null],
    ]);
    const first = r.digest.papers[0]!;
    expect(first.title).toBe('Constitutional Midtraining: Content Presence Drives Alignment Gains');
    expect(first.url).toBe('https://huggingface.co/papers/2607.26654');
    expect(first.authors).toEqual(['Desiree Cho', 'Cameron Tice', 'Bernie Hogan', 'Hunar Batra', 'Puria Radmard', 'Jun Zhao', 'Nigel Shadbolt']);
    expect(first.abstract).toMatch(/^Post-training alignment is often shallow, eroding under fine-tuning\./);
    // This year's responses carry no ai_summary or ai_keywords.
    expect([first.summary, first.keywords]).toEqual([null, []]);
  });
});

describe('parseHfApi across years', () => {
  it('reads a 2023-style response: hard-wrapped paper.title/summary, no submittedOnDailyAt, no ai_* fields', () => {
    const r = parseFixture('hf-api-2023-06-15.json');
    expectWellFormed(r);
    expect(r.warnings).toEqual([]);
    expect(r.digest.date).toBe('2023-06-15');
    const [judge, mesh, wizard] = r.digest.papers;
    expect(mesh!.title).toBe('Delicate Textured Mesh Recovery from NeRF via Adaptive Surface Refinement');
    expect(wizard!.title).toBe('WizardCoder: Empowering Code Large Language Models with Evol-Instruct');
    expect(mesh!.abstract).toBe(
      'Neural Radiance Fields (NeRF) have constituted a remarkable breakthrough in image-based 3D reconstruction. However, their implicit volumetric representations differ significantly from the widely-adopted polygonal meshes and lack support from common 3D software and hardware, making their rendering and manipulation inefficient.',
    );
    // Hidden authors are still authors of the paper.
    expect(judge!.authors).toEqual(['Lianmin Zheng', 'Wei-Lin Chiang', 'Ying Sheng', 'Siyuan Zhuang']);
    expect(judge).toMatchObject({ upvotes: 27, summary: null, keywords: [], publishedAt: '2023-06-09' });
    expect(judge!.codeUrl).toBe('https://github.com/lm-sys/FastChat/tree/main/fastchat/llm_judge');
  });

  it('reads a 2025-style response with every field, and drops a javascript: githubRepo with a warning', () => {
    const r = parseFixture('hf-api-2025-10-02.json');
    expectWellFormed(r);
    expect(r.digest.date).toBe('2025-10-02');
    const [moe, spec, bench] = r.digest.papers;
    expect(moe).toEqual({
      id: '2509.25541',
      title: 'Sparse Mixture-of-Experts Routing with ℓ₀ Regularization',
      abstract:
        'Mixture-of-experts (MoE) layers scale model capacity at a fixed compute budget, but learned routers collapse onto a few experts. We add an ℓ₀ penalty on routing probabilities and show that it keeps every expert in use.',
      summary: 'An L0 penalty on router probabilities keeps all experts of a sparse MoE layer in use without extra compute.',
      authors: ['Mei Lin', 'Jonas Müller', 'Ana Sofía Reyes'],
      authorCount: 3,
      publishedAt: '2025-09-29',
      upvotes: 41,
      url: 'https://huggingface.co/papers/2509.25541',
      codeUrl: 'https://github.com/meilin/l0-moe',
      // "Routing" repeats "routing": keywords are kept once.
      keywords: ['mixture-of-experts', 'routing', 'L0 regularization', 'expert collapse'],
    });
    expect(spec!.authors).toEqual(['Priya Natarajan', 'Tomás Ibáñez']);
    // paper.summary is empty here: the top-level summary is the abstract. No authors listed: count unknown.
    expect(bench).toMatchObject({ abstract: 'A benchmark of 300 multi-step web tasks, each needing more than 20 actions.', authorCount: null, upvotes: 0, codeUrl: null });
    expect(r.warnings).toEqual([
      { position: 'hf-api-2025-10-02.json $[2].paper', message: 'codeUrl "javascript:alert(1)" is not an http(s) URL; dropped' },
    ]);
  });

  it('reads a single paper object (/api/papers/<id>), dropping the version suffix of its id', () => {
    const r = parseFixture('hf-api-paper-2509.25541.json');
    expectWellFormed(r);
    expect(r.digest.date).toBe('2025-10-02');
    expect(r.digest.papers).toHaveLength(1);
    expect(r.digest.papers[0]).toMatchObject({ id: '2509.25541', upvotes: 44, url: 'https://huggingface.co/papers/2509.25541', keywords: ['mixture-of-experts', 'routing'] });
  });

  it('takes the most common daily date, and falls back to the date in the name', () => {
    const items = [item({ submittedOnDailyAt: '2025-03-04T00:00:00Z' }), item({ id: '2501.00002', submittedOnDailyAt: '2025-03-04T00:00:00Z' }), item({ id: '2501.00003', submittedOnDailyAt: '2025-03-03T00:00:00Z' })];
    expect(parseDigest(json(items), { name: 'x.json' }).digest.date).toBe('2025-03-04');
    const single = { id: '2501.00001', title: 'T', summary: 'S' };
    expect(parseDigest(json(single), { name: 'paper-2025-05-06.json' }).digest.date).toBe('2025-05-06');
    expect(parseDigest(json(single), { name: 'paper.json' }).digest.date).toBeNull();
  });

  it('merges a paper listed twice', () => {
    const items = [item({ upvotes: null }), item({ upvotes: 9, ai_summary: 'TL;DR.' })];
    const r = parseDigest(json(items), { name: 'dup.json' });
    expect(r.digest.papers).toHaveLength(1);
    expect(r.digest.papers[0]).toMatchObject({ upvotes: 9, summary: 'TL;DR.' });
    expect(r.warnings[r.warnings.length - 1]).toEqual({ position: 'dup.json $[1]', message: '"A Paper" is listed twice (first at dup.json $[0]); kept once' });
  });
});

describe('parseHfApi with bad values', () => {
  it('warns with the JSON path of each bad field and keeps the paper', () => {
    const items = [
      item({ upvotes: 'many', authors: [{ name: 'Ok' }, { name: 7 }], publishedAt: 'yesterday', ai_keywords: 'nlp', githubRepo: 5 }),
      item({ id: '2501.00002', title: 'Second' }),
    ];
    const r = parseDigest(json(items), { name: 'digest.json' });
    expectWellFormed(r);
    expect(r.digest.papers).toHaveLength(2);
    expect(r.digest.papers[0]).toMatchObject({ upvotes: null, authors: ['Ok'], authorCount: 2, publishedAt: '2025-01-02', keywords: [], codeUrl: null });
    expect(r.warnings).toEqual([
      { position: 'digest.json $[0].paper.authors[1].name', message: 'expected a string, got a number (7); ignored' },
      { position: 'digest.json $[0].paper.publishedAt', message: 'expected a date, got a string ("yesterday"); ignored' },
      { position: 'digest.json $[0].paper.upvotes', message: 'expected a whole number, got a string ("many"); ignored' },
      { position: 'digest.json $[0].paper.ai_keywords', message: 'expected an array, got a string ("nlp"); ignored' },
      { position: 'digest.json $[0].paper.githubRepo', message: 'expected a string, got a number (5); ignored' },
    ]);
  });

  it('skips an item without a title with a warning, and reads the others', () => {
    const items = [item({}), item({ id: '2501.00002', title: 42 }, { title: undefined }), 'junk'];
    const r = parseDigest(json(items), { name: 'digest.json' });
    expect(r.digest.papers).toHaveLength(1);
    expect(r.warnings).toEqual([
      { position: 'digest.json $[2]', message: 'expected a daily-papers item (an object), got a string ("junk"); skipped' },
      { position: 'digest.json $[1].paper.title', message: "expected a string (the paper's title), got a number (42); skipped" },
    ]);
  });

  it('uses the top-level title when paper.title is missing', () => {
    const r = parseDigest(json([item({ title: undefined }, { title: 'Outer\n  Title' })]), { name: 'd.json' });
    expect(r.digest.papers[0]!.title).toBe('Outer Title');
  });

  it('uses a slug of the title when the id is missing, and then has no url', () => {
    const r = parseDigest(json([item({ id: 12345 })]), { name: 'd.json' });
    expect(r.digest.papers[0]).toMatchObject({ id: 'a-paper', url: null });
    expect(r.warnings[0]).toEqual({ position: 'd.json $[0].paper.id', message: 'expected a string, got a number (12345); used a slug of the title' });
  });

  it('fails when no item can be read, naming the first problem by its JSON path', async () => {
    const items = [{ paper: { title: 5 } }, { paper: 'x' }];
    await expectDigestError(
      () => parseDigest(json(items), { name: 'digest.json' }),
      "digest.json $[0].paper.title: expected a string (the paper's title), got a number (5) (no paper could be read; 2 problems in all)",
    );
  });

  it('fails on an empty list and on JSON of the wrong shape', async () => {
    await expectDigestError(() => parseDigest('[]', { name: 'empty.json' }), 'empty.json: found no papers in the list');
    await expectDigestError(() => parseDigest('{"foo": 1}', { name: 'odd.json' }), /^odd.json \$: JSON of an unknown shape/);
    await expectDigestError(() => parseDigest('"just a string"', { name: 's.json', format: 'hf-api' }), /^s.json \$: expected a list of daily papers/);
  });

  it('keeps the first 100 warnings and counts the rest', async () => {
    const items = Array.from({ length: 150 }, (_, i) => item({ id: `2501.${String(i).padStart(5, '0')}`, upvotes: 'lots' }));
    const r = parseDigest(json(items), { name: 'big.json' });
    expect(r.digest.papers).toHaveLength(150);
    expect(r.warnings).toHaveLength(101);
    expect(r.warnings[100]).toEqual({ position: 'big.json', message: '50 more warnings not shown' });
    const untitled = Array.from({ length: 150 }, () => ({ paper: { id: '1' } }));
    await expectDigestError(() => parseDigest(json(untitled), { name: 'big.json' }), /\(no paper could be read; 150 problems in all\)$/);
  });

  it('reports an error object from the API as such', async () => {
    await expectDigestError(() => parseDigest('{"error": "Invalid date"}', { name: 'hf:2025-12-11' }), 'hf:2025-12-11: the server answered with an error: "Invalid date"');
  });

  it('reads the sample the same when --format hf-api is given', () => {
    expect(parseFixture(REAL_API, { format: 'hf-api' }).digest).toEqual(parseFixture(REAL_API).digest);
    expect(fixture(REAL_API).length).toBeGreaterThan(1000);
  });
});
