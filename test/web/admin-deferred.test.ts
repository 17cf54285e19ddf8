/**
 * The admin list says how an issue stands (issue #11, item 11): an issue whose last run left
 * every message deferred, with nothing in flight, is "deferred", not a green "sending".
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startWebServer } from '../../src/web/start-web-server.js';
import { scratch } from '../schedule/helpers.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('/admin issue list', () => {
  it('shows an issue with 0 sent and 13 deferred as deferred, and one in flight as sending', async () => {
    const s = scratch();
    const app = s.app();
    apps.push(app);
    const store = app.store();
    const frozen = (subject: string) => JSON.stringify({ id: '', subject, sections: [], paperCount: 0, themes: [] });
    await store.freezeIssue('2026-03-02', frozen('Stalled issue'));
    await store.freezeIssue('2026-03-03', frozen('Running issue'));
    for (let i = 0; i < 13; i++) {
      const { subscriber } = await store.upsertSubscriber({ email: `r${i}@example.org` });
      await store.beginDelivery('2026-03-02', subscriber.id, `<m${i}@x>`);
      await store.finishDelivery('2026-03-02', subscriber.id, 'deferred', '421 try later');
      if (i < 2) await store.beginDelivery('2026-03-03', subscriber.id, `<n${i}@x>`);
    }
    const server = await startWebServer(app, { port: 0, host: '127.0.0.1' });
    try {
      const html = await (await fetch(`${server.url}/admin`)).text();
      const row = (id: string) => new RegExp(`<tr><td><a href="/admin/issues/${id}">[\\s\\S]*?</tr>`).exec(html)![0];
      expect(row('2026-03-02')).toContain('<span class="tag deferred">deferred</span>');
      expect(row('2026-03-02')).toContain('0 sent · 13 deferred');
      expect(row('2026-03-03')).toContain('<span class="tag sent">sending</span>');
    } finally {
      await server.close();
    }
  });
});
