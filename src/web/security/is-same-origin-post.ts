/**
 * The second CSRF layer for browser forms: a POST that says it came from a page of another
 * site is refused even before its token is checked. Sec-Fetch-Site decides when the browser
 * sends it (all current ones do); else a real Origin must be ours. `Origin: null` decides
 * nothing: browsers send it for every form post from a page with Referrer-Policy
 * no-referrer, which all of ours are. Requests with neither header (curl, old browsers)
 * fall through to the token check.
 */
import type { Context } from 'hono';

/** False when the request says it was sent by a page of another origin (or an opaque one). */
export function isSameOriginPost(c: Context, publicUrl: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return true;
  const allowed = new Set<string>();
  try {
    allowed.add(new URL(publicUrl).origin);
  } catch {
    // publicUrl is validated by loadConfig; nothing to add if it is somehow not a URL.
  }
  allowed.add(new URL(c.req.url).origin);
  const host = c.req.header('host');
  if (host) {
    allowed.add(`http://${host}`.toLowerCase());
    allowed.add(`https://${host}`.toLowerCase());
  }
  return allowed.has(origin.toLowerCase());
}
