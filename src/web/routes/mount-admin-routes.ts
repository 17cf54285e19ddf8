/**
 * The operator's pages under /admin: the list of issues (drafts from DIGEST_SOURCE, stored
 * issues from the database with their deliveries), an issue's preview (subject, preheader,
 * HTML size against Gmail's clip line, render warnings, the HTML framed at 600 and 375 px,
 * the plain text), as any subscriber, and "send a test to…". Drafts are compiled from the
 * templates as they are now, on every request; a sent issue shows its frozen content.
 */
import { groupDigest, loadTopicContext } from '../../issue/prepare-issue.js';
import { explainTopics } from '../../topics/explain-topics.js';
import { renderEmergingClusters, renderTopicExplanations } from '../views/render-topic-insights.js';
import { issueMailHealth, percent } from '../../bounces/complaint-rates.js';
import type { MailEvent } from '../../store/store.js';
import { redactSecrets } from '../../redact-secrets.js';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sendTestCopy } from '../../deliver/send-test-copy.js';
import { SendFailure } from '../../deliver/transport.js';
import { PaperpostError } from '../../errors.js';
import { formatDate } from '../../render/format-date.js';
import { personalizeIssue, type RenderedMessage } from '../../render/personalize-issue.js';
import { previewReader, recipientFor } from '../../subscribers/recipient.js';
import type { CompiledIssue } from '../../render/compile-issue.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import type { Subscriber, SubscriberStatus } from '../../types.js';
import { ADMIN_COOKIE, ADMIN_SESSION_MS, checkAdminAccess, isAdminToken, makeAdminSession } from '../security/check-admin-access.js';
import { CSRF_COOKIE, CSRF_FIELD } from '../security/create-csrf-guard.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { ensureCsrfCookie, isSecureRequest } from '../security/ensure-csrf-cookie.js';
import { isSameOriginPost } from '../security/is-same-origin-post.js';
import { readForm } from './read-form.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { forbiddenPage, renderStatusPage, tooManyPage } from '../views/render-status-page.js';

/** Gmail clips a message whose HTML is larger than this and hides the rest (the footer with the unsubscribe link). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced', 'complained'];
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The issue shown on a preview page, and how it came about. */
interface Resolved {
  compiled: CompiledIssue;
  frozen: { createdAt: string; sentAt: string | null } | null;
}

/** The copy shown, and who it is for. */
interface Preview {
  copy: RenderedMessage | null;
  /** What the page says about the recipient. */
  who: string;
  notes: string[];
}

