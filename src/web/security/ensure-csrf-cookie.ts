/**
 * The double-submit cookie behind the forms that have no token in their URL (subscribe,
 * admin): random, HttpOnly, SameSite=Lax, Secure when the site is served over https.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { CSRF_COOKIE } from './create-csrf-guard.js';
import type { WebContext } from '../create-web-context.js';

/**
 * True when cookies should be Secure: the request came over https, or PUBLIC_URL is https and
 * the request is for its host (a TLS-terminating proxy in front). A preview on
 * http://127.0.0.1 keeps working with an https PUBLIC_URL.
 */
export function isSecureRequest(c: Context, publicUrl: string): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  try {
    const pub = new URL(publicUrl);
    return pub.protocol === 'https:' && (c.req.header('host') ?? '').toLowerCase() === pub.host.toLowerCase();
  } catch {
    return false;
  }
}

/** The request's CSRF cookie, set on the response first when it has none. */
export function ensureCsrfCookie(c: Context, ctx: WebContext): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
  const value = ctx.csrf.newCookieValue();
  setCookie(c, CSRF_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecureRequest(c, ctx.app.config.publicUrl) });
  return value;
}
