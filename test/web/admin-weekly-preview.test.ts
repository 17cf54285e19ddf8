/**
 * /admin previews weekly issues (issue #21's gap): the page links the weekly issue of the
 * newest stored day's week and the week before; /admin/issues/<YYYY-Www> shows the weekly
 * issue a send would build now from that week's daily issues (its frame the email), a week
 * without daily issues is a 404 (and /admin does not link it), and once the weekly issue is sent the page shows the frozen
 * one and the link loses its "not sent yet".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWeeklyIssue } from '../../src/issue/send-weekly-issue.js';
import { startWebFixture, type WebFixture } from './support/start-web-fixture.js';

let f: WebFixture;

beforeAll(async () => {
  // The fixture's sent issue is of Wednesday 2025-12-10, in 2025-W50.
  f = await startWebFixture({ sentIssue: true, subscribers: [{ email: 'daily@example.org' }] });
  await f.app.store().upsertSubscriber({ email: 'weekly@example.org', cadence: 'weekly:mon', status: 'active' });
});
afterAll(async () => {
  await f?.close();
});

const get = async (path: string) => {
  const res = await fetch(f.url + path, { redirect: 'manual' });
  return { status: res.status, html: await res.text() };
};

describe('/admin and weekly issues', () => {
  it('links the week of the newest issue and the week before, and previews the weekly issue before and after its send', async () => {
    const admin = await get('/admin');
    expect(admin.status).toBe(200);
    // The week before has no daily issue: named, not linked to a page that would be a 404.
    expect(admin.html).toMatch(/Weekly issue: <a href="\/admin\/issues\/2025-W50">2025-W50<\/a> <span class="muted">\(not sent yet\)<\/span> · 2025-W49 <span class="muted">\(no daily issue that week\)<\/span>/);
    expect(admin.html).not.toContain('href="/admin/issues/2025-W49"');

    const draft = await get('/admin/issues/2025-W50');
    expect(draft.status).toBe(200);
    expect(draft.html).toMatch(/week of Dec 8/i);
    const frame = await get('/admin/issues/2025-W50/frame');
    expect(frame.status).toBe(200);
    expect(frame.html).toContain('Week of Dec 8, 2025');
    expect(frame.html).toContain('/archive/week/2025-W50');

    expect((await get('/admin/issues/2025-W49')).status).toBe(404);
    expect((await get('/admin/issues/2025-W99')).status).toBe(404);

    const sent = await sendWeeklyIssue(f.app, { today: '2025-12-15' });
    expect(sent).toMatchObject({ issueId: '2025-W50', mode: 'send' });
    const frozen = await get('/admin/issues/2025-W50');
    expect(frozen.status).toBe(200);
    expect(frozen.html).toMatch(/week of Dec 8/i);
    expect((await get('/admin')).html).toMatch(/Weekly issue: <a href="\/admin\/issues\/2025-W50">2025-W50<\/a> · /);
  });
});
