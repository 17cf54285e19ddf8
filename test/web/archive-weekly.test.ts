/**
 * Weekly issues and cadence on the web, over real HTTP (issue #21): a weekly issue really sent
 * (built from the fixture's daily issue, frozen, ledger filled, to a real SMTP server) has its
 * own archive page with every paper, its own Atom feed linked from /archive, and the subscribe
 * and preferences forms take a cadence, validated.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWeeklyIssue } from '../../src/issue/send-weekly-issue.js';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import { signToken } from '../../src/subscribers/sign-token.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { SECRET_KEY, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

let f: WebFixture;
let weekly: CompiledIssue;

beforeAll(async () => {
  f = await startWebFixture({ sentIssue: true, subscribers: [{ email: 'daily@example.org' }] });
  await f.app.store().upsertSubscriber({ email: 'weekly@example.org', cadence: 'weekly:mon', status: 'active' });
  // The fixture's issue is of Wednesday 2025-12-10, in 2025-W50; its weekly issue goes out on Monday 2025-12-15.
  const r = await sendWeeklyIssue(f.app, { today: '2025-12-15' });
  expect(r).toMatchObject({ issueId: '2025-W50', mode: 'send', summary: { sent: 1 } });
  weekly = JSON.parse((await f.app.store().getIssue('2025-W50'))!.frozen) as CompiledIssue;
});
afterAll(async () => {
  await f?.close();
});

const get = (path: string) => fetch(f.url + path, { redirect: 'manual' });

describe('the weekly archive', () => {
  it('lists weekly issues apart from daily ones on /archive, with their feed', async () => {
    const html = await (await get('/archive')).text();
    expect(html).toContain('href="/archive/2025-12-10"');
    expect(html).toContain('href="/archive/week/2025-W50"');
    expect(html).toContain('Week of Dec 8, 2025');
    expect(html).toContain('href="/feed/weekly.xml"');
    expect(html).not.toContain('href="/archive/2025-W50"');
  });

  it('serves each weekly issue as a page with every paper', async () => {
    const res = await get('/archive/week/2025-W50');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Week of Dec 8, 2025');
    const ids = weekly.themes.flatMap((t) => t.papers.map((p) => p.id));
    expect(ids.length).toBe(weekly.paperCount);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(html).toContain(`id="paper-${id}"`);
    expect(html).not.toContain('weekly@example.org');
    // It advertises the weekly feed (/feed.xml has no weekly issues), and says it is weekly.
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="paperpost: weekly issues" href="/feed/weekly.xml">');
    expect(html).toContain('<a href="/feed/weekly.xml">');
    expect(html).toContain('one email a week');
    expect(html).not.toContain('each morning');
    const daily = await (await get('/archive/2025-12-10')).text();
    expect(daily).not.toContain('/feed/weekly.xml');
    expect(daily).toContain('each morning');
    for (const path of ['/archive/week/2025-W51', '/archive/week/2025-W99', '/archive/week/2025-12-10', '/archive/week/..%2f']) expect((await get(path)).status, path).toBe(404);
  });

  it('has an Atom feed of weekly issues, and the daily feed stays daily', async () => {
    const res = await get('/feed/weekly.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(xml).feed;
    const entries = Array.isArray(feed.entry) ? feed.entry : [feed.entry];
    expect(entries.map((e: { id: string }) => e.id)).toEqual([`${f.url}/archive/week/2025-W50`]);
    const title = entries[0].title;
    expect(String(typeof title === 'object' ? title['#text'] : title)).toMatch(/week of Dec 8/);
    const daily = await (await get('/feed.xml')).text();
    expect(daily).toContain('/archive/2025-12-10');
    expect(daily).not.toContain('2025-W50');
  });
});

describe('cadence on the forms', () => {
  it('subscribes weekly on a chosen day, and refuses a weekly choice without a real day', async () => {
    const client = createHttpClient(f.url);
    const form = await (await client.get('/')).text();
    expect(form).toContain('name="cadence" value="weekly"');
    expect(form).toContain('<select id="weekday" name="weekday">');
    const csrf = csrfIn(form, '/subscribe');
    const bad = await client.post('/subscribe', { csrf, email: 'w1@example.org', scope: 'all', cadence: 'weekly', weekday: 'someday' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml.match(/class="problem"/g)).toHaveLength(1);
    expect(badHtml).toContain('Choose the day of the week your weekly email should come.');
    expect(await f.app.store().getSubscriberByEmail('w1@example.org')).toBeNull();
    const ok = await client.post('/subscribe', { csrf, email: 'w1@example.org', scope: 'all', cadence: 'weekly', weekday: 'fri' });
    expect(ok.status).toBe(200);
    expect(await f.app.store().getSubscriberByEmail('w1@example.org')).toMatchObject({ status: 'pending', cadence: 'weekly:fri' });
  });

  it('accepts the spellings the CLI accepts: WEEKLY, weekly:fri, a full day name, and weekly without a day is Monday', async () => {
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get('/')).text(), '/subscribe');
    const cases: [Record<string, string>, string][] = [
      [{ cadence: 'WEEKLY' }, 'weekly:mon'],
      [{ cadence: 'weekly', weekday: '' }, 'weekly:mon'],
      [{ cadence: 'Weekly:Friday' }, 'weekly:fri'],
      [{ cadence: 'weekly', weekday: 'Sunday' }, 'weekly:sun'],
      [{ cadence: 'DAILY' }, 'daily'],
    ];
    for (const [i, [fields, cadence]] of cases.entries()) {
      const email = `spell${i}@example.org`;
      const res = await client.post('/subscribe', { csrf, email, scope: 'all', ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(200);
      expect((await f.app.store().getSubscriberByEmail(email))!.cadence ?? 'daily', JSON.stringify(fields)).toBe(cadence);
    }
  });

  it('changes the cadence on the preferences page, and refuses anything but daily or weekly', async () => {
    const s = (await f.app.store().getSubscriberByEmail('daily@example.org'))!;
    const token = signToken(SECRET_KEY, 'preferences', s.id);
    const client = createHttpClient(f.url);
    const page = await (await client.get(`/p/${token}`)).text();
    expect(page).toMatch(/name="cadence" value="daily" checked/);
    const csrf = csrfIn(page, `/p/${token}`);
    const bad = await client.post(`/p/${token}`, { csrf, name: 'D', scope: 'all', cadence: 'hourly' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose daily or weekly.');
    expect((await f.app.store().getSubscriberById(s.id))!.cadence ?? 'daily').toBe('daily');
    const saved = await client.post(`/p/${token}`, { csrf, name: 'D', scope: 'all', cadence: 'weekly', weekday: 'sat' });
    expect(saved.status).toBe(303);
    expect(await f.app.store().getSubscriberById(s.id)).toMatchObject({ name: 'D', cadence: 'weekly:sat' });
    const again = await (await client.get(`/p/${token}`)).text();
    expect(again).toMatch(/name="cadence" value="weekly" checked/);
    expect(again).toMatch(/<option value="sat" selected>Saturday<\/option>/);
    await client.post(`/p/${token}`, { csrf, name: 'D', scope: 'all', cadence: 'daily', weekday: 'sat' });
    expect((await f.app.store().getSubscriberById(s.id))!.cadence ?? 'daily').toBe('daily');
  });
});
