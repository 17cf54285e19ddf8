/**
 * Who gets into /admin, and the login form. In front of every admin route, the guard:
 *
 * 1. lets /admin/login through (or sends an already open admin to /admin);
 * 2. asks check-admin-access.ts: a non-loopback Host or a remote client without ADMIN_TOKEN is
 *    403, no credentials is a redirect to the login page (browsers) or 401 (scripts);
 * 3. counts a wrong bearer token as a login attempt, in the login form's limiter (the same
 *    numbers: 10 per client per 15 minutes); once over, every bearer request of that client
 *    is 429 until the window ends, the right token too, as on the form;
 * 4. checks the CSRF token and origin of every form post of a cookie session (a bearer token is
 *    never sent by a browser on its own, so such requests cannot be forged across sites).
 *
 * Logging in with ADMIN_TOKEN sets a signed session cookie; login attempts are rate limited
 * per client, every attempt counted, whether wrong or right.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ADMIN_COOKIE, ADMIN_SESSION_MS, bearerTokenOf, checkAdminAccess, isAdminToken, makeAdminSession } from '../security/check-admin-access.js';
import { CSRF_COOKIE, CSRF_FIELD } from '../security/create-csrf-guard.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { ensureCsrfCookie, isSecureRequest } from '../security/ensure-csrf-cookie.js';
import { checkFormPost } from '../security/check-form-post.js';
import { readForm } from './read-form.js';
import { renderHtml as h } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { forbiddenPage, renderStatusPage, tooManyPage } from '../views/render-status-page.js';

/** Adds the access check in front of /admin and /admin/*, and the login and logout routes. */
export function mountAdminAuth(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { app } = ctx;

  hono.use('/admin', (c, next) => guard(c, next));
  hono.use('/admin/*', (c, next) => guard(c, next));

  async function guard(c: Context<WebEnv>, next: () => Promise<void>) {
    const path = c.req.path;
    if (path === '/admin/login') {
      if (ctx.adminOpen) return c.redirect('/admin', 303);
      return next();
    }
    const access = checkAdminAccess(c, ctx);
    if (access === 'bad-host') {
      return renderStatusPage(c, 403, 'Not here', 'The admin pages answer only to a loopback Host (127.0.0.1, localhost, [::1]) unless ADMIN_TOKEN is set.');
    }
    if (access === 'remote') {
      return renderStatusPage(c, 403, 'Not here', 'This request came through the reverse proxy from another machine. Without ADMIN_TOKEN the admin pages answer only to this machine: reach them over SSH port forwarding, or set ADMIN_TOKEN.');
    }
    // A bearer token is an attempt at the admin token: limited like the login form.
    if ((access === 'none' || access === 'bearer') && bearerTokenOf(c) !== undefined) {
      const client = ctx.clientAddress(c);
      const wait = ctx.limits.loginPerClient.blocked(client);
      if (wait > 0) return tooManyPage(c, wait);
      if (access === 'none') {
        const verdict = await ctx.limits.loginPerClient.hit(client);
        if (!verdict.allowed) return tooManyPage(c, verdict.retryAfterSeconds);
      }
    }
    if (access === 'none') {
      if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !c.req.header('authorization')) {
        return c.redirect(`/admin/login?next=${encodeURIComponent(path)}`, 303);
      }
      c.header('WWW-Authenticate', 'Bearer realm="paperpost admin"');
      return renderStatusPage(c, 401, 'Log in first', h`<p><a href="/admin/login">Log in</a> with ADMIN_TOKEN, or send it as a bearer token.</p>`);
    }
    c.set('adminAccess', access);
    // A bearer token is never sent by a browser on its own, so such requests cannot be forged across sites.
    if (c.req.method === 'POST' && access !== 'bearer') {
      const form = await readForm(c);
      const refused = checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope: 'admin', binding: getCookie(c, CSRF_COOKIE), given: form.get(CSRF_FIELD) });
      if (refused) return forbiddenPage(c, refused);
    }
    return next();
  }

  const loginPage = (c: Context<WebEnv>, error: string | null, status: 200 | 401 = 200) => {
    const next = c.req.query('next') ?? '/admin';
    const body = h`<h1>Log in</h1>
${error ? h`<p class="problem" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/login?next=${encodeURIComponent(next)}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor('login', ensureCsrfCookie(c, ctx))}">
<label for="token">Admin token <span class="hint">The value of ADMIN_TOKEN.</span></label>
<input id="token" name="token" type="password" required autocomplete="current-password">
<button type="submit">Log in</button>
</form>`;
    return c.html(renderLayout({ title: 'Log in', body, nav: h`` }), status);
  };

  hono.get('/admin/login', (c) => loginPage(c, null));
  hono.post('/admin/login', async (c) => {
    const verdict = await ctx.limits.loginPerClient.hit(ctx.clientAddress(c));
    if (!verdict.allowed) return tooManyPage(c, verdict.retryAfterSeconds);
    const form = await readForm(c);
    const refused = checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope: 'login', binding: getCookie(c, CSRF_COOKIE), given: form.get(CSRF_FIELD) });
    if (refused) return forbiddenPage(c, refused);
    if (!isAdminToken(ctx, form.get('token') ?? '')) return loginPage(c, 'That is not the admin token.', 401);
    const expiresAt = ctx.now().getTime() + ADMIN_SESSION_MS;
    setCookie(c, ADMIN_COOKIE, makeAdminSession(ctx, expiresAt), {
      path: '/admin',
      httpOnly: true,
      sameSite: 'Strict',
      secure: isSecureRequest(c, app.config.publicUrl),
      maxAge: Math.floor(ADMIN_SESSION_MS / 1000),
    });
    const next = c.req.query('next') ?? '/admin';
    return c.redirect(/^\/admin(?:\/[A-Za-z0-9/_.-]*)?$/.test(next) ? next : '/admin', 303);
  });

  hono.post('/admin/logout', (c) => {
    deleteCookie(c, ADMIN_COOKIE, { path: '/admin' });
    return c.redirect('/admin/login', 303);
  });
}
