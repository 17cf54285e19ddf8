/**
 * `paperpost render <source> --subscriber EMAIL --json` (issue #20): the reader's copy as data,
 * as a send would make it: their picks with scores and reasons (from their follows, kept in the
 * store), their sections with the papers shown in order, never a picked paper twice. Without
 * a source, DIGEST_SOURCE's digest (as send); without --out or --json, one line and exit 2.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

const SAMPLE = 'content/digests/hf-papers-2025-12-11.txt';

describe('paperpost render --json', () => {
  it("prints a subscriber's picks and sections, as a send lays them out", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-render-json-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SECRET_KEY: 'test-secret-key-0123456789abcdef', PICKS: '3' };
    expect(runCli(['subscribers', 'add', 'ada@example.org', '--name', 'Ada'], { env }).code).toBe(0);
    expect(runCli(['subscribers', 'follow', 'ada@example.org', '--phrase', 'knowledge distillation'], { env }).code).toBe(0);
    const r = runCli(['render', SAMPLE, '--subscriber', 'ada@example.org', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const copy = JSON.parse(r.stdout) as { picks: { paperId: string; title: string; score: number; reason: string }[]; sections: { id: string; label: string; paperIds: string[] }[]; subject: string };
    expect(copy.picks).toHaveLength(3);
    for (const p of copy.picks) {
      expect(p.reason).toBe('you follow "knowledge distillation"');
      expect(p.title).toMatch(/distill/i);
      expect(p.score).toBeGreaterThan(0);
    }
    const inSections = copy.sections.flatMap((s) => s.paperIds);
    expect(inSections.some((id) => copy.picks.some((p) => p.paperId === id))).toBe(false);
    expect(copy.picks.length + inSections.length).toBeLessThanOrEqual(30);
    // The subject counts what the copy shows.
    expect(copy.subject).toMatch(new RegExp(`^Trending papers, Dec 11: ${copy.picks.length + inSections.length} papers on `));
  });

  it('renders the digest DIGEST_SOURCE names when given no source, as send does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-render-default-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SECRET_KEY: 'test-secret-key-0123456789abcdef', DIGEST_SOURCE: SAMPLE };
    const named = runCli(['render', SAMPLE, '--json'], { env });
    const fromConfig = runCli(['render', '--json'], { env });
    expect(fromConfig.stderr).toBe('');
    expect(fromConfig.code).toBe(0);
    expect(JSON.parse(fromConfig.stdout)).toEqual(JSON.parse(named.stdout));
    const missing = runCli(['render', '--json'], { env: { ...env, DIGEST_SOURCE: path.join(dir, 'nothing-here.txt') } });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes an empty --subscriber as a mistake (one line, exit 2), not as no subscriber', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-render-empty-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SECRET_KEY: 'test-secret-key-0123456789abcdef' };
    expect(runCli(['subscribers', 'add', 'ada@example.org'], { env }).code).toBe(0);
    const r = runCli(['render', SAMPLE, '--subscriber', '', '--json'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: --subscriber is empty/)]);
  });

  it("renders a reader who has left, and says on stderr that a send does not mail them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-render-left-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SECRET_KEY: 'test-secret-key-0123456789abcdef' };
    expect(runCli(['subscribers', 'add', 'ada@example.org'], { env }).code).toBe(0);
    expect(runCli(['subscribers', 'remove', 'ada@example.org'], { env }).code).toBe(0);
    const r = runCli(['render', SAMPLE, '--subscriber', 'ada@example.org', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ subscriber: 'ada@example.org' });
    expect(r.stderr.trim().split('\n')).toEqual(['warning: ada@example.org is unsubscribed: they get no issues now (send does not mail them)']);
  });

  it('needs --out or --json', () => {
    const r = runCli(['render', SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out DIR .* or --json/);
  });
});
