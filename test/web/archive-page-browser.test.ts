/**
 * The web version of an issue in a real browser (Debian's Chromium through playwright-core),
 * at a 375 px phone and a 1280 px desktop: axe-core finds no violation (WCAG 2 A/AA and best
 * practice), nothing overflows sideways, no script runs, nothing loads from elsewhere.
 * Screenshots go to test-artifacts/web/ for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');
const AXE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let f: WebFixture;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH; this test must not be skipped`);
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, f] = await Promise.all([
    chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
    startWebFixture({ sentIssue: true, subscribers: [{ email: 'reader@example.org' }] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

describe('/archive/<date> in Chromium', () => {
  it.each([
    ['phone', 375, 740],
    ['desktop', 1280, 900],
  ])('reads well on a %s (%i px): no axe violations, no sideways scroll, no script, nothing external', async (name, width, height) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const external: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(f.url)) return route.continue();
      external.push(url);
      return route.abort();
    });
    try {
      const page = await context.newPage();
      const res = await page.goto(`${f.url}/archive/2025-12-10`);
      expect(res?.status()).toBe(200);
      await page.evaluate(AXE);
      const result = await page.evaluate<AxeResult>(
        `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`,
      );
      const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(violations).toEqual([]);
      const facts = await page.evaluate<{ scripts: number; h1: number; overflow: boolean; cta: number; footer: boolean }>(`({
        scripts: document.scripts.length,
        h1: document.querySelectorAll('h1').length,
        overflow: document.scrollingElement.scrollWidth > window.innerWidth,
        cta: [...document.querySelectorAll('a')].filter((a) => a.getAttribute('href') === '/subscribe' && a.offsetParent !== null).length,
        footer: document.body.innerText.includes('You are getting this email'),
      })`);
      expect(facts).toEqual({ scripts: 0, h1: 1, overflow: false, cta: 2, footer: false });
      await page.screenshot({ path: path.join(ARTIFACTS, `13-archive-issue-${name}-${width}.png`), fullPage: true });
      // The first and the last screen, at full size, for a person to look at closely.
      await page.screenshot({ path: path.join(ARTIFACTS, `13-archive-issue-${name}-${width}-top.png`) });
      await page.evaluate('window.scrollTo(0, document.scrollingElement.scrollHeight)');
      await page.screenshot({ path: path.join(ARTIFACTS, `13-archive-issue-${name}-${width}-end.png`) });
      expect(external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
