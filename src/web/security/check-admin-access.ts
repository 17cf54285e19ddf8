/**
 * Who may see the admin pages. Without ADMIN_TOKEN they are open only because the server is
 * bound to loopback, and then only to requests whose Host names a loopback address (a web
 * page elsewhere could otherwise reach them through DNS rebinding). With ADMIN_TOKEN,
 * wherever the server is bound, a request needs `Authorization: Bearer <ADMIN_TOKEN>` or the
 * session cookie the login page sets.
 *
 * Forwarded headers can only ever close the open pages, never open them: on a loopback bind
 * every socket peer is this machine, so the pages would be open without them. With
 * TRUST_PROXY, a request that a trusted proxy forwarded for another machine is refused (the
 * proxy may pass /admin on with a loopback Host); without it, the headers are not read.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { WebContext } from '../create-web-context.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { IN_PROCESS } from './read-client-address.js';

/** The admin session cookie. */
export const ADMIN_COOKIE = 'pp_admin';
/** How long a login lasts. */
export const ADMIN_SESSION_MS = 12 * 60 * 60_000;

/** How a request got in, or why not. */
export type AdminAccess = 'open' | 'bearer' | 'cookie' | 'bad-host' | 'remote' | 'none';

const mac = (key: string, text: string) => createHmac('sha256', key).update(text).digest();
const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** The hostname of a Host header value (without port or brackets). */
export function hostnameOf(host: string | undefined): string | null {
  if (!host) return null;
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(host) ?? /^([^:]+)(?::\d+)?$/.exec(host);
  return m ? m[1]!.toLowerCase() : null;
}

/** True when `given` is ADMIN_TOKEN (compared through HMAC, so in constant time whatever its length). */
export function isAdminToken(ctx: WebContext, given: string): boolean {
  const token = ctx.app.config.adminToken;
  if (!token) return false;
  const key = ctx.app.config.secretKey;
  return same(mac(key, `admin-token:${given}`), mac(key, `admin-token:${token}`));
}

/** A session cookie value that expires at `expiresAt` (ms): `<expiry>.<mac>`; a new ADMIN_TOKEN voids it. */
export function makeAdminSession(ctx: WebContext, expiresAt: number): string {
  const { secretKey, adminToken } = ctx.app.config;
  return `${expiresAt}.${mac(secretKey, `admin-session:${adminToken}:${expiresAt}`).toString('base64url')}`;
}

function isValidSession(ctx: WebContext, value: string | undefined): boolean {
  if (!value || !ctx.app.config.adminToken) return false;
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const expiresAt = Number(m[1]);
  if (expiresAt <= ctx.now().getTime()) return false;
  return same(Buffer.from(makeAdminSession(ctx, expiresAt)), Buffer.from(value));
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerTokenOf(c: Context): string | undefined {
  const auth = c.req.header('authorization');
  return auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
}

/** Decides one request. */
export function checkAdminAccess(c: Context, ctx: WebContext): AdminAccess {
  if (ctx.adminOpen) {
    const hostname = hostnameOf(c.req.header('host'));
    if (hostname === null || !isLoopbackHost(hostname)) return 'bad-host';
    const client = ctx.clientAddress(c);
    return client === IN_PROCESS || (isIP(client) !== 0 && isLoopbackHost(client)) ? 'open' : 'remote';
  }
  const bearer = bearerTokenOf(c);
  if (bearer !== undefined && isAdminToken(ctx, bearer)) return 'bearer';
  if (isValidSession(ctx, getCookie(c, ADMIN_COOKIE))) return 'cookie';
  return 'none';
}
