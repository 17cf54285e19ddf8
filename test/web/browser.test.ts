/**
 * End to end in a real browser (Debian's Chromium through playwright-core): subscribe, the
 * confirmation email arrives at a real SMTP server, confirm from its link, change themes,
 * unsubscribe through the page; the operator's preview of an issue. Every page passes axe-core
 * (WCAG 2 A/AA rules) and fits a 375 px phone; screenshots go to test-artifacts/web/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, offlineContext } from './support/chromium.js';
import { ROOT, startWebFixture, waitFor, type WebFixture } from './support/start-web-fixture.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');

let browser: Browser;
let f: WebFixture;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, f] = await Promise.all([
    launchChromium(),
    startWebFixture({ sentIssue: true, draft: true, subscribers: [{ email: 'kv.reader@example.org', name: 'Kay Vee', themes: ['efficient-inference'] }] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

/** A context that, like an offline server's users, reaches nothing but the app. */
const newContext = (viewport?: { width: number; height: number }) => offlineContext(browser, f.url, viewport);

/** Checks what every page must be: accessible, phone-width, no script, and named by its h1. */
async function checkPage(page: Page, name: string) {
  expect(await axeViolations(page, { iframes: false }), `axe on ${name}`).toEqual([]);
  const facts = await page.evaluate<{ lang: string; viewport: string | null; scripts: number; h1: number; overflow: boolean }>(`({
    lang: document.documentElement.lang,
    viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? null,
    scripts: document.scripts.length,
    h1: document.querySelectorAll('h1').length,
    overflow: document.scrollingElement.scrollWidth > window.innerWidth,
  })`);
  expect(facts, name).toMatchObject({ lang: 'en', scripts: 0, h1: 1, overflow: false });
  expect(facts.viewport).toContain('width=device-width');
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('a subscriber, on a phone', () => {
  it('subscribes, confirms from the email, picks themes and unsubscribes', async () => {
    const { context, page, external } = await newContext({ width: 375, height: 740 });
    try {
      await page.goto(f.url + '/');
      await checkPage(page, '01-subscribe-phone');

      // The skip link is the first stop of the keyboard.
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');

      await page.getByLabel('Email address').fill('phone.person@example.org');
      await page.getByLabel(/^Name/).fill('Phoebe <Phone>');
      await page.getByLabel('Only the topics I tick below').check();
      await page.locator('summary', { hasText: /topics$/ }).click();
      await page.getByLabel('Video Generation', { exact: true }).check();
      await page.getByLabel('Efficient Inference', { exact: true }).check();
      // Submit from the keyboard, as a person without a mouse would.
      await page.getByRole('button', { name: 'Subscribe' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${f.url}/subscribe`);
      expect(await page.textContent('h1')).toBe('Check your inbox');
      await checkPage(page, '02-check-inbox-phone');

      const mail = await waitFor(() => f.smtp.received.find((m) => m.envelopeTo.includes('phone.person@example.org')));
      expect(mail.parsed.subject).toBe('Confirm your subscription to paperpost');
      const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9._-]+/.exec(mail.parsed.text ?? '')![0];
      expect(link.startsWith(f.url)).toBe(true);
      const pending = await f.app.store().getSubscriberByEmail('phone.person@example.org');
      expect(pending).toMatchObject({ status: 'pending', name: 'Phoebe <Phone>', themes: ['video-generation', 'efficient-inference'] });

      await page.goto(link);
      await checkPage(page, '03-confirm-phone');
      expect((await f.app.store().getSubscriberById(pending!.id))!.status).toBe('pending');
      await page.getByRole('button', { name: 'Confirm my subscription' }).click();
      await page.waitForSelector('text=will get the next issue');
      expect((await f.app.store().getSubscriberById(pending!.id))!.status).toBe('active');
      await checkPage(page, '04-confirmed-phone');

      await page.getByRole('link', { name: /Choose your topics/ }).click();
      await page.waitForURL(/\/p\//);
      expect(await page.inputValue('#name')).toBe('Phoebe <Phone>');
      expect(await page.isChecked('input[value="efficient-inference"]')).toBe(true);
      await checkPage(page, '05-preferences-phone');
      await page.getByLabel('Video Generation', { exact: true }).uncheck();
      await page.getByLabel('Reasoning & RL', { exact: true }).check();
      await page.getByLabel(/^Name/).fill('Phoebe');
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.waitForSelector('text=Your preferences are saved');
      expect(await f.app.store().getSubscriberById(pending!.id)).toMatchObject({ name: 'Phoebe', themes: ['efficient-inference', 'reasoning-rl'] });
      await checkPage(page, '06-preferences-saved-phone');

      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.waitForSelector('h1:has-text("You are unsubscribed")');
      expect((await f.app.store().getSubscriberById(pending!.id))!.status).toBe('unsubscribed');
      await checkPage(page, '07-unsubscribed-phone');

      // Coming back takes a fresh link from the email, clicked by the person.
      await page.getByRole('button', { name: 'Subscribe again' }).click();
      await page.waitForSelector('h1:has-text("Check your inbox")');
      expect((await f.app.store().getSubscriberById(pending!.id))!.status).toBe('unsubscribed');
      const again = await waitFor(() => f.smtp.received.filter((m) => m.envelopeTo.includes('phone.person@example.org'))[1]);
      const fresh = /https?:\/\/\S+\/confirm\/[A-Za-z0-9._-]+/.exec(again.parsed.text ?? '')![0];
      expect(fresh).not.toBe(link);
      await page.goto(fresh);
      await page.getByRole('button', { name: 'Confirm my subscription' }).click();
      await page.waitForSelector('text=will get the next issue');
      expect((await f.app.store().getSubscriberById(pending!.id))!.status).toBe('active');
      expect(external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('reads the archive and an issue\'s web version without loading anything from elsewhere', async () => {
    const { context, page, external } = await newContext({ width: 375, height: 740 });
    try {
      await page.goto(f.url + '/archive');
      await checkPage(page, '08-archive-phone');
      await page.getByRole('link', { name: /December 10, 2025/ }).click();
      await page.waitForURL(`${f.url}/archive/2025-12-10`);
      // The web version is a page of the site now (archive-page-browser.test.ts checks it at two widths).
      await checkPage(page, '09-web-version-phone');
      expect(external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the operator', () => {
  it('previews a draft at 600 and 375 px, as a chosen subscriber, with the email framed in a sandbox', async () => {
    const { context, page, external } = await newContext({ width: 1280, height: 900 });
    try {
      await page.goto(f.url + '/admin');
      await checkPage(page, '10-admin-issues');
      await page.getByRole('link', { name: '2025-12-11' }).click();
      await page.waitForURL(`${f.url}/admin/issues/2025-12-11`);
      await page.waitForLoadState('load');
      const frames = page.frames().filter((fr) => fr.url().includes('/frame'));
      expect(frames).toHaveLength(2);
      for (const frame of frames) {
        await frame.waitForLoadState('load');
        // The email runs in an opaque origin: it cannot reach the admin pages even if it tried.
        expect(await frame.evaluate<string>('window.origin')).toBe('null');
        expect(await frame.evaluate<number>('document.scripts.length')).toBe(0);
      }
      const widths = await page.evaluate<number[]>(`[...document.querySelectorAll('iframe')].map((f) => f.getBoundingClientRect().width)`);
      expect(widths).toEqual([600, 375]);
      const phoneFits = await frames[1]!.evaluate<boolean>('document.scrollingElement.scrollWidth <= window.innerWidth');
      expect(phoneFits).toBe(true);
      await checkPage(page, '11-admin-preview-draft');

      await page.getByLabel(/Preview as subscriber/).fill('kv.reader@example.org');
      await page.getByRole('button', { name: 'Show their copy' }).click();
      await page.waitForURL(/\?as=kv\.reader%40example\.org$/);
      await page.waitForLoadState('load');
      expect(await page.textContent('main')).toContain('Showing the copy for kv.reader@example.org');
      const frame = page.frames().find((fr) => fr.url().includes('/frame?as='));
      expect(frame, page.frames().map((fr) => fr.url()).join(' ')).toBeDefined();
      await frame!.waitForLoadState('load');
      const text = await frame!.evaluate<string>('document.body.innerText');
      expect(text).toContain('Kay Vee');
      await page.screenshot({ path: path.join(ARTIFACTS, '12-admin-preview-as-subscriber.png'), fullPage: true });

      await page.getByLabel(/^Send a test to/).fill('operator@example.org');
      await page.getByRole('button', { name: 'Send the test' }).click();
      await page.waitForSelector('text=A test copy went to operator@example.org');
      const mail = await waitFor(() => f.smtp.received.find((m) => m.envelopeTo.includes('operator@example.org')));
      expect(mail.parsed.subject).toMatch(/^\[TEST\]/);
      expect(external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
