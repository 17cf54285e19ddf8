/**
 * Feedback links in a real browser (Debian's Chromium through playwright-core, JavaScript on):
 * a scanner that opens every feedback link of a copy as a browser, running whatever the page
 * would run, changes nothing; a reader's click saves one rating, follows an author and undoes;
 * the preferences page's new parts work by keyboard and mouse, and download the reader's data.
 * Every page passes axe-core and fits a 375 px phone; screenshots go to test-artifacts/web/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFeedbackToken } from '../../src/subscribers/feedback-token.js';
import { signToken } from '../../src/subscribers/sign-token.js';
import { axeViolations, launchChromium, offlineContext } from './support/chromium.js';
import { ROOT, SECRET_KEY, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');
const PAPERS = ['2512.10001', '2512.10003', '2512.10004', '2512.10006', '2512.10009'];

let browser: Browser;
let f: WebFixture;
let reader: number;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, f] = await Promise.all([launchChromium(), startWebFixture({ sentIssue: true, subscribers: [{ email: 'browser.rater@example.org', name: 'Bea' }] })]);
  reader = (await f.app.store().getSubscriberByEmail('browser.rater@example.org'))!.id;
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

const link = (paper: string, choice: 'more' | 'less') => `${f.url}/f/${signFeedbackToken(SECRET_KEY, reader, paper, choice, f.clock.now())}`;
const snapshot = async () => JSON.stringify(await f.app.store().signalsOf(reader));

/** Accessible, phone-width, no script, one h1. */
async function checkPage(page: Page, name: string) {
  expect(await axeViolations(page, { iframes: false }), `axe on ${name}`).toEqual([]);
  const facts = await page.evaluate<{ scripts: number; h1: number; overflow: boolean }>(`({
    scripts: document.scripts.length,
    h1: document.querySelectorAll('h1').length,
    overflow: document.scrollingElement.scrollWidth > window.innerWidth,
  })`);
  expect(facts, name).toMatchObject({ scripts: 0, h1: 1, overflow: false });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('a scanner that opens links in a browser', () => {
  // Browser tests are slow on a loaded machine: each one has room beyond the default 30 s.
  it('changes nothing on any feedback link of a copy, with JavaScript on', { timeout: 120_000 }, async () => {
    const before = await snapshot();
    const { context, page, external } = await offlineContext(browser, f.url);
    try {
      for (const paper of PAPERS) {
        for (const choice of ['more', 'less'] as const) {
          const res = await page.goto(link(paper, choice), { waitUntil: 'networkidle' });
          expect(res?.status()).toBe(200);
          // What a scanner that "runs the page" gets to run: nothing.
          expect(await page.evaluate<number>('document.scripts.length')).toBe(0);
          expect(await page.locator('button').count()).toBe(1);
          expect(await page.getByLabel(choice === 'more' ? 'More like this' : 'Less like this').isChecked()).toBe(true);
        }
      }
      expect(external).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('a reader on a phone', () => {
  it('saves a rating with the one button, follows an author, and undoes', { timeout: 120_000 }, async () => {
    const { context, page } = await offlineContext(browser, f.url, { width: 375, height: 740 });
    try {
      await page.goto(link('2512.10003', 'more'));
      await checkPage(page, 'feedback-01-choice-phone');
      expect(await page.textContent('h1')).toBe('More like this?');
      expect(await snapshot()).toBe(JSON.stringify({ ratings: [], follows: [] }));

      await page.getByRole('button', { name: 'Save my rating' }).click();
      await page.waitForLoadState();
      expect(await page.textContent('h1')).toBe('Thank you');
      await checkPage(page, 'feedback-02-saved-phone');
      // Back to the page and the button again (a double click, a second thought): still one rating.
      await page.goBack();
      await page.getByRole('button', { name: 'Save my rating' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('status').textContent()).toContain('it counts once');
      expect((await f.app.store().signalsOf(reader)).ratings.map((r) => [r.paperId, r.choice])).toEqual([['2512.10003', 'more']]);

      await page.getByRole('button', { name: 'Follow Mary Jackson' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('status').first().textContent()).toContain('You now follow Mary Jackson.');
      await checkPage(page, 'feedback-03-followed-phone');
      expect((await f.app.store().signalsOf(reader)).follows.map((x) => x.value)).toEqual(['Mary Jackson']);

      await page.getByRole('button', { name: 'Undo' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('status').textContent()).toContain('Your rating is removed');
      expect((await f.app.store().signalsOf(reader)).ratings).toEqual([]);
      // The form is back, with the link's choice, for a second thought.
      await page.getByLabel('Less like this').check();
      await page.getByRole('button', { name: 'Save my rating' }).click();
      await page.waitForLoadState();
      expect((await f.app.store().signalsOf(reader)).ratings.map((r) => r.choice)).toEqual(['less']);
    } finally {
      await context.close();
    }
  });
});

describe('the preferences page', () => {
  it('adds and removes a follow, shows the rated papers, and downloads the data', { timeout: 120_000 }, async () => {
    const prefs = `${f.url}/p/${signToken(SECRET_KEY, 'preferences', reader)}`;
    const { context, page } = await offlineContext(browser, f.url, { width: 375, height: 740 });
    try {
      await page.goto(prefs);
      await checkPage(page, 'feedback-04-preferences-phone');
      await page.getByLabel('Follow a phrase').check();
      await page.getByLabel(/^Author or phrase/).fill('camera control');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.waitForURL(/signals=followed/);
      expect(await page.getByRole('status').textContent()).toBe('Added.');
      expect((await f.app.store().signalsOf(reader)).follows.map((x) => [x.kind, x.value])).toContainEqual(['phrase', 'camera control']);
      await checkPage(page, 'feedback-05-followed-phone');

      await page.getByRole('button', { name: 'Remove camera control' }).click();
      await page.waitForURL(/signals=unfollowed/);
      expect((await f.app.store().signalsOf(reader)).follows.map((x) => x.value)).not.toContain('camera control');

      expect(await page.locator('#ratings ~ ul.papers li').first().textContent()).toContain('Camera Control for Video Diffusion Models');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
      expect(download.suggestedFilename()).toBe('paperpost-my-data.json');
      const text = readFileSync((await download.path())!, 'utf8');
      expect(text).toContain('browser.rater@example.org');
      expect(text).toContain('2512.10003');
    } finally {
      await context.close();
    }
  });
});
