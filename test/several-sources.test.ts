/**
 * Several sources, one issue (issue #21, item 3), through the real CLI: DIGEST_SOURCE names
 * the day's Hugging Face list and an arXiv listing (built from real papers, see
 * test/ingest/support/arxiv-feed-from-hf.ts); `send` and `run` make one issue of both, each
 * paper once, HF's upvotes kept, sent once; a bad source in the list is exit 2 naming it.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';
import { arxivFeedFrom, hfRecords } from './ingest/support/arxiv-feed-from-hf.js';

const HF_DAY = 'test/fixtures/topics/days/hf-api-2026-07-31.json';
const OTHER_DAY = 'test/fixtures/topics/days/hf-api-2026-09-04.json';

let dir: string;
let hf: string;
let arxiv: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-several-'));
  hf = path.join(ROOT, HF_DAY);
  // The arXiv listing of the day before: 12 papers HF lists too, 8 it does not.
  arxiv = path.join(dir, 'arxiv-cs.LG.atom.xml');
  writeFileSync(arxiv, arxivFeedFrom([...hfRecords(HF_DAY).slice(0, 12), ...hfRecords(OTHER_DAY).slice(0, 8)], '2026-07-30'));
  env = {
    DATABASE_URL: `sqlite:${path.join(dir, 'paperpost.db')}`,
    OUTBOX_DIR: path.join(dir, 'outbox'),
    SECRET_KEY: 'several-sources-test-secret-0123456789',
    SUBSCRIBERS_SEED: 'off',
    DIGEST_SOURCE: `${arxiv}, ${hf}`,
  };
  expect(runCli(['subscribers', 'add', 'one@example.org', '--topics', 'llm-agents'], { cwd: dir, env }).code).toBe(0);
  expect(runCli(['subscribers', 'add', 'all@example.org'], { cwd: dir, env }).code).toBe(0);
}, 120_000);

describe('DIGEST_SOURCE with two sources', () => {
  it('themes: every paper of both once, HF upvotes kept, dated by the newer source', () => {
    const r = runCli(['themes', env.DIGEST_SOURCE!, '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*the sources give different dates \(.*\); the issue is dated 2026-07-31, the newest$/m);
    const json = JSON.parse(r.stdout) as { date: string; themes: { papers: { id: string; upvotes: number | null }[] }[] };
    expect(json.date).toBe('2026-07-31');
    const papers = json.themes.flatMap((t) => t.papers);
    expect(papers).toHaveLength(31 + 8);
    expect(new Set(papers.map((p) => p.id)).size).toBe(39);
    const upvotes = new Map(hfRecords(HF_DAY).map((r) => [r.paper.id, (r.paper as { upvotes?: number }).upvotes]));
    for (const p of papers) expect(p.upvotes).toBe(upvotes.get(p.id) ?? null);
  }, 180_000);

  it('send: one issue, each reader once; a second send and run send nothing more', () => {
    const dry = runCli(['send', '--dry-run'], { cwd: dir, env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^dry run of issue 2026-07-31: .* would go to 2 subscriber\(s\) now$/m);
    const first = runCli(['send'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^issue 2026-07-31: written to the outbox 2, deferred 0, failed 0, skipped 0/m);
    const again = runCli(['send'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^nothing new: issue 2026-07-31 has already gone to all 2 active subscriber\(s\)/m);
    const run = runCli(['run'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^nothing new: issue 2026-07-31 has already gone out$/m);
    expect(readdirSync(path.join(dir, 'outbox'))).toEqual(['2026-07-31']);
    expect(readdirSync(path.join(dir, 'outbox/2026-07-31')).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
  }, 240_000);

  it('a bad source in the list: exit 2, one line naming it', () => {
    for (const bad of ['/nonexistent/feed.xml', 'hf:2026-02-30']) {
      const r = runCli(['send', '--dry-run'], { cwd: dir, env: { ...env, DIGEST_SOURCE: `${hf},${bad}` } });
      expect(r.code, bad).toBe(2);
      const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('warning:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toContain(bad);
      expect(lines[0]).toContain('(source 2 of 2 in the list)');
    }
  }, 180_000);
});
