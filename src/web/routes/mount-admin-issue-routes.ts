/**
 * The operator's issues: /admin lists drafts (the digest files in DIGEST_SOURCE) and stored
 * issues with their deliveries, subscriber counts and the emerging topic clusters;
 * /admin/issues/<date> previews one issue (show-issue-preview.ts), and its /frame is the email's
 * HTML alone, for the preview's iframes. Drafts are compiled from the templates as they are now,
 * on every request; a sent issue shows its frozen content.
 */
import type { Hono } from 'hono';
import type { SubscriberStatus } from '../../types.js';
import { previewCopy, resolveIssue } from '../build-issue-preview.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import { renderEmergingClusters } from '../views/render-topic-insights.js';
import type { AdminChrome } from './create-admin-chrome.js';
import { showIssuePreview } from './show-issue-preview.js';

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced', 'complained'];

/** A digest file that could not be read, and why. */
interface DraftProblem {
  name: string;
  message: string;
}

/** Adds the issue list, the preview page and its frame. */
export function mountAdminIssueRoutes(hono: Hono<WebEnv>, ctx: WebContext, chrome: AdminChrome): void {
  const { app } = ctx;
  const adminPage = chrome.page;

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
<thead><tr><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Subject or source</th><th scope="col">Topics</th><th scope="col">Papers</th><th scope="col">Deliveries</th></tr></thead>
<tbody>
${rows.map(
  (r) => h`<tr><td><a href="/admin/issues/${r.id}">${r.id}</a></td><td><span class="tag ${r.kind === 'sent' || r.kind === 'sending' ? 'sent' : r.kind}">${r.kind}</span></td><td>${r.subject}</td><td>${r.themes}</td><td>${r.papers}</td><td>${r.deliveries}</td></tr>`,
)}
</tbody></table></div>
${problems.length > 0 ? h`<h2>Digest files that could not be read</h2><ul>${problems.map((p) => h`<li><strong>${p.name}</strong>: ${p.message}</li>`)}</ul>` : ''}
${renderEmergingClusters(await store.recentIssuePapers('9999-12-31', 14))}`;
    return adminPage(c, 'Issues', body);
  });

  hono.get('/admin/issues/:date', (c) => showIssuePreview(c, ctx, chrome));

  hono.get('/admin/issues/:date/frame', async (c) => {
    const resolved = await resolveIssue(ctx, c.req.param('date'));
    if (!resolved || 'error' in resolved) return c.text('No preview', 404);
    const p = await previewCopy(ctx, resolved.compiled, c.req.query('as'));
    c.set('policy', 'email-frame');
    return c.html(p.copy?.html ?? '<!doctype html><title>No copy</title><p>This subscriber gets no email for this issue.</p>');
  });
}
