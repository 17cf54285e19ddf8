/**
 * Pages that hold a rush (issue #23, item 7): the page cache renders a page once however
 * many ask (also at the same time), stays bounded, and makes list pages again after their
 * age; over HTTP the archive page, the feeds and the subscribe form carry a strong ETag and
 * answer 304 on a match, and the subscribe form's token stays each visitor's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageCache } from '../../src/web/cache/create-page-cache.js';
import { startWebFixture, type WebFixture } from './support/start-web-fixture.js';

describe('page cache', () => {
  it('renders a kept page once, even for readers who ask at the same time', async () => {
    const cache = createPageCache();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const render = async () => {
      await gate;
      return { body: '<p>issue</p>', type: 'text/html' };
    };
    const first = Promise.all(Array.from({ length: 20 }, () => cache.get('archive/2025-12-10', render)));
    release();
    const pages = await first;
    expect(new Set(pages.map((p) => p!.etag)).size).toBe(1);
    await cache.get('archive/2025-12-10', render);
    expect(cache.renders).toBe(1);
    expect(pages[0]!.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
  });

  it('is bounded: the least recently used page goes first', async () => {
    const cache = createPageCache({ maxEntries: 2 });
    const render = (body: string) => async () => ({ body, type: 'text/html' });
    await cache.get('a', render('a'));
    await cache.get('b', render('b'));
    await cache.get('a', render('a')); // a is now the most recently used
    await cache.get('c', render('c')); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.renders).toBe(3);
    await cache.get('a', render('a'));
    expect(cache.renders).toBe(3);
    await cache.get('b', render('b'));
    expect(cache.renders).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('makes a page again after its age, and never keeps a page the render refused', async () => {
    let t = 0;
    const cache = createPageCache({ clock: () => t });
    let n = 0;
    const render = async () => ({ body: `feed ${++n}`, type: 'application/atom+xml' });
    expect((await cache.get('feed', render, { maxAgeMs: 1000 }))!.body).toBe('feed 1');
    t = 999;
    expect((await cache.get('feed', render, { maxAgeMs: 1000 }))!.body).toBe('feed 1');
    t = 1000;
    expect((await cache.get('feed', render, { maxAgeMs: 1000 }))!.body).toBe('feed 2');
    expect(await cache.get('missing', async () => null)).toBeNull();
    expect(await cache.get('missing', async () => null)).toBeNull();
    expect(cache.renders).toBe(4);
    expect(cache.size).toBe(1);
  });
});

describe('cached pages over HTTP', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture({ sentIssue: true, subscribers: [{ email: 'one@example.org' }] });
  });
  afterAll(async () => {
    await f?.close();
  });

  for (const path of ['/archive/2025-12-10', '/archive', '/feed.xml']) {
    it(`${path}: strong ETag, public cache headers, 304 on If-None-Match`, async () => {
      const res = await fetch(f.url + path);
      expect(res.status).toBe(200);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const body = await res.text();
      const again = await fetch(f.url + path);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe(body);
      const revalidated = await fetch(f.url + path, { headers: { 'If-None-Match': `"other", ${etag}` } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
      expect(revalidated.headers.get('etag')).toBe(etag);
      const stale = await fetch(f.url + path, { headers: { 'If-None-Match': '"other"' } });
      expect(stale.status).toBe(200);
    });
  }

  it('an unknown date is still a 404, not a cached page', async () => {
    expect((await fetch(f.url + '/archive/2031-01-01')).status).toBe(404);
    expect((await fetch(f.url + '/archive/2031-01-01')).status).toBe(404);
  });

  it('/subscribe: the shell is shared, the token and the ETag are each visitor\'s own, and the page is private', async () => {
    const visit = async (cookie?: string, etag?: string) => {
      const headers: Record<string, string> = {};
      if (cookie) headers.cookie = cookie;
      if (etag) headers['if-none-match'] = etag;
      const res = await fetch(f.url + '/subscribe', { headers });
      const set = res.headers.get('set-cookie');
      return { res, body: await res.text(), cookie: cookie ?? set!.split(';')[0]! };
    };
    const a = await visit();
    const b = await visit();
    const tokenOf = (html: string) => /<input type="hidden" name="[^"]+" value="([^"]+)">/.exec(html)![1]!;
    expect(a.res.status).toBe(200);
    expect(a.res.headers.get('cache-control')).toBe('private, no-cache');
    expect(a.body).not.toContain('paperpost-csrf-token-slot');
    expect(tokenOf(a.body)).not.toBe(tokenOf(b.body));
    expect(a.res.headers.get('etag')).not.toBe(b.res.headers.get('etag'));
    // The same visitor again: the same token, and 304 on its ETag.
    const a2 = await visit(a.cookie);
    expect(tokenOf(a2.body)).toBe(tokenOf(a.body));
    const a3 = await visit(a.cookie, a.res.headers.get('etag')!);
    expect(a3.res.status).toBe(304);
    // Another visitor's ETag does not match this one's page.
    const b2 = await visit(b.cookie, a.res.headers.get('etag')!);
    expect(b2.res.status).toBe(200);
    expect(tokenOf(b2.body)).toBe(tokenOf(b.body));
  });
});
