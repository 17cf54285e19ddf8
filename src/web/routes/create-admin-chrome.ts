/**
 * What every /admin page shares: the wide layout, the navigation (with "Log out" for a cookie
 * session), and the hidden CSRF field of admin forms. Built once per web app and handed to each
 * group of admin routes.
 */
import type { Context } from 'hono';
import { CSRF_FIELD } from '../security/create-csrf-guard.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { ensureCsrfCookie } from '../security/ensure-csrf-cookie.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';

/** The shared parts of admin pages. */
export interface AdminChrome {
  /** The hidden field that an admin form must carry (sets the CSRF cookie when missing). */
  csrfField(c: Context<WebEnv>): Html;
  /** Responds with an admin page. */
  page(c: Context<WebEnv>, title: string, body: Html, status?: 200 | 400 | 404 | 422 | 502): Response | Promise<Response>;
}

/** The admin chrome of `ctx`. */
export function createAdminChrome(ctx: WebContext): AdminChrome {
  const adminCsrf = (c: Context<WebEnv>) => h`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor('admin', ensureCsrfCookie(c, ctx))}">`;
  const nav = (c: Context<WebEnv>) =>
    h`<a href="/admin">Issues</a><a href="/archive">Archive</a>${c.get('adminAccess') === 'cookie' ? h`<form class="inline" method="post" action="/admin/logout">${adminCsrf(c)}<button type="submit" class="secondary">Log out</button></form>` : ''}`;
  const adminPage = (c: Context<WebEnv>, title: string, body: Html, status: 200 | 400 | 404 | 422 | 502 = 200) =>
    c.html(renderLayout({ title, body, wide: true, nav: nav(c) }), status);
  return { csrfField: adminCsrf, page: adminPage };
}
