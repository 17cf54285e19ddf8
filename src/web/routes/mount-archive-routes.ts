/**
 * The public archive: /archive lists issues that went out, /archive/:date is the web
 * version every email links to ("View in browser"): a web page made from the frozen issue's
 * papers (render-issue-page), which carries nobody's links or tokens. /feed.xml is an Atom
 * feed of the issues with their content; /topics/:topicId/feed.xml has one topic's papers
 * across issues. Weekly issues (`YYYY-Www`) have their own list on /archive, their own pages
 * (/archive/week/:week, with every paper) and their own feed (/feed/weekly.xml); the daily
 * list and feeds stay daily, so a paper is not announced twice in one feed.
 */
import { loadTopicMap } from '../../topics/load-topic-map.js';
import type { Context, Hono } from 'hono';
import { Feed } from 'feed';
import { formatDate } from '../../render/format-date.js';
import { plural } from '../../plural.js';
import { toSafeUrl } from '../../to-safe-url.js';
import type { ArchivedIssue } from '../create-issue-archive.js';
import { isWeeklyIssue } from '../../issue/issue-audience.js';
import { weeklyEdition } from '../../issue/prepare-weekly-issue.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { escapeText, renderIssueContent, renderPaperItem } from '../views/render-issue-content.js';
import { renderIssuePage } from '../views/render-issue-page.js';
import { renderHtml as h } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { notFoundPage } from '../views/render-status-page.js';
import { mountPageCache } from '../cache/mount-page-cache.js';

/** Issues in a feed: about a month of daily issues. */
export const FEED_ISSUES = 30;

const ATOM = 'application/atom+xml; charset=utf-8';
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
const issueDate = (i: ArchivedIssue) => new Date(i.sentAt ?? i.createdAt);

