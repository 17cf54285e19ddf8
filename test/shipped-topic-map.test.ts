/**
 * The shipped topic map (and templates) wherever paperpost runs (issue #21, item 5), through
 * the real CLI: from a directory with no content/ or templates/, `themes`, `topics`, `render`
 * and `send --dry-run` use the map and templates of the package, and the dry run counts the
 * same readers as from the repository. A TOPICS_FILE that names no file is exit 2 and one
 * line; TOPICS_FILE=off is said on every command.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

const DIGEST = path.join(ROOT, 'content/digests/hf-papers-2025-12-11.txt');
const SHIPPED_MAP = path.join(ROOT, 'content/topics.yml');

let elsewhere: string;
let clone: string;
let env: Record<string, string>;
beforeAll(() => {
  const base = mkdtempSync(path.join(tmpdir(), 'pp-shipped-'));
  // A directory with nothing of paperpost's in it, and one laid out like a clone.
  elsewhere = path.join(base, 'elsewhere');
  clone = path.join(base, 'clone');
  mkdirSync(elsewhere);
  mkdirSync(clone);
  cpSync(path.join(ROOT, 'content'), path.join(clone, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(clone, 'templates'), { recursive: true });
  env = { DATABASE_URL: `sqlite:${path.join(base, 'paperpost.db')}`, SECRET_KEY: 'shipped-map-test-secret-0123456789', SUBSCRIBERS_SEED: 'off' };
  // One reader follows one topic, the other every topic.
  expect(runCli(['subscribers', 'add', 'one@example.org', '--topics', 'efficient-inference'], { cwd: elsewhere, env }).code).toBe(0);
  expect(runCli(['subscribers', 'add', 'all@example.org'], { cwd: elsewhere, env }).code).toBe(0);
}, 120_000);

const themes = (cwd: string, extra: Record<string, string> = {}) => runCli(['themes', DIGEST, '--json'], { cwd, env: { ...env, ...extra } });

describe('run outside the repository', () => {
  it('themes: the topics of the shipped map, exactly as in the repository', () => {
    const there = themes(elsewhere);
    expect(there.code).toBe(0);
    expect(there.stderr).toBe('');
    const json = JSON.parse(there.stdout) as { themes: { id: string; kind: string }[] };
    expect(json.themes.filter((t) => t.kind === 'topic').length).toBeGreaterThan(3);
    expect(json.themes.map((t) => t.id)).toContain('efficient-inference');
    expect(there.stdout).toBe(themes(ROOT).stdout);
  }, 180_000);

  it('topics: lists the map that ships in the package', () => {
    const r = runCli(['topics'], { cwd: elsewhere, env });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^\\d+ topics in ${SHIPPED_MAP.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')};`));
    expect(r.stdout).toMatch(/^efficient-inference /m);
  }, 180_000);

  it('render: the shipped templates and a reader\'s topics', () => {
    const out = path.join(elsewhere, 'rendered');
    const r = runCli(['render', DIGEST, '--out', out, '--subscriber', 'one@example.org'], { cwd: elsewhere, env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'subject.txt'), 'utf8')).toMatch(/Efficient Inference/);
    expect(readFileSync(path.join(out, 'email.html'), 'utf8')).toContain('id="efficient-inference"');
  }, 180_000);

  it('send --dry-run: every reader counted, the same from any directory', () => {
    const counts = [elsewhere, clone, ROOT].map((cwd) => {
      const r = runCli(['send', DIGEST, '--dry-run'], { cwd, env });
      expect(r.code, r.stderr).toBe(0);
      return /would go to (\d+) subscriber/.exec(r.stdout)?.[1];
    });
    expect(counts).toEqual(['2', '2', '2']);
  }, 180_000);
});

describe('TOPICS_FILE', () => {
  it('that names no file is exit 2 and one line, for every command that groups papers', () => {
    const out = path.join(elsewhere, 'never');
    for (const args of [['themes', DIGEST], ['topics'], ['render', DIGEST, '--out', out], ['send', DIGEST, '--dry-run']]) {
      const r = runCli(args, { cwd: elsewhere, env: { ...env, TOPICS_FILE: '/nonexistent/topics.yml' } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: TOPICS_FILE names no file: \/nonexistent\/topics\.yml \(/)]);
    }
    expect(existsSync(out)).toBe(false);
  }, 180_000);

  it('names another map, relative to the working directory', () => {
    const r = themes(clone, { TOPICS_FILE: 'content/topics.yml' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(themes(ROOT).stdout);
  }, 180_000);

  it('=off falls back to day-by-day clusters, and says so when it is turned off', () => {
    const off = { ...env, TOPICS_FILE: 'off' };
    const note = /^note: TOPICS_FILE is off: papers are grouped by day-by-day clusters, not by the topic map/m;
    const r = themes(elsewhere, { TOPICS_FILE: 'off' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(note);
    // The reader who follows one topic is named among those the clusters may leave without a copy.
    expect(r.stderr).toMatch(/; 1 active reader\(s\) follow chosen topics, and get a copy only when a cluster's label is one of them$/m);
    const json = JSON.parse(r.stdout) as { themes: { kind?: string }[] };
    expect(json.themes.some((t) => t.kind === 'topic')).toBe(false);
    // Once per database, and again after the map was back on.
    expect(runCli(['send', DIGEST, '--dry-run'], { cwd: elsewhere, env: off }).stderr).not.toMatch(note);
    expect(runCli(['subscribers', 'list'], { cwd: elsewhere, env }).stderr).not.toMatch(note);
    expect(runCli(['subscribers', 'list'], { cwd: elsewhere, env: off }).stderr).toMatch(note);
    // A preview with no database says it every time.
    const memory = { ...off, DATABASE_URL: `sqlite:${path.join(elsewhere, 'none.db')}` };
    expect(runCli(['themes', DIGEST], { cwd: elsewhere, env: memory }).stderr).toMatch(note);
    expect(runCli(['themes', DIGEST], { cwd: elsewhere, env: memory }).stderr).toMatch(note);
  }, 240_000);
});
