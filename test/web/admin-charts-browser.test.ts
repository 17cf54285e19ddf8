/**
 * /admin's charts as a reader sees them, in Debian's Chromium at 375 and 600 px (issue #22):
 * drawn from numbers that crowd them (the newest issue far over the 0.3% complaint line, so its
 * bar is the tallest and sits under where a right-aligned label would go; statuses with close or
 * equal counts at the line ends), no label is covered by a bar or by another label, each stays
 * inside its chart, and each is dark enough on white (4.5:1). axe passes on /admin at both
 * widths. Screenshots of each chart and of /admin go to test-artifacts/web/ to be looked at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueStats, StatusDayDelta } from '../../src/store/store.js';
import { renderComplaintChart, renderIssueChart, renderSubscriberChart, renderTopicChart } from '../../src/web/views/render-dashboard-charts.js';
import { renderHtml as h } from '../../src/web/views/render-html.js';
import { axeViolations, launchChromium, offlineContext } from './support/chromium.js';
import { ROOT, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts/web');
const WIDTHS = [375, 600];

let browser: Browser;
let f: WebFixture;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, f] = await Promise.all([launchChromium(), startWebFixture({ sentIssue: true })]);
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

/** 30 issues, newest first; the newest far over 0.3% complaints, one older one just over. */
function crowdedIssues(): IssueStats[] {
  return Array.from({ length: 30 }, (_, k) => {
    const day = new Date(Date.UTC(2026, 2, 30 - k)).toISOString().slice(0, 10);
    const sent = 100_000 - k * 500;
    const complaints = k === 0 ? 900 : k === 12 ? 320 : k % 5;
    return { issueId: day, sentAt: `${day}T06:00:00Z`, queued: 0, sent, deferred: k === 0 ? 9_000 : 40, failed: k === 0 ? 2_000 : 12, hard: 10, soft: 3, complaints, unsubscribes: 7 };
  });
}

/** A year of growth: many active readers, and the four other statuses with close or equal counts. */
function crowdedDays(): StatusDayDelta[] {
  const days: StatusDayDelta[] = [];
  for (let k = 0; k < 365; k += 7) {
    const day = new Date(Date.UTC(2025, 2, 1) + k * 86_400_000).toISOString().slice(0, 10);
    days.push({ day, status: 'active', delta: 1_900 }, { day, status: 'pending', delta: 8 }, { day, status: 'unsubscribed', delta: 9 }, { day, status: 'bounced', delta: 8 }, { day, status: 'complained', delta: 1 });
  }
  return days;
}

const CHART_PAGE = (width: number) =>
  String(h`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:0 1rem;max-width:${width}px}.chart{margin:0 0 1.5rem}.chart svg{display:block;height:auto}.chart figcaption{font-size:.9rem;color:#57606a}</style></head>
<body><main>
${renderSubscriberChart(crowdedDays())}
${renderTopicChart([{ topic: '*', followers: 41_000 }, { topic: 'llm-agents', followers: 30_500 }, { topic: 'a-very-long-topic-id', followers: 12 }], new Map([['llm-agents', 'LLM Agents'], ['a-very-long-topic-id', 'Retrieval-Augmented Generation and Long Context']]))}
${renderIssueChart(crowdedIssues())}
${renderComplaintChart(crowdedIssues())}
</main></body></html>`);

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface ChartFacts {
  id: string;
  svg: Rect;
  texts: { text: string; box: Rect; fill: string }[];
  bars: Rect[];
}

/** Every chart's text boxes, bar boxes and own box, in page pixels. */
const CHART_FACTS = `[...document.querySelectorAll('figure.chart svg')].map((svg) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
  return {
    id: svg.getAttribute('aria-labelledby').split(' ')[0].replace(/-title$/, ''),
    svg: box(svg),
    texts: [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: box(t), fill: getComputedStyle(t).fill })),
    bars: [...svg.querySelectorAll('rect')].filter((r) => !r.closest('pattern')).map(box).filter((b) => b.w > 0 && b.h > 0),
  };
})`;

