/**
 * The topic map in use (issue #12), through the real CLI, a real `paperpost serve` and
 * Chromium: choices stored as topic ids that survive a relabelling, the migration of
 * label choices, a subscriber following one topic getting only that topic, the `themes
 * --json` contract, the same topic id on another date, and a bad topics.yml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { launchChromium } from './web/support/chromium.js';
import Database from 'better-sqlite3';
import { CLI, ROOT, runCli } from './helpers/run-cli.js';
import { freePort } from './helpers/free-port.js';

const DAYS = path.join(ROOT, 'test/fixtures/topics/days');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-topics-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  return dir;
}
async function serve(dir: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env, PUBLIC_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  for (let i = 0; i < 200 && !out.includes('serving on'); i++) await new Promise((r) => setTimeout(r, 50));
  return { url, child };
}
const stop = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.on('exit', () => resolve()), child.kill('SIGTERM'))));
const list = (dir: string, env: Record<string, string> = {}) => JSON.parse(runCli(['subscribers', 'list', '--json'], { cwd: dir, env }).stdout) as { email: string; themes: string[] | null }[];

describe('subscriptions by topic id', () => {
  it('are chosen in the browser, stored as ids, and survive a relabelling', async () => {
    const dir = scratch();
    const env = { SECRET_KEY: 'topics-test-secret-0123456789abcdef', SUBSCRIBERS_SEED: 'off' };
    expect(runCli(['subscribers', 'add', 'ada@example.org'], { cwd: dir, env }).code).toBe(0);
    const preferencesUrl = async (url: string) => {
      const ada = new Database(path.join(dir, 'data/paperpost.db'), { readonly: true }).prepare("SELECT id FROM subscribers WHERE email_key = 'ada@example.org'").get() as { id: number };
      const { signToken } = await import('../src/subscribers/sign-token.js');
      return `${url}/p/${signToken(env.SECRET_KEY, 'preferences', ada.id)}`;
    };

    const first = await serve(dir, env);
    const page = await browser.newPage();
    try {
      await page.goto(await preferencesUrl(first.url));
      await page.getByLabel('Only the topics I tick below').check();
      await page.locator('summary', { hasText: /topics$/ }).click();
      await page.getByLabel('Efficient Inference', { exact: true }).check();
      await page.getByLabel('LLM Agents', { exact: true }).check();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.waitForSelector('text=Your preferences are saved');
    } finally {
      await stop(first.child);
    }
    expect(list(dir, env)[0]!.themes).toEqual(['llm-agents', 'efficient-inference']);

    // The operator renames a topic: the id stays, and so does the choice.
    const relabelled = path.join(dir, 'content/topics-renamed.yml');
    writeFileSync(relabelled, readFileSync(path.join(dir, 'content/topics.yml'), 'utf8').replace('label: Efficient Inference', 'label: Fast & Cheap Inference'));
    const second = await serve(dir, { ...env, TOPICS_FILE: relabelled });
    try {
      await page.goto(await preferencesUrl(second.url));
      expect(await page.getByLabel('Fast & Cheap Inference', { exact: true }).isChecked()).toBe(true);
      expect(await page.getByLabel('LLM Agents', { exact: true }).isChecked()).toBe(true);
      expect(await page.getByLabel('Multimodal Models', { exact: true }).isChecked()).toBe(false);
      expect(await page.locator('label', { hasText: 'Efficient Inference' }).count()).toBe(0);
    } finally {
      await page.close();
      await stop(second.child);
    }
  }, 90_000);

  it('a subscriber following one topic gets only its sections, and the CLI takes ids or labels', async () => {
    const dir = scratch();
    const env = { SECRET_KEY: 'topics-test-secret-0123456789abcdef' };
    expect(runCli(['subscribers', 'add', 'one@example.org', '--topics', 'Efficient Inference'], { cwd: dir, env }).stdout).toMatch(/topics: efficient-inference/);
    expect(runCli(['subscribers', 'add', 'all@example.org'], { cwd: dir, env }).code).toBe(0);
    const bad = runCli(['subscribers', 'add', 'x@example.org', '--topics', 'Kernel'], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --topics: no topic is called "Kernel"/m);
    writeFileSync(path.join(dir, 'list.csv'), 'email,name,topics\nlab@example.org,Lab,"LLM Agents, reasoning-rl"\nodd@example.org,Odd,Value\n');
    const imported = runCli(['subscribers', 'import', 'list.csv', '--skip-invalid'], { cwd: dir, env });
    expect(imported.stderr).toMatch(/rejected list\.csv:3: no topic is called "Value"/);
    expect(list(dir, env).find((s) => s.email === 'lab@example.org')!.themes).toEqual(['llm-agents', 'reasoning-rl']);

    expect(runCli(['send', 'content/digests/hf-papers-2025-12-11.txt'], { cwd: dir, env }).code).toBe(0);
    const box = path.join(dir, 'out/outbox/2025-12-11');
    const mailOf = async (who: string) => simpleParser(readFileSync(path.join(box, readdirSync(box).find((f) => f.endsWith('.eml') && f.includes(who))!)));
    const one = await mailOf('one_example.org');
    const all = await mailOf('all_example.org');
    expect(one.text).toContain('xKV');
    expect(one.text).not.toContain('DDK: Distilling Domain Knowledge');
    expect(all.text).toContain('DDK: Distilling Domain Knowledge');
    expect(one.subject).toMatch(/Efficient Inference/);
    expect(one.subject).not.toMatch(/Distillation/);
  }, 60_000);
});

describe('label choices from before topics', () => {
  it('are moved to topic ids once, and the move says what it did', () => {
    const dir = scratch();
    const env = { SECRET_KEY: 'topics-test-secret-0123456789abcdef' };
    // A database as the day-by-day themes left it: choices are labels.
    expect(runCli(['subscribers', 'add', 'seed@example.org'], { cwd: dir, env: { ...env, TOPICS_FILE: 'off' } }).code).toBe(0);
    const db = new Database(path.join(dir, 'data/paperpost.db'));
    const insert = db.prepare("INSERT INTO subscribers (email, email_key, name, status, themes, created_at) VALUES (?, ?, NULL, 'active', ?, '2026-01-01T00:00:00.000Z')");
    insert.run('a@example.org', 'a@example.org', JSON.stringify(['KV Cache', 'LLM Agents']));
    insert.run('b@example.org', 'b@example.org', JSON.stringify(['Kernel']));
    insert.run('c@example.org', 'c@example.org', JSON.stringify(['efficient-inference']));
    db.close();

    const r = runCli(['subscribers', 'list', '--json'], { cwd: dir, env });
    expect(r.stderr).toMatch(/note: moved 2 subscriber\(s\)' theme choices to topic ids: 1 now follow the topics their labels name, 1 now get all topics \(no topic is called "KV Cache", "Kernel"\)/);
    const after = JSON.parse(r.stdout) as { email: string; themes: string[] | null }[];
    expect(after.find((s) => s.email === 'a@example.org')!.themes).toEqual(['llm-agents']);
    expect(after.find((s) => s.email === 'b@example.org')!.themes).toBeNull();
    expect(after.find((s) => s.email === 'c@example.org')!.themes).toEqual(['efficient-inference']);
    // Once only.
    expect(runCli(['subscribers', 'list'], { cwd: dir, env }).stderr).not.toMatch(/moved/);
  });
});

describe('themes --json', () => {
  it('keeps its contract, with stable topic ids on two dates, kinds and stories', () => {
    // From an empty directory: the repository's own data/ (left by `npm start`) holds issues whose
    // learned vocabulary would change where papers land, so the figures would depend on what ran before.
    const cwd = mkdtempSync(path.join(tmpdir(), 'pp-themes-json-'));
    const json = (file: string) =>
      JSON.parse(runCli(['themes', path.join(DAYS, file), '--json'], { cwd }).stdout) as {
        date: string;
        themes: { id: string; label: string; keywords: string[]; other: boolean; kind: string; papers: { id: string }[]; stories: { label: string; papers: string[] }[] }[];
      };
    const a = json('hf-api-2026-05-29.json');
    const b = json('hf-api-2026-07-31.json');
    for (const day of [a, b]) {
      const ids = day.themes.flatMap((t) => t.papers.map((p) => p.id));
      expect(new Set(ids).size).toBe(ids.length);
      for (const t of day.themes) {
        expect(Object.keys(t)).toEqual(expect.arrayContaining(['id', 'label', 'keywords', 'other', 'papers', 'kind', 'stories']));
        expect(['topic', 'emerging', 'other']).toContain(t.kind);
        for (const s of t.stories) for (const id of s.papers) expect(t.papers.map((p) => p.id)).toContain(id);
      }
      expect(day.themes.at(-1)!.kind).toBe('other');
    }
    // The same agent papers with other company on another date: the same topic id and label.
    for (const paperId of ['2605.24785', '2605.28424', '2605.29486']) {
      const on = (d: typeof a) => d.themes.find((t) => t.papers.some((p) => p.id === paperId))!;
      expect(on(a).id).toBe('llm-agents');
      expect([on(b).id, on(b).label]).toEqual([on(a).id, on(a).label]);
    }
  });

  it('refuses a bad topics.yml with exit 2 and file:line', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'content/topics.yml'), 'topics:\n  - id: Not A Slug\n    label: Five words is too many here\n    description: x\n    phrases: [a thing]\n');
    // The working directory's content/ is not read unless TOPICS_FILE names it (issue #21).
    const r = runCli(['themes', 'content/digests'], { cwd: dir, env: { TOPICS_FILE: 'content/topics.yml' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/topics\.yml:2: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
