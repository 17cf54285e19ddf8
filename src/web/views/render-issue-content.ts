/**
 * An issue as plain, reader-friendly HTML: a heading per theme and a list of its papers
 * (title linked, authors, the TL;DR the email shows, and the paper page, arXiv, PDF and code
 * links). Feed readers get this rather than the email's table layout. Every value is escaped,
 * and URLs are the render stage's checked ones, so the result never contains "]]>" and is
 * safe in the CDATA of an Atom entry.
 */
import { buildPaperView } from '../../render/build-paper-view.js';
import { plural } from '../../plural.js';
import { toSafeUrl } from '../../to-safe-url.js';
import type { Paper, Theme } from '../../types.js';
import { renderHtml as h, type Html } from './render-html.js';

/** One paper as a list item. */
export function renderPaperItem(paper: Paper): Html {
  const v = buildPaperView(paper);
  const title = v.titleUrl ? h`<a href="${v.titleUrl}"><strong>${v.title}</strong></a>` : h`<strong>${v.title}</strong>`;
  const links = v.links.map((l, i) => h`${i > 0 ? ' · ' : ''}<a href="${l.url}">${l.text}</a>`);
  return h`<li>${title}${v.authors ? h`<br>${v.authors}` : ''}${v.tldr ? h`<br>${v.tldr}` : ''}${v.links.length > 0 ? h`<br>${links}` : ''}</li>`;
}

/** The themes of an issue, each as a heading and a list. */
export function renderIssueContent(themes: Theme[], options: { webUrl?: string } = {}): Html {
  const web = toSafeUrl(options.webUrl);
  return h`${themes
    .filter((t) => t.papers.length > 0)
    .map((t) => h`<h2>${t.label}</h2><p>${plural(t.papers.length, 'paper')}</p><ul>${t.papers.map(renderPaperItem)}</ul>`)}${web ? h`<p><a href="${web}">Read this issue on the web</a></p>` : ''}`;
}

/** Plain text as HTML-escaped text (for Atom titles, which are typed html). */
export function escapeText(text: string): string {
  return String(h`${text}`);
}
