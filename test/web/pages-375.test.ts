/**
 * Pages at 375 px (issue #22, "Also found"), in Debian's Chromium: /admin stacks its issue
 * table (no column hidden in an unmarked sideways scroll, the caption not clipped) and its
 * charts fit; the subscribe page's "N papers this week" hints sit beside their checkbox's
 * label, not under the checkbox. axe-core passes; screenshots go to test-artifacts/web/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { axeViolations, launchChromium, offlineContext } from './support/chromium.js';
import { ROOT, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');
const PHONE = { width: 375, height: 740 };

let browser: Browser;
let f: WebFixture;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, f] = await Promise.all([launchChromium(), startWebFixture({ sentIssue: true, draft: true })]);
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

interface Box {
  left: number;
  right: number;
}

describe('at 375 px', () => {
  it('/admin stacks the issue table, keeps its caption whole and fits its charts', async () => {
    // Something to draw: subscribers of every status and two sent issues.
    const store = f.app.store();
    const ids: number[] = [];
    for (let i = 0; i < 24; i++) ids.push((await store.upsertSubscriber({ email: `p${i}@example.org`, status: i < 20 ? 'active' : 'pending', themes: i % 2 ? null : ['llm-agents'] })).subscriber.id);
    await store.setSubscriberStatus(ids[1]!, 'unsubscribed');
    await store.setSubscriberStatus(ids[2]!, 'bounced');
    for (const day of ['2025-12-08', '2025-12-09']) {
      await store.freezeIssue(day, JSON.stringify({ subject: `Issue ${day}`, sections: [], paperCount: 0 }));
      await store.beginDeliveries(day, ids.slice(0, 18).map((id) => ({ subscriberId: id, messageId: `<${day}.${id}@x>` })));
      await store.finishDeliveries(day, ids.slice(0, 17).map((id) => ({ subscriberId: id, status: 'sent' as const, response: '250' })));
    }
    await store.recordMailEvent({ eventKey: 'c375', source: 'smtp', type: 'complaint', severity: null, issueId: '2025-12-09', subscriberId: ids[3]!, recipient: null, status: null, diagnostic: null, occurredAt: null, outcome: 'complained' });
    const { context, page } = await offlineContext(browser, f.url, PHONE);
    try {
      await page.goto(`${f.url}/admin`);
      expect(await axeViolations(page, { iframes: false })).toEqual([]);
      const facts = await page.evaluate<{ overflow: boolean; captionClipped: boolean; cells: Box[]; scrollers: number; charts: Box[] }>(`(() => {
        const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; };
        const caption = document.querySelector('table.stack caption');
        const scrollers = [...document.querySelectorAll('main *')].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible' && !e.closest('pre'));
        return {
          overflow: document.scrollingElement.scrollWidth > window.innerWidth,
          captionClipped: caption.scrollWidth > caption.clientWidth + 1 || box(caption).right > window.innerWidth,
          cells: [...document.querySelectorAll('table.stack tbody td')].map(box),
          scrollers: scrollers.length,
          charts: [...document.querySelectorAll('figure.chart svg')].map(box),
        };
      })()`);
      expect(facts.overflow).toBe(false);
      expect(facts.captionClipped).toBe(false);
      expect(facts.scrollers).toBe(0);
      expect(facts.cells.length).toBeGreaterThanOrEqual(14);
      for (const c of facts.cells) expect(c.right).toBeLessThanOrEqual(PHONE.width);
      expect(facts.charts).toHaveLength(4);
      for (const c of facts.charts) expect(c.right).toBeLessThanOrEqual(PHONE.width);
      // Each stacked cell says which column it is.
      const label = await page.evaluate<string>(`getComputedStyle(document.querySelector('table.stack tbody td:nth-child(5)'), '::before').content`);
      expect(label).toBe('"Papers: "');
      await page.screenshot({ path: path.join(ARTIFACTS, '375-admin.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('puts "N papers this week" beside the label, not under the checkbox', async () => {
    const { context, page } = await offlineContext(browser, f.url, PHONE);
    try {
      // Papers of the last issues in three topics of the map, so each offers a count.
      const store = f.app.store();
      const topics = loadTopicMap(f.app.config.topicsFile!).topics.slice(0, 3);
      await store.freezeIssue('2025-12-12', JSON.stringify({ subject: 'Counts' }));
      await store.recordIssuePapers(topics.flatMap((t, k) => Array.from({ length: k + 1 }, (_, n) => ({ issueId: '2025-12-12', paperId: `${t.id}.${n}`, title: `A paper on ${t.label}`, url: null, upvotes: 1, themeLabel: t.label, themeId: t.id }))));
      await page.goto(`${f.url}/`);
      await page.locator('details summary').first().click();
      const hints = await page.evaluate<{ text: string; left: number; checkboxRight: number; labelLeft: number }[]>(`[...document.querySelectorAll('.themes li')].filter((li) => li.querySelector('.hint')).map((li) => ({
        text: li.querySelector('.hint').textContent,
        left: li.querySelector('.hint').getBoundingClientRect().left,
        checkboxRight: li.querySelector('input').getBoundingClientRect().right,
        labelLeft: li.querySelector('label span').getBoundingClientRect().left,
      }))`);
      expect(hints.map((h) => h.text).slice(0, 3).sort()).toEqual(['1 paper this week', '2 papers this week', '3 papers this week']);
      for (const h of hints) {
        expect(h.text).toMatch(/^\d+ papers? this week$/);
        expect(h.left).toBeGreaterThanOrEqual(h.checkboxRight);
        expect(Math.abs(h.left - h.labelLeft)).toBeLessThanOrEqual(2);
      }
      expect(await axeViolations(page, { iframes: false })).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, '375-subscribe-topics.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
