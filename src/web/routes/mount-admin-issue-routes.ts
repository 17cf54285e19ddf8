/**
 * The operator's issues: /admin lists drafts (the digest files in DIGEST_SOURCE) and the newest
 * stored issues with their mail (and, when a guardrail stopped an issue's last run, why: see
 * deliver/create-guardrail.ts), the last doctor result, the charts (from the summary tables)
 * and the emerging topic clusters;
 * /admin/issues/<date> previews one issue (show-issue-preview.ts; a week, 2026-W49, its weekly
 * issue), and its /frame is the email's
 * HTML alone, for the preview's iframes. Drafts are compiled from the templates as they are now,
 * on every request; a sent issue shows its frozen content.
 */
import type { Hono } from 'hono';
import { addWeeks, isoWeekOf, isWeekId } from '../../iso-week.js';
import { plural } from '../../plural.js';
import type { SubscriberStatus } from '../../types.js';
import { GUARDRAIL_META_KEY } from '../../deliver/create-guardrail.js';
import { previewCopy, resolveIssue } from '../build-issue-preview.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { renderHtml as h } from '../views/render-html.js';
import { renderComplaintChart, renderIssueChart, renderSubscriberChart, renderTopicChart, statusSeries } from '../views/render-dashboard-charts.js';
import { readDoctorResult, renderDoctorResult } from '../views/render-doctor-result.js';
import { renderIssueTable, type IssueRow } from '../views/render-issue-table.js';
import { renderEmergingClusters } from '../views/render-topic-insights.js';
import { topicLabels } from './topic-labels.js';
import type { AdminChrome } from './create-admin-chrome.js';
import { showIssuePreview } from './show-issue-preview.js';

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced', 'complained'];

/** Stored issues the table and the per-issue charts show (older ones are in the archive). */
const ISSUES_SHOWN = 30;

/** A digest file that could not be read, and why. */
interface DraftProblem {
  name: string;
  message: string;
}

/**
 * Links to the weekly issue (readers with a weekly cadence) of the newest stored day's week and
 * the week before: frozen once sent, else built from that week's daily issues as a send would.
 */
function renderWeekChoice(storedIds: string[]) {
  const newestDay = storedIds.filter((id) => !isWeekId(id)).sort().at(-1);
  if (!newestDay) return '';
  const weeks = [isoWeekOf(newestDay), addWeeks(isoWeekOf(newestDay), -1)];
  const stored = new Set(storedIds);
  // A week with no stored daily issue has no weekly issue to show: named, not linked (its page would be a 404).
  const hasDays = (w: string) => storedIds.some((id) => !isWeekId(id) && isoWeekOf(id) === w);
  const entry = (w: string) =>
    stored.has(w)
      ? h`<a href="/admin/issues/${w}">${w}</a>`
      : hasDays(w)
        ? h`<a href="/admin/issues/${w}">${w}</a> <span class="muted">(not sent yet)</span>`
        : h`${w} <span class="muted">(no daily issue that week)</span>`;
  return h`<p>Weekly issue: ${weeks.map((w, i) => h`${i > 0 ? ' · ' : ''}${entry(w)}`)}</p>`;
}

/** Adds the issue list, the preview page and its frame. */
export function mountAdminIssueRoutes(hono: Hono<WebEnv>, ctx: WebContext, chrome: AdminChrome): void {
  const { app } = ctx;
  const adminPage = chrome.page;

  hono.get('/admin', async (c) => {
    const store = app.store();
    // Every count comes from the summary tables (store/roles/dashboard-stats.ts): a few hundred
    // small rows, however many subscribers and deliveries there are.
    const [stats, idRows, days, followers, { drafts, note }, doctor, recentPapers] = await Promise.all([
      store.issueStats(ISSUES_SHOWN),
      store.listIssueIds(),
      store.subscriberStatusDays(),
      store.topicFollowers(),
      ctx.drafts.list(),
      readDoctorResult(store),
      store.recentIssuePapers('9999-12-31', 14),
    ]);
    const now = statusSeries(days).at(-1)?.counts;
    const stored = new Map(idRows.map((r) => [r.id, r]));
    const rows: IssueRow[] = [];
    for (const d of stats) {
      const row = stored.get(d.issueId);
      const issue = row ? await ctx.archive.fromRow(row) : null;
      if (!issue) continue;
      const rate = d.sent > 0 ? ((d.complaints / d.sent) * 100).toFixed(2) : '0.00';
      // A run that completes the issue clears its guardrail note, so only unfinished issues ask
      // (one query each: 30 sequential round trips were most of the page's time on PostgreSQL).
      const stoppedBy = d.sentAt === null ? await store.getMeta(GUARDRAIL_META_KEY(d.issueId)) : null;
      rows.push({
        id: d.issueId,
        // Nothing in flight and some deferred: the run ended with mail left over, it is not sending.
        kind: issue.sentAt ? 'sent' : d.deferred > 0 && d.queued === 0 ? 'deferred' : 'sending',
        subject: issue.compiled.subject,
        topics: issue.compiled.sections.length,
        papers: issue.compiled.paperCount,
        deliveries: h`${d.sent} sent · ${d.deferred} deferred · ${d.failed} failed${d.queued ? h` · ${d.queued} queued` : ''}${stoppedBy ? h`<br><strong class="problem">last run ${stoppedBy}</strong>` : ''}`,
        // Refused with a 5xx during the send (failed) or reported later: hard bounces both.
        reports: `${plural(d.hard + d.failed, 'hard bounce')} · ${plural(d.soft, 'soft bounce')} · ${plural(d.complaints, 'complaint')} (${rate}%) · ${d.unsubscribes} unsubscribed`,
      });
    }
    const storedIds = new Set(stats.map((i) => i.issueId));
    const problems: DraftProblem[] = [];
    for (const draft of drafts) {
      if (draft.error !== null) problems.push({ name: draft.name, message: draft.error });
      else if (draft.date === null) problems.push({ name: draft.name, message: 'the digest has no date (put YYYY-MM-DD in the file name)' });
      else if (!storedIds.has(draft.date) && !rows.some((r) => r.id === draft.date) && !stored.has(draft.date)) {
        rows.push({ id: draft.date, kind: 'draft', subject: h`<span class="muted">${draft.name}</span>`, topics: draft.themeCount, papers: draft.paperCount, deliveries: 'not sent', reports: '' });
      }
    }
    rows.sort((a, b) => b.id.localeCompare(a.id));
    const body = h`<h1>Issues</h1>
<p>Subscribers: ${STATUSES.map((s, i) => h`${i > 0 ? ', ' : ''}${now?.[s] ?? 0} ${s}`)}.</p>
${renderDoctorResult(doctor)}
${note ? h`<p class="notice">${note}</p>` : ''}
${rows.length === 0 ? h`<p>No drafts in ${app.config.digestSource} and no issue sent yet.</p>` : ''}
${renderIssueTable(rows, `Drafts are the digest files in DIGEST_SOURCE (newest ten); sent issues come from the database (the newest ${ISSUES_SHOWN}).`)}
${renderWeekChoice(idRows.map((r) => r.id))}
${problems.length > 0 ? h`<h2>Digest files that could not be read</h2><ul>${problems.map((p) => h`<li><strong>${p.name}</strong>: ${p.message}</li>`)}</ul>` : ''}
<h2>Charts</h2>
<div class="charts">
${renderSubscriberChart(days)}
${renderTopicChart(followers, topicLabels(app.config))}
${renderIssueChart(stats)}
${renderComplaintChart(stats)}
</div>
${renderEmergingClusters(recentPapers)}`;
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
