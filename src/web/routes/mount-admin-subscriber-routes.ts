/**
 * /admin/subscribers?email=…: one subscriber's record as the operator needs it when a reader
 * writes in: status, topics, dates, the suppression list, and every bounce or complaint.
 */
import type { Hono } from 'hono';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import type { Subscriber } from '../../types.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { loadMailEvents } from '../load-mail-events.js';
import { renderHtml as h } from '../views/render-html.js';
import { renderMailEventTable } from '../views/render-mail-event-table.js';
import type { AdminChrome } from './create-admin-chrome.js';

/** Adds the subscriber lookup page. */
export function mountAdminSubscriberRoutes(hono: Hono<WebEnv>, ctx: WebContext, chrome: AdminChrome): void {
  const { app } = ctx;
  const adminPage = chrome.page;

  // One subscriber's record: status, topics, dates, the suppression list, and every bounce or complaint.
  hono.get('/admin/subscribers', async (c) => {
    const email = (c.req.query('email') ?? '').trim();
    const form = h`<form method="get" action="/admin/subscribers"><label for="email">Subscriber</label><div class="row"><input id="email" name="email" type="email" required value="${email}"><button type="submit" class="secondary">Show</button></div></form>`;
    if (!email) return adminPage(c, 'Subscribers', h`<h1>Subscribers</h1>${form}`);
    let s: Subscriber | null = null;
    try {
      s = await app.store().getSubscriberByEmail(normalizeEmail(email));
    } catch {
      s = null;
    }
    if (!s) return adminPage(c, 'Subscribers', h`<h1>Subscribers</h1>${form}<p class="problem" role="alert">No subscriber has the address ${email}.</p>`, 404);
    const suppressed = await app.store().findSuppression(s.email);
    const body = h`<h1>${s.email}</h1>${form}
<dl class="facts">
<dt>Status</dt><dd>${s.status}</dd>
<dt>Name</dt><dd>${s.name ?? '—'}</dd>
<dt>Topics</dt><dd>${s.themes ? s.themes.join(', ') : 'all'}</dd>
<dt>Joined</dt><dd>${s.createdAt}${s.confirmedAt ? `, confirmed ${s.confirmedAt}` : ''}</dd>
<dt>Left</dt><dd>${s.unsubscribedAt ?? '—'}</dd>
<dt>Suppression list</dt><dd>${suppressed ? `${suppressed.pattern} (${suppressed.reason}, ${suppressed.createdAt.slice(0, 10)})` : 'not on it'}</dd>
</dl>
<h2>Bounces and complaints</h2>
${renderMailEventTable(await loadMailEvents(app, await app.store().listMailEvents({ subscriberId: s.id, limit: 200 })))}`;
    return adminPage(c, s.email, body);
  });
}
