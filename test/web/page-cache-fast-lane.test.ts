/**
 * The fast lane (issue #23, item 7): a kept page is answered from the node:http handler
 * without running the web framework, with the framework's own headers (security headers,
 * ETag, Cache-Control), 304 on a matching If-None-Match, and HEAD; a page the cache no longer
 * keeps (made again, evicted), a query, or an answer that sets a cookie goes through the
 * framework.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { createPageCache } from '../../src/web/cache/create-page-cache.js';
import { createFastLane } from '../../src/web/cache/create-fast-lane.js';
import { mountPageCache, LIST_PAGE_MAX_AGE_MS } from '../../src/web/cache/mount-page-cache.js';
import type { WebEnv } from '../../src/web/create-web-context.js';
import { startWebFixture, type WebFixture } from './support/start-web-fixture.js';

/** Headers as a plain object, without the ones each response has of its own. */
const headersOf = (res: Response) => {
  const h: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== 'date' && k !== 'keep-alive' && k !== 'connection') h[k] = v;
  });
  return h;
};

describe('fast lane, on a small app', () => {
  let now = 0;
  let frameworkRuns = 0;
  let server: Server;
  let base: string;
  let pages: ReturnType<typeof createPageCache>;
  let hold: Promise<void> | null = null;
  let version = 1;
  beforeAll(async () => {
    pages = createPageCache({ maxEntries: 2, clock: () => now });
    const hono = new Hono<WebEnv>();
    hono.use(async (c, next) => {
      frameworkRuns++;
      await next();
      c.res.headers.set('X-Frame-Options', 'DENY');
    });
    mountPageCache(hono, pages);
    hono.get('/archive', (c) => c.html('<p>index</p>'));
    hono.get('/archive/:date', (c) => c.html(`<p>issue ${c.req.param('date')}</p>`));
    hono.get('/feed/:name', async (c) => {
      await hold;
      return c.body(`<feed v="${version}"/>`, 200, { 'Content-Type': 'application/atom+xml' });
    });
    hono.get('/feed.xml', (c) => {
      c.header('Set-Cookie', 'a=b');
      return c.body('<feed/>', 200, { 'Content-Type': 'application/atom+xml' });
    });
    const lane = createFastLane(pages);
    const framework = getRequestListener(async (request: Request, env: unknown) => {
      const response = await hono.fetch(request, env);
      lane.note(request, response);
      return response;
    });
    server = createServer((req, res) => {
      if (!lane.serve(req, res)) void framework(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });
  afterEach(() => {
    frameworkRuns = 0;
  });

  it('serves a kept page again without the framework, with the same headers and bytes', async () => {
    const first = await fetch(`${base}/archive/2025-12-10`);
    const body = await first.text();
    expect(frameworkRuns).toBe(1);
    for (let i = 0; i < 5; i++) {
      const again = await fetch(`${base}/archive/2025-12-10`);
      expect(headersOf(again)).toEqual(headersOf(first));
      expect(await again.text()).toBe(body);
    }
    expect(frameworkRuns).toBe(1);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(Number(first.headers.get('content-length'))).toBe(Buffer.byteLength(body));
  });

  it('answers 304 and HEAD from the lane', async () => {
    const first = await fetch(`${base}/archive/2025-12-11`);
    await first.text();
    const etag = first.headers.get('etag')!;
    const revalidated = await fetch(`${base}/archive/2025-12-11`, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    const { 'content-type': _type, 'content-length': _length, ...rest } = headersOf(first);
    expect(headersOf(revalidated)).toEqual(rest);
    const head = await fetch(`${base}/archive/2025-12-11`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(headersOf(head)).toEqual(headersOf(first));
    expect(await head.text()).toBe('');
    expect(frameworkRuns).toBe(1);
  });

  it('answers a HEAD the lane leaves to the framework (the page is due to be made again) from the cache, with its ETag and length', async () => {
    const get = await fetch(`${base}/archive`);
    const body = await get.text();
    now += LIST_PAGE_MAX_AGE_MS;
    const runs = frameworkRuns;
    const head = await fetch(`${base}/archive`, { method: 'HEAD' });
    expect(frameworkRuns).toBe(runs + 1);
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('cache-control')).toBe(get.headers.get('cache-control'));
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(await head.text()).toBe('');
  });

  it('leaves to the framework: a page made again after its age, an evicted page, a query, a cookie', async () => {
    await (await fetch(`${base}/archive`)).text();
    await (await fetch(`${base}/archive`)).text();
    expect(frameworkRuns).toBe(1);
    now += LIST_PAGE_MAX_AGE_MS;
    await (await fetch(`${base}/archive`)).text();
    expect(frameworkRuns).toBe(2);
    // Two pages are kept at most: reading two others evicts 2025-12-10 (if it was still kept).
    await (await fetch(`${base}/archive/2025-12-12`)).text();
    await (await fetch(`${base}/archive/2025-12-13`)).text();
    frameworkRuns = 0;
    await (await fetch(`${base}/archive/2025-12-10`)).text();
    expect(frameworkRuns).toBe(1);
    await (await fetch(`${base}/archive/2025-12-10?x=1`)).text();
    expect(frameworkRuns).toBe(2);
    const withCookie = await fetch(`${base}/feed.xml`);
    expect(withCookie.headers.get('set-cookie')).toBe('a=b');
    await withCookie.text();
    await (await fetch(`${base}/feed.xml`)).text();
    expect(frameworkRuns).toBe(4);
  });

  it('while a list page is made again, serves the copy before it to readers who come meanwhile, and the new one after', async () => {
    expect(await (await fetch(`${base}/feed/all`)).text()).toBe('<feed v="1"/>');
    now += LIST_PAGE_MAX_AGE_MS;
    version = 2;
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    const remaking = fetch(`${base}/feed/all`).then((r) => r.text());
    while (!pages.rendering('/feed/all')) await new Promise((r) => setTimeout(r, 5));
    const runs = frameworkRuns;
    expect(await (await fetch(`${base}/feed/all`)).text()).toBe('<feed v="1"/>');
    expect(frameworkRuns).toBe(runs);
    release();
    hold = null;
    expect(await remaking).toBe('<feed v="2"/>');
    expect(await (await fetch(`${base}/feed/all`)).text()).toBe('<feed v="2"/>');
    expect(frameworkRuns).toBe(runs);
  });
});

describe('fast lane, in paperpost serve', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture({ sentIssue: true, subscribers: [{ email: 'one@example.org' }] });
  });
  afterAll(async () => {
    await f?.close();
  });

  for (const path of ['/archive/2025-12-10', '/archive', '/feed.xml']) {
    it(`${path}: the lane's answers carry the framework's headers`, async () => {
      const first = await fetch(f.url + path);
      const body = await first.text();
      const again = await fetch(f.url + path);
      expect(await again.text()).toBe(body);
      expect(headersOf(again)).toEqual(headersOf(first));
      expect(again.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(again.headers.get('referrer-policy')).toBe('no-referrer');
      const head = await fetch(f.url + path, { method: 'HEAD' });
      expect(head.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(head.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    });
  }

  it("/subscribe: the lane puts each visitor's token and cookie into the shell, with the framework's headers", async () => {
    const tokenOf = (html: string) => /<input type="hidden" name="[^"]+" value="([^"]+)">/.exec(html)![1]!;
    const first = await fetch(f.url + '/subscribe');
    const firstBody = await first.text();
    const second = await fetch(f.url + '/subscribe');
    const secondBody = await second.text();
    // Each visitor's own: cookie, token, ETag; everything else as the framework sends it.
    const own = ['set-cookie', 'etag', 'content-length'];
    const rest = (res: Response) => Object.fromEntries(Object.entries(headersOf(res)).filter(([k]) => !own.includes(k)));
    expect(rest(second)).toEqual(rest(first));
    expect(second.headers.get('cache-control')).toBe('private, no-cache');
    const cookie = (res: Response) => res.headers.get('set-cookie')!;
    expect(cookie(second).replace(/pp_csrf=[^;]+/, 'pp_csrf=X')).toBe(cookie(first).replace(/pp_csrf=[^;]+/, 'pp_csrf=X'));
    expect(cookie(second)).not.toBe(cookie(first));
    expect(tokenOf(secondBody)).not.toBe(tokenOf(firstBody));
    expect(secondBody.replace(tokenOf(secondBody), 'T')).toBe(firstBody.replace(tokenOf(firstBody), 'T'));
    expect(Number(second.headers.get('content-length'))).toBe(Buffer.byteLength(secondBody));
    // A returning visitor: no new cookie, the same token and ETag as before, 304 on it.
    const visitor = cookie(first).split(';')[0]!;
    const back = await fetch(f.url + '/subscribe', { headers: { cookie: visitor } });
    expect(back.headers.get('set-cookie')).toBeNull();
    expect(tokenOf(await back.text())).toBe(tokenOf(firstBody));
    expect(back.headers.get('etag')).toBe(first.headers.get('etag'));
    const notModified = await fetch(f.url + '/subscribe', { headers: { cookie: visitor, 'if-none-match': first.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    // Another visitor's ETag is not this one's.
    const other = await fetch(f.url + '/subscribe', { headers: { cookie: cookie(second).split(';')[0]!, 'if-none-match': first.headers.get('etag')! } });
    expect(other.status).toBe(200);
    expect(tokenOf(await other.text())).toBe(tokenOf(secondBody));
  });
});
