/**
 * The second CSRF layer for browser forms: a POST whose Origin (or Sec-Fetch-Site) says it
 * came from another site is refused even before its token is checked. Requests without
 * either header (old browsers, curl) fall through to the token check.
 */
import type { Context } from 'hono';

/** False when the request says it was sent by a page of another origin (or an opaque one). */
export function isSameOriginPost(c: Context, publicUrl: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  const allowed = new Set<string>();
  try {
    allowed.add(new URL(publicUrl).origin);
  } catch {
    // publicUrl is validated by loadConfig; nothing to add if it is somehow not a URL.
  }
  allowed.add(new URL(c.req.url).origin);
  const host = c.req.header('host');
  if (host) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  return allowed.has(origin.toLowerCase());
}
