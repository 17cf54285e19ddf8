/**
 * The web version of an issue (/archive/<date>), the page "View in browser" opens. Its reader
 * may be a subscriber, someone a link was forwarded to, or a search engine's visitor, so it is
 * a web page, not the email: the site header, the whole issue (every paper, also those the
 * email left out to stay small), a call to subscribe, and links to the archive and the feeds.
 * No "you are getting this email" footer, and no link to itself. Papers look as in the email
 * (the render stage's view: same TL;DR, same links); everything is escaped by renderHtml.
 */
import { buildIssueView, type IssueEdition, type PaperView, type ThemeView } from '../../render/build-issue-view.js';
import type { CompiledIssue } from '../../render/compile-issue.js';
import { plural } from '../../plural.js';
import { renderHtml as h, type Html } from './render-html.js';
import { renderLayout } from './render-layout.js';

/** Theme ids the per-theme feed route accepts (see mount-archive-routes). */
const FEED_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
/** Paper ids that make a safe, stable anchor (arXiv ids and title slugs). */
const ANCHOR_ID = /^[A-Za-z0-9][\w./-]{0,99}$/;

function renderPaper(paper: PaperView): Html {
  const title = paper.titleUrl ? h`<a href="${paper.titleUrl}">${paper.title}</a>` : paper.title;
  return h`<li class="paper"${ANCHOR_ID.test(paper.id) ? h` id="paper-${paper.id}"` : ''}>
<h3 dir="auto">${title}</h3>
${paper.tldr ? h`<p dir="auto">${paper.tldr}</p>` : ''}
${paper.meta ? h`<p class="muted meta">${paper.meta}</p>` : ''}
${paper.links.length > 0 ? h`<p class="links">${paper.links.map((l, i) => h`${i > 0 ? h`<span aria-hidden="true"> · </span>` : ''}<a href="${l.url}">${l.text}</a>`)}</p>` : ''}
</li>`;
}

function renderSection(theme: ThemeView): Html {
  return h`<section class="topic" aria-labelledby="${theme.key}">
<h2 id="${theme.key}" dir="auto">${theme.label}</h2>
<p class="muted">${plural(theme.paperCount, 'paper')}</p>
<ol class="paper-list">${theme.papers.map(renderPaper)}</ol>
</section>`;
}

/** The call to subscribe; `id` names its heading. No form here: the page is cached publicly, a form needs a fresh CSRF token. */
function renderCallToAction(id: string, heading: string, pitch: string): Html {
  return h`<aside class="cta" aria-labelledby="${id}">
<h2 id="${id}">${heading}</h2>
<p>${pitch}</p>
<p><a class="button" href="/subscribe">Subscribe to paperpost</a></p>
</aside>`;
}

/**
 * The whole page for `compiled`:
 * 1. build the render stage's view of every theme with every paper (no size limit on the web);
 * 2. heading, counts and a first call to subscribe;
 * 3. the table of contents and one section per theme;
 * 4. a second call to subscribe, then the archive and the feeds (a weekly issue's page the
 *    weekly feed first: /feed.xml has daily issues only; every issue, each theme's).
 */
export function renderIssuePage(compiled: CompiledIssue, publicUrl: string, options: { edition?: IssueEdition } = {}): Html {
  const themes = compiled.themes.filter((t) => t.papers.length > 0);
  const view = buildIssueView(
    { date: compiled.date, source: 'archive', themes },
    { publicUrl, shape: { maxPapersPerTheme: Math.max(1, ...themes.map((t) => t.papers.length)), maxThemes: Math.max(1, themes.length) }, edition: options.edition },
  );
  const { issue } = view;
  const title = issue.date ? `Trending ML papers, ${issue.dateLabel.replace(/^\w+, /, '')}` : 'Trending ML papers';
  const feeds = view.themes.filter((t) => FEED_ID.test(t.id));
  const body = h`<article class="issue" aria-labelledby="issue-title">
<header class="issue-head">
<h1 id="issue-title">Trending ML papers${issue.date ? h` <span class="h1-date">${issue.dateLabel}</span>` : ''}</h1>
<p class="muted">${plural(issue.paperCount, 'paper')} in ${plural(issue.themeCount, 'section')}.</p>
</header>
${issue.weekly
    ? renderCallToAction('cta-top', 'Get this in your inbox', "The week's best machine-learning papers, grouped by topic, in one email a week on the day you choose. Free, and every issue has a one-click unsubscribe link.")
    : renderCallToAction('cta-top', 'Get this in your inbox', "The day's trending machine-learning papers, grouped by topic, in one short email each morning. Free, and every issue has a one-click unsubscribe link.")}
<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title">In this issue</h2>
<ul>${view.themes.map((t) => h`<li><a href="#${t.key}" dir="auto">${t.label}</a> <span class="muted">· ${plural(t.paperCount, 'paper')}</span></li>`)}</ul>
</nav>
${view.themes.map(renderSection)}
</article>
${renderCallToAction('cta-bottom', 'Enjoyed this issue?', issue.weekly ? 'Get the next one in your inbox next week.' : 'Get the next one in your inbox tomorrow morning.')}
<nav class="more" aria-labelledby="more-title">
<h2 id="more-title">More from paperpost</h2>
<ul>
<li><a href="/archive">Every past issue</a></li>
${issue.weekly ? h`<li><a href="/feed/weekly.xml">Atom feed of the weekly issues</a></li>` : ''}
<li><a href="/feed.xml">Atom feed of every daily issue</a></li>
${feeds.length > 0 ? h`<li>Feeds of this issue's topics: ${feeds.map((t, i) => h`${i > 0 ? ', ' : ''}<a href="/topics/${t.id}/feed.xml" dir="auto">${t.label}</a>`)}</li>` : ''}
</ul>
</nav>`;
  return renderLayout({
    title,
    body,
    head: issue.weekly
      ? h`<link rel="alternate" type="application/atom+xml" title="paperpost: weekly issues" href="/feed/weekly.xml">`
      : h`<link rel="alternate" type="application/atom+xml" title="paperpost: every issue" href="/feed.xml">`,
  });
}
