import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { runCli } from '../helpers/run-cli.js';
import { expectDigestError, expectWellFormed, parseFixture, REAL_PAGE } from './fixtures.js';

describe('parsePaperpostJson', () => {
  it('reads what paperpost printed back to the same papers (round trip)', () => {
    const first = parseFixture(REAL_PAGE);
    const saved = JSON.stringify(first.digest, null, 2);
    const again = parseDigest(saved, { name: 'saved.json' });
    expect(again.warnings).toEqual([]);
    expect(again.digest.papers).toEqual(first.digest.papers);
    expect(again.digest.date).toBe('2025-12-11');
    expect(again.digest.source).toBe('saved.json');
    expect(JSON.stringify(again.digest.papers)).toBe(JSON.stringify(first.digest.papers));
  });

  it('reads what `digest --json` printed (its tldr included) without a warning', () => {
    const printed = runCli(['digest', REAL_PAGE, '--json']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('"tldr"');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pp-json-')), 'out.json');
    writeFileSync(file, printed.stdout);
    const again = runCli(['digest', file]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/unknown key|warning/);
    const parsed = parseDigest(printed.stdout, { name: 'out.json' });
    expect(parsed.warnings).toEqual([]);
    expect(parsed.digest.papers).toEqual(parseFixture(REAL_PAGE).digest.papers);
  });

  it('reads a hand-edited digest: only title is required, and codeUrl is not guessed', () => {
    const r = parseFixture('paperpost-2025-12-11.json');
    expectWellFormed(r);
    expect(r.digest.date).toBe('2025-12-11');
    expect(r.digest.papers[1]).toMatchObject({ id: '2306.05685', codeUrl: null, keywords: ['LLM-as-a-judge', 'MT-Bench'], authorCount: 4 });
    expect(r.digest.papers[2]).toEqual({
      id: 'a-hand-written-entry-with-only-a-title',
      title: 'A Hand-Written Entry With Only a Title',
      abstract: '',
      summary: null,
      authors: [],
      authorCount: null,
      publishedAt: null,
      upvotes: null,
      url: null,
      codeUrl: null,
      keywords: [],
    });
  });

  it('warns about a bad paper by its JSON path and loads the rest', () => {
    const digest = {
      date: '2025-12-11',
      papers: [
        { title: 'Good' },
        { title: 'Bad upvotes', upvotes: -1 },
        { title: 'Bad date', publishedAt: '2025-02-30' },
        { title: 'Bad author', authors: ['A', 3] },
        { titel: 'Typo' },
        { title: 'Unknown key', abstrct: 'x', url: 'data:text/html,hi' },
      ],
    };
    const r = parseDigest(JSON.stringify(digest), { name: 'digest.json' });
    expect(r.digest.papers.map((p) => p.title)).toEqual(['Good', 'Unknown key']);
    expect(r.digest.papers[1]!.url).toBeNull();
    expect(r.warnings).toEqual([
      { position: 'digest.json $.papers[1].upvotes', message: 'expected a whole number ≥ 0; paper skipped' },
      { position: 'digest.json $.papers[2].publishedAt', message: 'expected a date as YYYY-MM-DD; paper skipped' },
      { position: 'digest.json $.papers[3].authors[1]', message: 'expected a string, got a number (3); paper skipped' },
      { position: 'digest.json $.papers[4].title', message: 'expected a string (missing); paper skipped' },
      { position: 'digest.json $.papers[5].abstrct', message: 'unknown key; ignored' },
      { position: 'digest.json $.papers[5]', message: 'url "data:text/html,hi" is not an http(s) URL; dropped' },
    ]);
  });

  it('refuses a digest of the wrong shape with the JSON paths of the first problems', async () => {
    await expectDigestError(
      () => parseDigest('{"date": "12/11/2025", "papers": {"0": {}}}', { name: 'digest.json' }),
      'digest.json: not a paperpost digest: $.date: expected a date as YYYY-MM-DD; $.papers: expected an array, got an object',
    );
    await expectDigestError(() => parseDigest('{"papers": []}', { name: 'digest.json' }), 'digest.json: found no papers in "papers"');
    await expectDigestError(
      () => parseDigest('{"papers": [{"title": 1}, 2]}', { name: 'digest.json' }),
      'digest.json $.papers[0].title: expected a string, got a number (1) (no paper could be read; 2 problems in all)',
    );
    await expectDigestError(() => parseDigest('[1]', { name: 'digest.json', format: 'paperpost' }), 'digest.json: not a paperpost digest: $: expected an object, got an array');
  });
});
