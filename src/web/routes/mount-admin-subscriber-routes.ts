/**
 * /admin/subscribers?email=…: one subscriber's record as the operator needs it when a reader
 * writes in: status, topics, dates, the suppression list, every bounce or complaint, and what
 * their copy of the next issue (the newest draft) shows: their picks with scores and reasons,
 * and their sections with the papers shown (the same as `render --subscriber --json`).
 */
import type { Hono } from 'hono';
import { describeReaderCopy } from '../../issue/describe-reader-copy.js';
import { planOne } from '../../issue/plan-readers.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import type { Subscriber } from '../../types.js';
import type { CompiledIssue } from '../../render/compile-issue.js';
import type { DraftSummary } from '../create-draft-index.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { draftErrorLine } from '../draft-error-line.js';
import { loadMailEvents } from '../load-mail-events.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
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
${await readerCopy(ctx, s)}
<h2>Bounces and complaints</h2>
${renderMailEventTable(await loadMailEvents(app, await app.store().listMailEvents({ subscriberId: s.id, limit: 200 })))}`;
    return adminPage(c, s.email, body);
  });
}

/**
 * What the subscriber's copy of the newest draft shows: picks (score, reason) and sections with
 * their papers in order. A draft that does not render (a template error) says so and why, with
 * a link to its preview; only when there is no draft does the page say there is none.
 */
async function readerCopy(ctx: WebContext, s: Subscriber): Promise<Html> {
  let draft: DraftSummary | null = null;
  let compiled: CompiledIssue | null = null;
  try {
    draft = await ctx.drafts.newest();
    if (draft?.date) compiled = (await ctx.drafts.compile(draft.date))?.compiled ?? null;
  } catch (error) {
    const which = draft?.date ? h`The draft <a href="/admin/issues/${draft.date}">${draft.date}</a>` : 'The newest draft';
    return h`<h2>Their copy</h2><p class="problem" role="alert">${which} does not render, so their copy cannot be shown: ${draftErrorLine(error)}</p>`;
  }
  if (!compiled) return h`<h2>Their copy</h2><p>No draft to show their copy of.</p>`;
  const copy = describeReaderCopy(compiled, s.themes, await planOne(compiled, ctx.app, s));
  const picks = copy.picks.length
    ? h`<table><thead><tr><th>Paper</th><th>Title</th><th>Score</th><th>Why</th></tr></thead><tbody>${copy.picks.map((p) => h`<tr><td>${p.paperId}</td><td>${p.title}</td><td>${p.score.toFixed(2)}</td><td>${p.reason}</td></tr>`)}</tbody></table>`
    : h`<p>No picks: ${copy.withoutPlans ? 'this issue was made before picks.' : 'their copy is the day\'s issue in the day\'s order.'}</p>`;
  const sections = copy.sections
    ? h`<ol>${copy.sections.map((sec) => h`<li>${sec.label} (${sec.id}): ${sec.paperIds.join(', ') || 'listed by name only'}${sec.more > 0 ? ` and ${sec.more} more on the web` : ''}</li>`)}</ol>`
    : h`<p>The issue has none of their topics: they get no copy.</p>`;
  return h`<h2>Their copy of ${compiled.id}</h2><h3>Picked for you</h3>${picks}<h3>Sections</h3>${sections}`;
}
