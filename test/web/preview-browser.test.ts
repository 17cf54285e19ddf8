/**
 * `paperpost preview` as an operator uses it (issue #22): the compiled CLI on port 0, a copy of
 * templates/ in a temporary directory, Debian's Chromium through playwright-core. A save of a
 * template shows on the page within a second (measured); the width switch (375, 600, 1024 px),
 * the dark mode toggle, the plain text, the size badge and the checks list work; a broken
 * template shows its error with file:line while the server keeps running, and the fixed one
 * shows the issue again; a save of the topic map regroups the papers; the page previews any
 * subscriber's copy. Screenshots go to
 * test-artifacts/web/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCliAsync } from '../helpers/run-cli.js';
import { launchChromium, offlineContext } from './support/chromium.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TEMPLATES_DIR: 'templates', TOPICS_FILE: 'topics.yml' };

let dir: string;
let child: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
let exited: Promise<number | null>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'pp-preview-'));
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  cpSync(path.join(ROOT, 'test/fixtures/web/digests/paperpost-2025-12-10.json'), path.join(dir, 'digest.json'));
  cpSync(path.join(ROOT, 'content/topics.yml'), path.join(dir, 'topics.yml'));
  const added = await runCliAsync(['subscribers', 'add', 'kay@example.org', '--name', 'Kay Vee', '--topics', 'video-generation'], { cwd: dir, env: ENV });
  expect(added.code, added.stderr).toBe(0);
  child = spawn(process.execPath, [CLI, 'preview', 'digest.json', '--port', '0'], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`preview did not start: ${output}`)), 90_000);
    const read = (d: Buffer) => {
      output += d;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', () => reject(new Error(`preview exited: ${output}`)));
  });
  browser = await launchChromium();
  ({ page } = await offlineContext(browser, url, { width: 1700, height: 1000 }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
  if (child) expect(await exited).toBe(0);
});

/** The email's frame (the page swaps its src after each build). */
const emailFrame = (): Frame => page.frames().find((f) => f.url().includes('/frame'))!;

/** Evaluates in the email frame, retrying while it is between two builds. */
async function inFrame<T>(fn: string, until: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = (await emailFrame().evaluate(fn)) as T;
      if (until(last)) return last;
    } catch {
      // The frame is loading the next build.
    }
    if (Date.now() > end) throw new Error(`the email frame never met the condition; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const frameText = `document.body ? document.body.innerText : ''`;

describe('paperpost preview in Chromium', () => {
  it('shows the email, its plain text, a size badge and the checks; switches widths and dark mode', { timeout: 120_000 }, async () => {
    await page.goto(url + '/');
    await inFrame<string>(frameText, (t) => t.includes('Unsubscribe'));
    expect(await page.textContent('#text')).toMatch(/Read it on the web: http:\/\/127\.0\.0\.1:8080\/archive\/2025-12-10/);
    expect(await page.getAttribute('#size', 'data-level')).toBe('ok');
    expect(await page.textContent('#size')).toMatch(/of Gmail's 102\.0 KB clip line/);
    const checks = await page.locator('#checks li').allTextContents();
    expect(checks).toEqual([expect.stringMatching(/^warning links: links to this machine \(http:\/\/127\.0\.0\.1:8080\), which readers cannot open/)]);

    for (const width of [375, 1024, 600]) {
      await page.check(`input[name=width][value="${width}"]`);
      expect(await inFrame<number>('window.innerWidth', (w) => w === width)).toBe(width);
      if (width === 375) await page.screenshot({ path: path.join(ARTIFACTS, 'preview-375.png') });
    }

    const background = 'getComputedStyle(document.body).backgroundColor';
    expect(await inFrame<string>(background, (c) => c !== '')).toBe('rgb(243, 244, 246)');
    await page.check('#dark');
    expect(await inFrame<string>(background, (c) => c === 'rgb(15, 17, 21)')).toBe('rgb(15, 17, 21)');
    expect(emailFrame().url()).toContain('scheme=dark');
    expect(await page.$eval('#email', (e) => (e as unknown as { style: { colorScheme: string } }).style.colorScheme)).toBe('dark');
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview-dark.png') });
    await page.uncheck('#dark');
    expect(await inFrame<string>(background, (c) => c === 'rgb(243, 244, 246)')).toBe('rgb(243, 244, 246)');
  });

  it("previews a chosen subscriber's copy: their topics, name and links", { timeout: 60_000 }, async () => {
    await page.goto(url + '/?as=kay%40example.org');
    expect(await page.textContent('#who')).toBe('As kay@example.org (Kay Vee), topics: video-generation.');
    const text = await inFrame<string>(frameText, (t) => t.includes('kay@example.org'));
    expect(text).toMatch(/Video Generation/);
    expect(await page.textContent('#text')).toMatch(/\/u\/[A-Za-z0-9._-]{20,}/);
  });

  it('shows a saved template within a second; a broken one shows its error with file:line, and the fix shows the issue again', { timeout: 120_000 }, async () => {
    await page.goto(url + '/');
    await inFrame<string>(frameText, (t) => t.includes('Unsubscribe'));
    // Give the page's event stream a moment to connect, as it has long done when a person edits.
    await page.waitForTimeout(500);
    const footer = path.join(dir, 'templates/partials/footer.mjml.hbs');
    const original = readFileSync(footer, 'utf8');

    const timings: number[] = [];
    const builds: string[] = [];
    for (const marker of ['Saved-once', 'Saved-twice', 'Saved-thrice']) {
      const started = performance.now();
      writeFileSync(footer, original.replace('of trending machine-learning papers', `(${marker}) of trending machine-learning papers`));
      await inFrame<string>(frameText, (t) => t.includes(marker));
      timings.push(Math.round(performance.now() - started));
      builds.push((await page.textContent('#build')) ?? '');
    }
    console.log(`preview: a template save showed in the page after ${timings.join(', ')} ms (${builds.join(' ')})`);
    // Within a second of a save: the median of three, so one save that meets a busy moment of a
    // shared machine does not decide it, but two slow ones do (at load ~20 on 2 cores the
    // medians measured 463, 712 and 894 ms).
    expect([...timings].sort((a, b) => a - b)[1]).toBeLessThan(1000);

    writeFileSync(footer, original.replace('<p style="margin:0">', '{{#if issue.date}}<p style="margin:0">'));
    const error = page.locator('#build-error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await error.textContent()).toMatch(/templates\/partials\/footer\.mjml\.hbs: Parse error on line \d+/);
    expect(await error.textContent()).toMatch(/The frame shows the last issue that compiled/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview-template-error.png') });
    expect(child.exitCode).toBe(null);

    writeFileSync(footer, original.replace('of trending machine-learning papers', '(Fixed) of trending machine-learning papers'));
    await inFrame<string>(frameText, (t) => t.includes('(Fixed)'));
    await error.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('#checks li').count()).toBe(1);

    // The topic map is watched too: a relabelled topic shows in the next build.
    const topics = path.join(dir, 'topics.yml');
    writeFileSync(topics, readFileSync(topics, 'utf8').replace('label: Video Generation', 'label: Moving Pictures'));
    await inFrame<string>(frameText, (t) => t.includes('Moving Pictures'));
  });
});
