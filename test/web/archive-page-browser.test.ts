/**
 * The web version of an issue in a real browser (Debian's Chromium through playwright-core),
 * at a 375 px phone and a 1280 px desktop: axe-core finds no violation (WCAG 2 A/AA and best
 * practice), nothing overflows sideways, no script runs, nothing loads from elsewhere.
 * Screenshots go to test-artifacts/web/ for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, offlineContext } from './support/chromium.js';
import { ROOT, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');

let browser: Browser;
let f: WebFixture;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, f] = await Promise.all([
    launchChromium(),
    startWebFixture({ sentIssue: true, subscribers: [{ email: 'reader@example.org' }] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('/archive/<date> in Chromium', () => {
  it.each([
    ['phone', 375, 740],
    ['desktop', 1280, 900],
  ])('reads well on a %s (%i px): no axe violations, no sideways scroll, no script, nothing external', async (name, width, height) => {
    const { context, page, external } = await offlineContext(browser, f.url, { width, height });
    try {
      const res = await page.goto(`${f.url}/archive/2025-12-10`);
      expect(res?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
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
