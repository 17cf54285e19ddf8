/**
 * The double-submit cookie behind the forms that have no token in their URL (subscribe,
 * admin): random, HttpOnly, SameSite=Lax, Secure when the site is served over https.
 */
import type { Context } from 'hono';
import { generateCookie, getCookie, setCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';
import { CSRF_COOKIE } from './create-csrf-guard.js';
import type { WebContext } from '../create-web-context.js';

/**
 * True when cookies should be Secure: the request came over https, or PUBLIC_URL is https and
 * the request is for its host (a TLS-terminating proxy in front). A preview on
 * http://127.0.0.1 keeps working with an https PUBLIC_URL.
 */
export function isSecureRequest(c: Context, publicUrl: string): boolean {
  return isSecureTarget(new URL(c.req.url).protocol, c.req.header('host'), publicUrl);
}

/** isSecureRequest for a request's protocol and Host header. */
function isSecureTarget(protocol: string, host: string | undefined, publicUrl: string): boolean {
  if (protocol === 'https:') return true;
  try {
    const pub = new URL(publicUrl);
    return pub.protocol === 'https:' && (host ?? '').toLowerCase() === pub.host.toLowerCase();
  } catch {
    return false;
  }
}

/** What a cookie value must look like to be kept (anything else is replaced). */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{16,64}$/;
const cookieOptions = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'Lax', secure }) as const;

/** The request's CSRF cookie, set on the response first when it has none. */
export function ensureCsrfCookie(c: Context, ctx: WebContext): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && COOKIE_VALUE.test(existing)) return existing;
  const value = ctx.csrf.newCookieValue();
  setCookie(c, CSRF_COOKIE, value, cookieOptions(isSecureRequest(c, ctx.app.config.publicUrl)));
  return value;
}

/**
 * ensureCsrfCookie for a plain node:http request (the server's fast lane, which answers
 * before the framework runs, over http): the visitor's cookie, and the Set-Cookie header
 * to send when it is new.
 */
export function csrfCookieOf(headers: { cookie?: string; host?: string }, ctx: WebContext): { value: string; setCookie: string | null } {
  const existing = headers.cookie ? parse(headers.cookie, CSRF_COOKIE)[CSRF_COOKIE] : undefined;
  if (existing && COOKIE_VALUE.test(existing)) return { value: existing, setCookie: null };
  const value = ctx.csrf.newCookieValue();
  return { value, setCookie: generateCookie(CSRF_COOKIE, value, cookieOptions(isSecureTarget('http:', headers.host, ctx.app.config.publicUrl))) };
}
