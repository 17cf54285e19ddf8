/**
 * Answers a request with a cached page (GET or HEAD): its ETag, Cache-Control and length
 * always, and 304 Not Modified without a body when the reader's If-None-Match already names
 * that ETag.
 */
import type { Context } from 'hono';
import type { CachedPage } from './create-page-cache.js';

/** What is sent: the body as bytes, its type and its ETag. */
type SentPage = Pick<CachedPage, 'bytes' | 'type' | 'etag'>;

/** True when an If-None-Match header value matches `etag` (a list of tags, or *). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/** Sends `page` (or 304) on `c` with the given Cache-Control. */
export function sendCachedPage(c: Context, page: SentPage, cacheControl: string): Response {
  c.header('ETag', page.etag);
  c.header('Cache-Control', cacheControl);
  if (matchesEtag(c.req.header('If-None-Match'), page.etag)) return c.body(null, 304);
  // Its length said here too: a HEAD's answer has no body to count it from.
  return c.body(page.bytes, 200, { 'Content-Type': page.type, 'Content-Length': String(page.bytes.byteLength) });
}
