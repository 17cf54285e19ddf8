/**
 * /admin's charts (issue #22, item 5): four SVG charts, readable without JavaScript (title,
 * desc, text labels), whose numbers are the store's own counts; the complaint chart draws the
 * 0.3% line and marks an issue over it; the last doctor result shows above them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { saveDoctorResult } from '../../src/deliver/doctor/doctor-record.js';
import { startWebServer } from '../../src/web/start-web-server.js';
import { scratch } from '../schedule/helpers.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

describe('/admin charts', () => {
  it('draws subscribers, mail per issue, complaints against 0.3% and followers per topic, with the store counts', async () => {
    const s = scratch();
    const app = s.app();
    apps.push(app);
    const store = app.store();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const themes = i % 4 === 0 ? null : i % 4 === 1 ? ['kv-cache', 'robots'] : ['kv-cache'];
      ids.push((await store.upsertSubscriber({ email: `r${i}@example.org`, status: i < 34 ? 'active' : 'pending', themes })).subscriber.id);
    }
    const frozen = (subject: string) => JSON.stringify({ id: '', subject, sections: [], paperCount: 0, themes: [] });
    for (const [k, day] of ['2026-03-01', '2026-03-02', '2026-03-03'].entries()) {
      await store.freezeIssue(day, frozen(`Issue ${day}`));
      await store.beginDeliveries(day, ids.slice(0, 30).map((id) => ({ subscriberId: id, messageId: `<${day}-${id}@x>` })));
      await store.finishDeliveries(day, ids.slice(0, 28 - k).map((id) => ({ subscriberId: id, status: 'sent' as const, response: '250' })));
      await store.finishDelivery(day, ids[29]!, 'deferred', '421');
      await store.finishDelivery(day, ids[28]!, 'failed', '550');
    }
    // One complaint on 2026-03-02: 1 of 27 sent, far over 0.3%.
    await store.recordMailEvent({ eventKey: 'c1', source: 'webhook:ses', type: 'complaint', severity: null, issueId: '2026-03-02', subscriberId: ids[3]!, recipient: null, status: null, diagnostic: null, occurredAt: null, outcome: 'complained' });
    await store.recordMailEvent({ eventKey: 'h1', source: 'smtp', type: 'bounce', severity: 'hard', issueId: '2026-03-01', subscriberId: ids[28]!, recipient: null, status: '5.1.1', diagnostic: null, occurredAt: null, outcome: 'bounced' });
    await store.setSubscriberStatus(ids[3]!, 'complained');
    await store.setSubscriberStatus(ids[28]!, 'bounced');
    await store.setSubscriberStatus(ids[5]!, 'unsubscribed');
    await saveDoctorResult(store, { at: '2026-03-03T06:00:00.000Z', by: 'schedule', results: [{ name: 'DMARC', status: 'failure', message: 'no DMARC record', publish: '_dmarc.example.org TXT "v=DMARC1; p=none"' }] });

    const server = await startWebServer(app, { port: 0, host: '127.0.0.1' });
    let html: string;
    const started = performance.now();
    try {
      html = await (await fetch(`${server.url}/admin`)).text();
    } finally {
      await server.close();
    }
    expect(performance.now() - started).toBeLessThan(5_000);

    // Four charts, each an image with a title and a description.
    const svgs = [...html.matchAll(/<svg role="img" aria-labelledby="([\w-]+)-title [\w-]+-desc"[\s\S]*?<\/svg>/g)];
    expect(svgs.map((m) => m[1])).toEqual(['chart-subscribers', 'chart-topics', 'chart-issues', 'chart-complaints']);
    const desc = (id: string) => unescape(new RegExp(`<desc id="${id}-desc">([^<]*)</desc>`).exec(html)![1]!);

    // Subscribers: the line ends say what countSubscribers says.
    const count = async (status: 'active' | 'pending' | 'unsubscribed' | 'bounced' | 'complained') => fmt(await store.countSubscribers({ status }));
    expect(desc('chart-subscribers')).toContain(`now ${await count('active')} active, ${await count('pending')} pending, ${await count('unsubscribed')} left, ${await count('bounced')} bounced, ${await count('complained')} complained.`);
    expect(await count('active')).toBe('31');

    // Per issue: every bar's title is countDeliveries and mailEventCounts of its issue; a 5xx
    // during the send (failed) is a hard bounce as much as a DSN is.
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) {
      const d = await store.countDeliveries(day);
      const e = await store.mailEventCounts(day);
      const title = unescape(new RegExp(`<g class="issue-bar" data-issue="${day}"><title>([^<]*)</title>`).exec(html)![1]!);
      expect(title).toMatch(new RegExp(`^${day}: ${d.sent} sent, ${d.deferred} deferred, ${d.failed} failed, ${e.hard + d.failed} hard bounces?, ${e.soft} soft bounces?, ${e.complaints} complaints? \\(`));
    }
    expect(html).toContain('2026-03-03: 26 sent, 1 deferred, 1 failed, 1 hard bounce, 0 soft bounces, 0 complaints (0.00%), 1 unsubscribe');

    // Complaints: the 0.3% line, labelled, and 2026-03-02 marked over it in text, not colour alone.
    expect(html).toContain('0.3% limit</text>');
    expect(desc('chart-complaints')).toBe('Over the 0.3% line: 2026-03-02 (marked !).');
    expect(html).toMatch(/<g class="complaint-bar" data-issue="2026-03-02"><title>2026-03-02: 1 complaint of 27 sent \(3\.70%\)<\/title>[\s\S]*?font-weight="700">!<\/text><\/g>/);

    // Followers per topic: active subscribers who get it, counted here from the subscriber list.
    const followers = new Map<string, number>();
    for await (const sub of store.listSubscribers({ status: 'active' })) for (const t of sub.themes ?? ['*']) followers.set(t, (followers.get(t) ?? 0) + 1);
    for (const [topic, n] of followers) {
      expect(html).toMatch(new RegExp(`<g class="topic-bar" data-topic="${topic.replace('*', '\\*')}"><title>[^<]*: ${n} followers?</title>`));
    }
    expect(followers.size).toBe(3);

    // The last doctor result, with the record to publish.
    expect(html).toContain('by schedule): 1 failed, 0 warnings');
    expect(unescape(html)).toContain('publish: <code>_dmarc.example.org TXT "v=DMARC1; p=none"</code>');
  });
});
