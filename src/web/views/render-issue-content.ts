/**
 * An issue as plain, reader-friendly HTML: a heading per theme and a list of its papers
 * (title linked, authors, TL;DR or the start of the abstract). Feed readers get this rather
 * than the email's table layout. Every value is escaped, and URLs pass toSafeUrl, so the
 * result never contains "]]>" and is safe in the CDATA of an Atom entry.
 */
import { formatAuthors } from '../../render/format-authors.js';
import { toSafeUrl } from '../../to-safe-url.js';
import { truncateWords } from '../../render/truncate-words.js';
import type { Paper, Theme } from '../../types.js';
import { renderHtml as h, type Html } from './render-html.js';

/** One paper as a list item. */
export function renderPaperItem(paper: Paper): Html {
  const url = toSafeUrl(paper.url);
  const code = toSafeUrl(paper.codeUrl);
  const authors = formatAuthors(paper.authors, paper.authorCount);
  const gist = paper.summary ?? truncateWords(paper.abstract, 400);
  return h`<li>${url ? h`<a href="${url}"><strong>${paper.title}</strong></a>` : h`<strong>${paper.title}</strong>`}${authors ? h`<br>${authors}` : ''}${gist ? h`<br>${gist}` : ''}${code ? h` <a href="${code}">Code</a>` : ''}</li>`;
}

/** The themes of an issue, each as a heading and a list. */
export function renderIssueContent(themes: Theme[], options: { webUrl?: string } = {}): Html {
  const web = toSafeUrl(options.webUrl);
  return h`${themes
    .filter((t) => t.papers.length > 0)
    .map((t) => h`<h2>${t.label}</h2><ul>${t.papers.map(renderPaperItem)}</ul>`)}${web ? h`<p><a href="${web}">Read this issue on the web</a></p>` : ''}`;
}

/** Plain text as HTML-escaped text (for Atom titles, which are typed html). */
export function escapeText(text: string): string {
  return String(h`${text}`);
}
