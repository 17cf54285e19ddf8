/**
 * Puts the page cache (create-page-cache.ts) in front of the archive's GET routes, as a
 * middleware, so the routes themselves stay as they are: a route's 200 answer is kept and
 * served to later readers (with its ETag; 304 on If-None-Match) without running the route.
 *
 * - An issue's own page (/archive/YYYY-MM-DD, /archive/week/YYYY-Www) is of a frozen issue:
 *   kept until evicted.
 * - Pages made from the list of issues (/archive, the feeds) are made again after
 *   LIST_PAGE_MAX_AGE_MS, so a newly published issue shows within a second.
 * - Anything but a 200 (a 404 for a date not published yet) is not kept.
 */
import type { Context, Hono, Next } from 'hono';
import type { WebEnv } from '../create-web-context.js';
import type { PageCache } from './create-page-cache.js';
import { sendCachedPage } from './send-cached-page.js';

/** How long a page made from the list of issues is served before it is made again. */
export const LIST_PAGE_MAX_AGE_MS = 1000;
/** The Cache-Control of every cached archive page and feed (as the routes set it). */
const PUBLIC_CACHE = 'public, max-age=300';
/** The archive's paths, the ones this caches. */
const CACHED_PATHS = ['/archive', '/archive/*', '/feed.xml', '/feed/*', '/topics/*'];
/** An issue's own page: frozen, so kept until evicted. */
const FROZEN_PAGE = /^\/archive\/(?:\d{4}-\d{2}-\d{2}|week\/\d{4}-W\d{2})$/;

/** Adds `cache` in front of the archive routes (call before they are mounted); returns it. */
export function mountPageCache(hono: Hono<WebEnv>, cache: PageCache): PageCache {
  const middleware = async (c: Context<WebEnv>, next: Next) => {
    // HEAD is a GET without the body (Hono drops it at the end): the same page and headers, ETag included.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = c.req.path;
    let ranRoute = false;
    // 1. The kept page, or the route's answer, once, for everyone who asks meanwhile.
    const page = await cache.get(
      path,
      async () => {
        ranRoute = true;
        await next();
        if (c.res.status !== 200) return null;
        return { body: await c.res.clone().text(), type: c.res.headers.get('Content-Type') ?? 'text/html; charset=UTF-8' };
      },
      { maxAgeMs: FROZEN_PAGE.test(path) ? Infinity : LIST_PAGE_MAX_AGE_MS },
    );
    // 2. Nothing kept (not a 200): the route's own answer stands, or is made now for a waiter.
    if (!page) {
      if (!ranRoute) await next();
      return;
    }
    // 3. The kept page, with its ETag (304 on a match), and the feed's security policy.
    if (page.type.startsWith('application/atom+xml')) c.set('policy', 'feed');
    c.res = sendCachedPage(c, page, PUBLIC_CACHE);
  };
  for (const p of CACHED_PATHS) hono.use(p, middleware);
  return cache;
}