/** Adds the routes to `hono`. */
export function mountArchiveRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { publicUrl } = ctx.app.config;
  // Rendered pages are kept and served with an ETag (web/cache/): each frozen issue's page is made once.
  mountPageCache(hono, ctx.pages);
  const publicCache = (c: Context<WebEnv>) => c.header('Cache-Control', 'public, max-age=300');
  /** Published daily issues, newest first. */
  const daily = async () => (await ctx.archive.published()).filter((i) => !isWeeklyIssue(i.id));
  /** Published weekly issues, newest first. */
  const weekly = async () => (await ctx.archive.published()).filter((i) => isWeeklyIssue(i.id)).sort((a, b) => b.id.localeCompare(a.id));
  const weekLabel = (i: ArchivedIssue) => weeklyEdition(publicUrl, i.id).dateLabel;

  /** Themes that have appeared in published issues, by id, with their newest label. */
  const themeIndex = (issues: ArchivedIssue[]) => {
    const themes = new Map<string, { id: string; label: string; issues: number }>();
    for (const issue of issues) {
      for (const t of issue.compiled.themes) {
        const known = themes.get(t.id);
        if (known) known.issues++;
        else themes.set(t.id, { id: t.id, label: t.label, issues: 1 });
      }
    }
    return [...themes.values()];
  };

  hono.get('/archive', async (c) => {
    const issues = await daily();
    const weeks = await weekly();
    const themes = themeIndex(issues.slice(0, FEED_ISSUES)).sort((a, b) => b.issues - a.issues || a.label.localeCompare(b.label));
    const body = h`<h1>Archive</h1>
${issues.length === 0 ? h`<p>No issue has gone out yet.</p>` : ''}
<ul class="papers">
${issues.map((i) => h`<li><a href="/archive/${i.id}">${formatDate(i.id, 'long') || i.id}</a><br>${i.compiled.subject}<br><span class="muted">${plural(i.compiled.paperCount, 'paper')} in ${plural(i.compiled.themes.length, 'section')}</span></li>`)}
</ul>
${weeks.length > 0 ? h`<h2>Weekly issues</h2>
<ul class="papers">
${weeks.map((i) => h`<li><a href="/archive/week/${i.id}">${weekLabel(i)}</a> <span class="muted">(${i.id})</span><br>${i.compiled.subject}<br><span class="muted">${plural(i.compiled.paperCount, 'paper')} in ${plural(i.compiled.themes.length, 'section')}</span></li>`)}
</ul>` : ''}
<h2>Feeds</h2>
<p><a href="/feed.xml">Every issue</a> (Atom).</p>
<p><a href="/feed/weekly.xml">Weekly issues</a> (Atom): the week's best papers, once a week.</p>
${themes.length > 0 ? h`<h3>One topic each</h3><ul>${themes.map((t) => h`<li><a href="/topics/${t.id}/feed.xml">${t.label}</a></li>`)}</ul>` : ''}`;
    publicCache(c);
    return c.html(
      renderLayout({
        title: 'Archive',
        body,
        head: h`<link rel="alternate" type="application/atom+xml" title="paperpost: every issue" href="/feed.xml"><link rel="alternate" type="application/atom+xml" title="paperpost: weekly issues" href="/feed/weekly.xml">`,
      }),
    );
  });

  hono.get('/archive/:date', async (c) => {
    const date = c.req.param('date');
    if (!isDate(date)) return notFoundPage(c);
    const issue = (await ctx.archive.published()).find((i) => i.id === date);
    if (!issue) return notFoundPage(c);
    publicCache(c);
    // A web page for whoever opens it, with every paper (also those an email trimmed to stay
    // under Gmail's clip line left to this page): not the email, whose footer speaks to a subscriber.
    return c.html(renderIssuePage(issue.compiled, publicUrl));
  });

  // A weekly issue's page: every paper of its week, as the weekly email's "View in browser" opens it.
  hono.get('/archive/week/:week', async (c) => {
    const week = c.req.param('week');
    if (!isWeeklyIssue(week)) return notFoundPage(c);
    const issue = (await weekly()).find((i) => i.id === week);
    if (!issue) return notFoundPage(c);
    publicCache(c);
    return c.html(renderIssuePage(issue.compiled, publicUrl, { edition: weeklyEdition(publicUrl, week) }));
  });

  /** An Atom feed of `issues`, newest first, each linking to its archive page (`webOf`). */
  const issueFeed = (c: Context<WebEnv>, head: { id: string; title: string; description: string; self: string }, issues: ArchivedIssue[], webOf: (id: string) => string) => {
    const feed = new Feed({
      id: head.id,
      title: head.title,
      description: head.description,
      link: `${publicUrl}/archive`,
      feedLinks: { atom: head.self },
      updated: issues[0] ? issueDate(issues[0]) : new Date(0),
      generator: 'paperpost',
    });
    for (const issue of issues) {
      const web = toSafeUrl(webOf(issue.id))!;
      feed.addItem({
        title: escapeText(issue.compiled.subject),
        id: web,
        link: web,
        date: issueDate(issue),
        description: escapeText(issue.compiled.preheader),
        content: String(renderIssueContent(issue.compiled.themes, { webUrl: web })),
      });
    }
    publicCache(c);
    c.set('policy', 'feed');
    return c.body(feed.atom1(), 200, { 'Content-Type': ATOM });
  };

  hono.get('/feed/weekly.xml', async (c) => {
    const self = `${publicUrl}/feed/weekly.xml`;
    const head = { id: self, title: 'paperpost weekly', description: "The week's best machine-learning papers, grouped by topic", self };
    return issueFeed(c, head, (await weekly()).slice(0, FEED_ISSUES), (id) => `${publicUrl}/archive/week/${id}`);
  });

  hono.get('/feed.xml', async (c) => {
    const head = { id: `${publicUrl}/archive`, title: 'paperpost', description: 'Trending machine-learning papers, grouped by topic', self: `${publicUrl}/feed.xml` };
    return issueFeed(c, head, (await daily()).slice(0, FEED_ISSUES), (id) => `${publicUrl}/archive/${id}`);
  });

  // Feeds had theme URLs before topics; their ids are topic ids now, so old subscriptions follow.
  hono.get('/themes/:themeId/feed.xml', (c) => c.redirect(`/topics/${encodeURIComponent(c.req.param('themeId'))}/feed.xml`, 301));

  hono.get('/topics/:themeId/feed.xml', async (c) => {
    const themeId = c.req.param('themeId');
    if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(themeId)) return notFoundPage(c);
    const issues = (await daily()).slice(0, FEED_ISSUES);
    const seen = new Set<string>();
    let label: string | null = null;
    const entries: { title: string; id: string; link: string; date: Date; content: string }[] = [];
    for (const issue of issues) {
      const theme = issue.compiled.themes.find((t) => t.id === themeId);
      if (!theme) continue;
      label ??= theme.label;
      const web = toSafeUrl(`${publicUrl}/archive/${issue.id}`)!;
      for (const paper of theme.papers) {
        // A paper trending on several days stays one entry, at its newest issue.
        if (seen.has(paper.id)) continue;
        seen.add(paper.id);
        const link = toSafeUrl(paper.url) ?? web;
        entries.push({
          title: escapeText(paper.title),
          id: toSafeUrl(`${web}#paper-${encodeURIComponent(paper.id)}`) ?? web,
          link,
          date: issueDate(issue),
          content: String(h`<ul>${renderPaperItem(paper)}</ul><p>In <a href="${web}">the issue of ${formatDate(issue.id, 'long') || issue.id}</a>.</p>`),
        });
      }
    }
    // A topic of the map has its feed whether or not it had papers lately: the URL is stable.
    if (ctx.app.config.topicsFile !== null) {
      const topic = loadTopicMap(ctx.app.config.topicsFile, { themesFile: ctx.app.config.themesFile }).topics.find((t) => t.id === themeId);
      if (topic) label = topic.label;
    }
    if (label === null) return notFoundPage(c);
    const self = toSafeUrl(`${publicUrl}/topics/${themeId}/feed.xml`)!;
    const feed = new Feed({
      id: self,
      title: `paperpost: ${label}`,
      description: `Trending machine-learning papers in the topic "${label}"`,
      link: `${publicUrl}/archive`,
      feedLinks: { atom: self },
      updated: entries[0]?.date ?? new Date(0),
      generator: 'paperpost',
    });
    for (const e of entries) feed.addItem(e);
    publicCache(c);
    c.set('policy', 'feed');
    return c.body(feed.atom1(), 200, { 'Content-Type': ATOM });
  });
}
