import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import type { ThemedDigest } from '../../src/types.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';
import { makeHostileDigest } from './support/make-hostile-digest.js';
import { launchChromium } from '../web/support/chromium.js';

interface PageDocument {
  scrollingElement: { scrollWidth: number };
  querySelectorAll(selector: string): Iterable<{ getBoundingClientRect(): { right: number } }>;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function layoutAt(themed: ThemedDigest, width: number) {
  const compiled = await compileIssue(themed, { templatesDir: TEMPLATES_DIR, publicUrl: 'https://paperpost.example.org' });
  const { html } = personalizeIssue(compiled, makeRecipient())!;
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  try {
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    await page.setContent(html, { waitUntil: 'load' });
    const metrics = await page.evaluate(() => {
      // Runs in the page; the project compiles without DOM types, hence the narrow shape.
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const widest = [...doc.querySelectorAll('h2, h3, p, li, a')].reduce((max, el) => Math.max(max, el.getBoundingClientRect().right), 0);
      return { scrollWidth: doc.scrollingElement.scrollWidth, widest };
    });
    return { ...metrics, requests };
  } finally {
    await page.close();
  }
}

describe('email layout in Chromium', () => {
  it('has no horizontal overflow at 375 px for the 39-paper sample, and loads nothing remote', async () => {
    const { scrollWidth, widest, requests } = await layoutAt(loadThemedFixture('themed-2025-12-11.json'), 375);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    expect(widest).toBeLessThanOrEqual(375);
    expect(requests).toEqual([]);
  });

  it('has no horizontal overflow at 375 px with 5,000-character unbroken titles', async () => {
    const { scrollWidth, widest } = await layoutAt(makeHostileDigest(), 375);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    expect(widest).toBeLessThanOrEqual(375);
  });
});