/** Adds the routes (and the access check in front of them) to `hono`. */
export function mountAdminRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
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
      if (!isSameOriginPost(c, app.config.publicUrl) || !ctx.csrf.check('admin', getCookie(c, CSRF_COOKIE), form.get(CSRF_FIELD))) return forbiddenPage(c);
    }
    return next();
  }

  const adminCsrf = (c: Context<WebEnv>) => h`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor('admin', ensureCsrfCookie(c, ctx))}">`;
  const nav = (c: Context<WebEnv>) =>
    h`<a href="/admin">Issues</a><a href="/archive">Archive</a>${c.get('adminAccess') === 'cookie' ? h`<form class="inline" method="post" action="/admin/logout">${adminCsrf(c)}<button type="submit" class="secondary">Log out</button></form>` : ''}`;
  const adminPage = (c: Context<WebEnv>, title: string, body: Html, status: 200 | 400 | 404 | 422 | 502 = 200) =>
    c.html(renderLayout({ title, body, wide: true, nav: nav(c) }), status);

  // --- login -------------------------------------------------------------------------------

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
    if (!isSameOriginPost(c, app.config.publicUrl) || !ctx.csrf.check('login', getCookie(c, CSRF_COOKIE), form.get(CSRF_FIELD))) return forbiddenPage(c);
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

  // --- issue list --------------------------------------------------------------------------

  hono.get('/admin', async (c) => {
    const store = app.store();
    const [stored, { drafts, note }] = await Promise.all([ctx.archive.all(), ctx.drafts.list()]);
    const counts = await Promise.all(STATUSES.map(async (s) => [s, await store.countSubscribers({ status: s })] as const));
    type Row = { id: string; kind: 'draft' | 'sent' | 'sending' | 'deferred'; subject: Html | string; themes: number; papers: number; deliveries: Html | string };
    const rows: Row[] = [];
    for (const issue of stored) {
      const d = await store.countDeliveries(issue.id);
      rows.push({
        id: issue.id,
        // Nothing in flight and some deferred: the run ended with mail left over, it is not sending.
        kind: issue.sentAt ? 'sent' : d.deferred > 0 && d.queued === 0 ? 'deferred' : 'sending',
        subject: issue.compiled.subject,
        themes: issue.compiled.sections.length,
        papers: issue.compiled.paperCount,
        deliveries: h`${d.sent} sent · ${d.deferred} deferred · ${d.failed} failed${d.queued ? h` · ${d.queued} queued` : ''}`,
      });
    }
    const storedIds = new Set(stored.map((i) => i.id));
    const problems: DraftProblem[] = [];
    for (const draft of drafts) {
      if (draft.error !== null) problems.push({ name: draft.name, message: draft.error });
      else if (draft.date === null) problems.push({ name: draft.name, message: 'the digest has no date (put YYYY-MM-DD in the file name)' });
      else if (!storedIds.has(draft.date) && !rows.some((r) => r.id === draft.date)) {
        rows.push({ id: draft.date, kind: 'draft', subject: h`<span class="muted">${draft.name}</span>`, themes: draft.themeCount, papers: draft.paperCount, deliveries: 'not sent' });
      }
    }
    rows.sort((a, b) => b.id.localeCompare(a.id));
    const body = h`<h1>Issues</h1>
<p>Subscribers: ${counts.map(([s, n], i) => h`${i > 0 ? ', ' : ''}${n} ${s}`)}.</p>
${note ? h`<p class="notice">${note}</p>` : ''}
${rows.length === 0 ? h`<p>No drafts in ${app.config.digestSource} and no issue sent yet.</p>` : ''}
<div class="scroll" role="region" aria-label="Issues" tabindex="0"><table>
<caption class="muted">Drafts are the digest files in DIGEST_SOURCE (newest ten); sent issues come from the database.</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Subject or source</th><th scope="col">Themes</th><th scope="col">Papers</th><th scope="col">Deliveries</th></tr></thead>
<tbody>
${rows.map(
  (r) => h`<tr><td><a href="/admin/issues/${r.id}">${r.id}</a></td><td><span class="tag ${r.kind === 'sent' || r.kind === 'sending' ? 'sent' : r.kind}">${r.kind}</span></td><td>${r.subject}</td><td>${r.themes}</td><td>${r.papers}</td><td>${r.deliveries}</td></tr>`,
)}
</tbody></table></div>
${problems.length > 0 ? h`<h2>Digest files that could not be read</h2><ul>${problems.map((p) => h`<li><strong>${p.name}</strong>: ${p.message}</li>`)}</ul>` : ''}
${renderEmergingClusters(await store.recentIssuePapers('9999-12-31', 14))}`;
    return adminPage(c, 'Issues', body);
  });

  // --- issue preview -----------------------------------------------------------------------

  const resolve = async (date: string): Promise<Resolved | { error: string } | null> => {
    if (!isDate(date)) return null;
    const stored = await ctx.archive.get(date);
    if (stored) return { compiled: stored.compiled, frozen: { createdAt: stored.createdAt, sentAt: stored.sentAt } };
    try {
      const draft = await ctx.drafts.compile(date);
      return draft ? { compiled: draft.compiled, frozen: null } : null;
    } catch (error) {
      if (error instanceof PaperpostError) return { error: redactSecrets(`${error.message}${error.hint ? ` (${error.hint})` : ''}`) };
      throw error;
    }
  };

  /** What came back from a sent issue: bounces, complaints and the complaint rate against the 0.3% line. */
  const afterTheSend = async (date: string) => {
    const [health] = await issueMailHealth(app.store(), [date]);
    if (!health) return '';
    return h`<h2>After the send</h2>
<dl class="facts">
<dt>Accepted</dt><dd>${health.accepted}</dd>
<dt>Bounced</dt><dd>${health.hard} hard, ${health.soft} soft</dd>
<dt>Complaints</dt><dd>${health.complaints}: ${percent(health.complaintRate)} of accepted${health.overLine ? h` <strong class="problem">over the 0.3% Gmail and Yahoo allow bulk senders</strong>` : h` (the line is 0.3%)`}</dd>
</dl>
${await eventTable(await app.store().listMailEvents({ issueId: date, limit: 50 }))}`;
  };

  /** Recorded bounces and complaints, newest first. */
  const eventTable = async (events: MailEvent[]) => {
    if (events.length === 0) return h`<p class="muted">No bounce or complaint recorded.</p>`;
    const emails = new Map<number, string>();
    for (const e of events) if (e.subscriberId !== null && !emails.has(e.subscriberId)) emails.set(e.subscriberId, (await app.store().getSubscriberById(e.subscriberId))?.email ?? '?');
    return h`<div class="scroll" role="region" aria-label="Bounces and complaints" tabindex="0"><table>
<thead><tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">What</th><th scope="col">Subscriber</th><th scope="col">Issue</th><th scope="col">Status</th><th scope="col">Did</th></tr></thead>
<tbody>${events.map(
      (e) =>
        h`<tr><td>${e.receivedAt.slice(0, 16).replace('T', ' ')}</td><td>${e.source}</td><td>${e.type}${e.severity ? ` (${e.severity})` : ''}</td><td>${e.subscriberId !== null ? h`<a href="/admin/subscribers?email=${encodeURIComponent(emails.get(e.subscriberId) ?? '')}">${emails.get(e.subscriberId)}</a>` : (e.recipient ?? '-')}</td><td>${e.issueId ?? '-'}</td><td>${e.status ?? ''} <span class="muted">${(e.diagnostic ?? '').slice(0, 120)}</span></td><td>${e.outcome}</td></tr>`,
    )}</tbody></table></div>`;
  };

  /** Why each paper of the digest for `date` is where it is, when the digest file and a topic map are there. */
  const explainIssue = async (date: string) => {
    const digest = await ctx.drafts.digest(date).catch(() => null);
    if (!digest) return '';
    const context = await loadTopicContext(app, digest.date);
    if (!context) return '';
    const placed = new Map<string, string>();
    for (const t of (await groupDigest(app, digest)).themes) for (const paper of t.papers) placed.set(paper.id, t.label);
    return renderTopicExplanations(
      digest.papers.map((paper) => ({ title: paper.title, placedIn: placed.get(paper.id) ?? '-', why: explainTopics(paper, context.map, { learned: context.learned }) })),
    );
  };

  const preview = async (compiled: CompiledIssue, as: string | undefined): Promise<Preview> => {
    const notes: string[] = [];
    let subscriber: Subscriber | null = null;
    if (as !== undefined && as.trim() !== '') {
      try {
        subscriber = await app.store().getSubscriberByEmail(normalizeEmail(as));
      } catch {
        subscriber = null;
      }
      if (!subscriber) notes.push(`No subscriber has the address ${as.slice(0, 254)}; showing the copy for a reader of every theme.`);
    }
    if (!subscriber) return { copy: personalizeIssue(compiled, recipientFor(app.config, previewReader())), who: 'a reader of every topic (links point to /manage)', notes };
    if (subscriber.status !== 'active') notes.push(`${subscriber.email} is ${subscriber.status}: they get no issues now.`);
    const copy = personalizeIssue(compiled, recipientFor(app.config, subscriber));
    if (!copy) notes.push(`${subscriber.email} follows none of this issue's themes (${(subscriber.themes ?? []).join(', ')}), so they get no email for it.`);
    const follows = subscriber.themes === null ? 'every topic' : `topics: ${subscriber.themes.join(', ')}`;
    return { copy, who: `${subscriber.email}${subscriber.name ? ` (${subscriber.name})` : ''}, ${follows}`, notes };
  };

  const showIssue = async (c: Context<WebEnv>, flash: { kind: 'notice' | 'problem'; text: string } | null = null, status: 200 | 400 | 502 = 200) => {
    const date = c.req.param('date') ?? '';
    const resolved = await resolve(date);
    if (!resolved) return adminPage(c, 'No such issue', h`<h1>No such issue</h1><p>No draft in DIGEST_SOURCE and no stored issue has the date ${date}. <a href="/admin">Back to the issues</a>.</p>`, 404);
    if ('error' in resolved) {
      return adminPage(c, `Issue ${date}`, h`<h1>Issue ${date}</h1><p class="problem" role="alert">The issue does not render: ${resolved.error}</p><p>Fix the templates and reload this page.</p>`, 422);
    }
    const { compiled, frozen } = resolved;
    const as = c.req.query('as');
    const p = await preview(compiled, as);
    const tested = c.req.query('tested');
    const asQuery = as ? `?as=${encodeURIComponent(as)}` : '';
    const frame = `/admin/issues/${date}/frame${asQuery}`;
    const htmlBytes = p.copy ? Buffer.byteLength(p.copy.html) : 0;
    const textBytes = p.copy ? Buffer.byteLength(p.copy.text) : 0;
    const over = htmlBytes > GMAIL_CLIP_BYTES;
    const flashHtml = flash
      ? h`<p class="${flash.kind}" role="${flash.kind === 'problem' ? 'alert' : 'status'}">${flash.text}</p>`
      : tested
        ? h`<p class="notice" role="status">A test copy went to ${tested}: the mail server accepted it.</p>`
        : '';
    const body = h`<h1>Issue of ${formatDate(date, 'long') || date}</h1>
${flashHtml}
${
  frozen
    ? h`<p><span class="tag sent">sent</span> The frozen issue, stored ${frozen.createdAt}${frozen.sentAt ? h`, completely sent ${frozen.sentAt}` : ' (still being sent)'}. This is exactly what went out; editing templates/ does not change it.</p>`
    : h`<p><span class="tag draft">draft</span> Rendered from templates/ just now: edit a template and reload to see the change.</p>`
}
<form method="get" action="/admin/issues/${date}">
<label for="as">Preview as subscriber <span class="hint">Their address; leave empty for a reader of every theme.</span></label>
<div class="row"><input id="as" name="as" type="email" value="${as ?? ''}" autocomplete="off"><button type="submit" class="secondary">Show their copy</button></div>
</form>
<p>Showing the copy for ${p.who}.</p>
${p.notes.map((n) => h`<p class="notice">${n}</p>`)}
<h2>Envelope</h2>
<dl class="facts">
<dt>Subject</dt><dd>${p.copy?.subject ?? '—'}</dd>
<dt>Preheader</dt><dd>${p.copy?.preheader ?? '—'}</dd>
<dt>HTML size</dt><dd><meter id="size" min="0" max="${GMAIL_CLIP_BYTES}" low="${Math.round(GMAIL_CLIP_BYTES * 0.85)}" high="${Math.round(GMAIL_CLIP_BYTES * 0.95)}" optimum="0" value="${Math.min(htmlBytes, GMAIL_CLIP_BYTES)}">${kb(htmlBytes)}</meter> ${kb(htmlBytes)} of Gmail's ${kb(GMAIL_CLIP_BYTES)} clip line (${Math.round((htmlBytes / GMAIL_CLIP_BYTES) * 100)}%)${over ? h` <strong>: Gmail will clip this copy and hide its footer, unsubscribe link included.</strong>` : ''}</dd>
<dt>Text size</dt><dd>${kb(textBytes)}</dd>
<dt>Themes</dt><dd>${compiled.sections.length}: ${compiled.sections.map((s) => s.label).join(', ')}</dd>
<dt>Papers</dt><dd>${compiled.shownPaperCount} shown of ${compiled.paperCount}</dd>
</dl>
${frozen ? await afterTheSend(date) : ''}
${await explainIssue(date)}
<h2>Render warnings</h2>
${compiled.warnings.length === 0 ? h`<p>None.</p>` : h`<ul>${compiled.warnings.map((w) => h`<li>${w}</li>`)}</ul>`}
${
  p.copy
    ? h`<h2>HTML</h2>
<div class="frames">
<figure><figcaption>Desktop, 600 px</figcaption><iframe class="desktop" src="${frame}" title="The email at 600 pixels wide" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe></figure>
<figure><figcaption>Phone, 375 px</figcaption><iframe class="phone" src="${frame}" title="The email at 375 pixels wide" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe></figure>
</div>
<h2>Plain text</h2>
<pre tabindex="0" aria-label="The plain-text part">${p.copy.text}</pre>`
    : ''
}
<h2>Send a test</h2>
<form method="post" action="/admin/issues/${date}/test">
${adminCsrf(c)}
<label for="to">Send a test to <span class="hint">One address. It gets the copy for a reader of every theme, subject prefixed [TEST], outside the ledger (like paperpost send --to).</span></label>
<div class="row"><input id="to" name="to" type="email" required autocomplete="email"><button type="submit">Send the test</button></div>
</form>`;
    c.set('policy', 'admin-preview');
    return adminPage(c, `Issue ${date}`, body, status);
  };

  hono.get('/admin/issues/:date', (c) => showIssue(c));

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
${await eventTable(await app.store().listMailEvents({ subscriberId: s.id, limit: 200 }))}`;
    return adminPage(c, s.email, body);
  });

  hono.get('/admin/issues/:date/frame', async (c) => {
    const resolved = await resolve(c.req.param('date'));
    if (!resolved || 'error' in resolved) return c.text('No preview', 404);
    const p = await preview(resolved.compiled, c.req.query('as'));
    c.set('policy', 'email-frame');
    return c.html(p.copy?.html ?? '<!doctype html><title>No copy</title><p>This subscriber gets no email for this issue.</p>');
  });

  hono.post('/admin/issues/:date/test', async (c) => {
    const date = c.req.param('date');
    const form = await readForm(c);
    const to = (form.get('to') ?? '').trim();
    // The same copy the preview shows: the frozen issue once sent, else the draft.
    const resolved = isDate(date) ? await resolve(date) : null;
    if (!resolved || 'error' in resolved) {
      return showIssue(c, { kind: 'problem', text: `There is no issue ${date} to send a test of.` }, 400);
    }
    try {
      await sendTestCopy(app, resolved.compiled, to);
    } catch (error) {
      if (error instanceof SendFailure) return showIssue(c, { kind: 'problem', text: redactSecrets(`The test was not sent: the mail server said ${error.message}`) }, 502);
      if (!(error instanceof PaperpostError)) throw error;
      return showIssue(c, { kind: 'problem', text: redactSecrets(`The test was not sent: ${error.message}${error.hint ? ` (${error.hint})` : ''}`) }, error.exitCode === 2 ? 400 : 502);
    }
    return c.redirect(`/admin/issues/${date}?tested=${encodeURIComponent(to)}`, 303);
  });
}

interface DraftProblem {
  name: string;
  message: string;
}