/** Overlap of two boxes in px² after shrinking each by 1 px (text boxes include some air). */
const overlap = (a: Rect, b: Rect) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) - 2) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) - 2);

/** WCAG contrast of an rgb() colour against white. */
function contrastOnWhite(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe('/admin charts in Chromium', () => {
  for (const width of WIDTHS) {
    it(`at ${width} px no label is covered by a bar or another label, and each is inside its chart and readable`, async () => {
      const { context, page } = await offlineContext(browser, f.url, { width, height: 900 });
      try {
        await page.setContent(CHART_PAGE(width));
        for (const id of ['chart-subscribers', 'chart-complaints', 'chart-issues', 'chart-topics']) {
          await page.locator(`figure.chart:has(svg[aria-labelledby^="${id}-"])`).screenshot({ path: path.join(ARTIFACTS, `${width}-${id}.png`) });
        }
        const charts = await page.evaluate<ChartFacts[]>(CHART_FACTS);
        expect(charts.map((c) => c.id)).toEqual(['chart-subscribers', 'chart-topics', 'chart-issues', 'chart-complaints']);
        expect(charts.find((c) => c.id === 'chart-complaints')!.texts.map((t) => t.text)).toContain('0.3% limit');
        const problems: string[] = [];
        for (const chart of charts) {
          const { svg } = chart;
          for (const [i, t] of chart.texts.entries()) {
            const where = `${chart.id} "${t.text}"`;
            const b = t.box;
            if (b.x < svg.x - 0.5 || b.x + b.w > svg.x + svg.w + 0.5 || b.y < svg.y - 0.5 || b.y + b.h > svg.y + svg.h + 0.5) problems.push(`${where} is cut off`);
            if (contrastOnWhite(t.fill) < 4.5) problems.push(`${where} is too light (${t.fill})`);
            for (const other of chart.texts.slice(i + 1)) if (overlap(b, other.box) > 0) problems.push(`${where} overlaps "${other.text}"`);
            // The topic chart writes its counts beside its bars; the others keep text off the bars.
            if (chart.id !== 'chart-topics' && chart.bars.some((bar) => overlap(b, bar) > 0)) problems.push(`${where} is over a bar`);
          }
        }
        expect(problems, `at ${width} px`).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('/admin passes axe at 375 and 600 px', async () => {
    // Something to draw: subscribers of four statuses, two sent issues, one complaint.
    const store = f.app.store();
    const ids: number[] = [];
    for (let i = 0; i < 24; i++) ids.push((await store.upsertSubscriber({ email: `c${i}@example.org`, status: i < 20 ? 'active' : 'pending', themes: i % 2 ? null : ['llm-agents'] })).subscriber.id);
    await store.setSubscriberStatus(ids[1]!, 'unsubscribed');
    await store.setSubscriberStatus(ids[2]!, 'bounced');
    for (const day of ['2025-12-08', '2025-12-09']) {
      await store.freezeIssue(day, JSON.stringify({ subject: `Issue ${day}`, sections: [], paperCount: 0 }));
      await store.beginDeliveries(day, ids.slice(0, 18).map((id) => ({ subscriberId: id, messageId: `<${day}.${id}@x>` })));
      await store.finishDeliveries(day, ids.slice(0, 17).map((id) => ({ subscriberId: id, status: 'sent' as const, response: '250' })));
    }
    await store.recordMailEvent({ eventKey: 'c-charts', source: 'smtp', type: 'complaint', severity: null, issueId: '2025-12-09', subscriberId: ids[3]!, recipient: null, status: null, diagnostic: null, occurredAt: null, outcome: 'complained' });
    for (const width of WIDTHS) {
      const { context, page } = await offlineContext(browser, f.url, { width, height: 900 });
      try {
        await page.goto(`${f.url}/admin`);
        expect(await axeViolations(page, { iframes: false }), `at ${width} px`).toEqual([]);
        await page.locator('div.charts').screenshot({ path: path.join(ARTIFACTS, `${width}-admin-charts.png`) });
      } finally {
        await context.close();
      }
    }
  });
});
