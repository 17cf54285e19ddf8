/**
 * The email must read in a dark mail app as well as a light one (issue #22, item 3): mail apps
 * that honour `prefers-color-scheme` apply the template's dark styles, and a colour pair that
 * passes in light mode can fail in dark mode (or the reverse). So the 39-paper sample is
 * rendered in Debian's Chromium with the colour scheme emulated both ways, at a phone's width
 * (375 px) and the email's full width (600 px), and axe-core must report no violation at all,
 * colour contrast included. Screenshots go to test-artifacts/email/ for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { ROOT } from '../helpers/run-cli.js';
import { axeViolations, launchChromium } from '../web/support/chromium.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/email');

interface PageDocument {
  body: unknown;
}
interface PageWindow {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

interface ContrastResult {
  passed: number;
  undecided: string[];
}

/** WCAG's relative luminance of a computed `rgb(r, g, b)`: 0 is black, 1 is white. */
function luminance(rgb: string): number {
  const channels = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
  if (channels.length !== 3) throw new Error(`not an rgb() colour: ${rgb}`);
  const [r, g, b] = channels.map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

let browser: Browser;
let html: string;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const compiled = await compileIssue(loadThemedFixture('themed-2025-12-11.json'), {
    templatesDir: TEMPLATES_DIR,
    publicUrl: 'https://paperpost.example.org',
    // A "Still trending" list and theme statuses, so every kind of block is on the page.
    stillTrending: [{ title: 'Attention Is All You Need', url: 'https://arxiv.org/abs/1706.03762', upvotesThen: 12, upvotesNow: 30 }],
    themeStatus: { 'kv-cache-compression': 'new today' },
  });
  html = personalizeIssue(compiled, makeRecipient())!.html;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the sample email in light and dark mode (Chromium + axe)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [375, 600]) {
      it(`has no axe violations, colour contrast included, in ${colorScheme} mode at ${width} px`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        try {
          const page = await context.newPage();
          // The email loads nothing remote; anything it tried would be aborted here.
          await page.route('**/*', (route) => route.abort());
          await page.setContent(html, { waitUntil: 'load' });
          await page.screenshot({ path: path.join(ARTIFACTS, `sample-${colorScheme}-${width}.png`), fullPage: true });
          // The dark styles really apply (or really do not): the page behind the cards is dark, or light.
          const background = await page.evaluate(() => {
            const g = globalThis as unknown as { document: PageDocument } & PageWindow;
            return g.getComputedStyle(g.document.body).backgroundColor;
          });
          if (colorScheme === 'dark') expect(luminance(background)).toBeLessThan(0.05);
          else expect(luminance(background)).toBeGreaterThan(0.8);
          // An email is one article inside the mail app's page, which owns the landmarks
          // (MJML wraps it in role="article"); a `main` of its own would be wrong there.
          const violations = (await axeViolations(page)).filter((v) => !/^(landmark-one-main|region) /.test(v));
          expect(violations).toEqual([]);
          // Colour contrast was judged on the text itself, none of it left undecided.
          const contrast = await page.evaluate<ContrastResult>(`axe.run(document, { runOnly: ['color-contrast'] }).then((r) => ({
            passed: r.passes.reduce((n, rule) => n + rule.nodes.length, 0),
            undecided: r.incomplete.flatMap((rule) => rule.nodes.map((node) => node.target.join(' ') + ': ' + node.failureSummary)),
          }))`);
          expect(contrast.undecided).toEqual([]);
          expect(contrast.passed).toBeGreaterThan(100);
        } finally {
          await context.close();
        }
      });
    }
  }
});
