/**
 * One paper as every reader-facing output shows it (the email, its text part, the web page of
 * an issue, the feeds): cleaned and capped text, the TL;DR, an author line, and the links a
 * reader expects: the paper's page, arXiv and its PDF when the id is an arXiv id, and the code.
 * Paper data is untrusted: every URL here is http(s) or absent, and arXiv URLs are built only
 * from an id that passes arxivLinks' check.
 */
import type { Paper } from '../types.js';
import { arxivLinks } from './arxiv-links.js';
import { cleanText } from './clean-text.js';
import { formatAuthors } from './format-authors.js';
import { formatDate } from './format-date.js';
import { makeTldr } from './make-tldr.js';
import { plural } from '../plural.js';
import { toSafeUrl } from '../to-safe-url.js';
import { truncateWords } from './truncate-words.js';

/** A link under a paper: `label` names it ("arXiv"), `text` is what the HTML link says. */
export interface PaperLink {
  label: 'Paper page' | 'arXiv' | 'PDF' | 'Code';
  url: string;
  text: string;
}

/** One paper card as the templates see it: every string cleaned, every URL http(s) or null. */
export interface PaperView {
  id: string;
  rank: number;
  /** "7." for the plain-text list, padded so that every item of a section lines up (" 7." beside "12."). */
  marker: string;
  /** Spaces as wide as the marker and its space: continuation lines of the item start here. */
  indent: string;
  title: string;
  /** The paper's own page, or null when the digest has no http(s) link for it (or only a search). */
  url: string | null;
  /** Where the title links: `url`, else arXiv, else a Hugging Face papers search for the title (null only if none fits). */
  titleUrl: string | null;
  /** The search of `titleUrl` when the paper has neither a page nor an arXiv id (the text part prints it), else null. */
  findUrl: string | null;
  tldr: string;
  authors: string;
  authorList: string[];
  publishedAt: string | null;
  dateLabel: string;
  upvotes: number | null;
  upvotesLabel: string;
  /** The validated arXiv id, or null. */
  arxivId: string | null;
  arxivUrl: string | null;
  pdfUrl: string | null;
  codeUrl: string | null;
  /** "github.com/owner/repo": link text that says where it goes. */
  codeLabel: string;
  /** Paper page, arXiv, PDF and code, whichever exist, in that order. */
  links: PaperLink[];
  /** Authors, date and upvotes, whichever are known, for a "·"-separated line. */
  metaParts: string[];
  /** The same line as plain text, for the text part. */
  meta: string;
}

/** Display limit of a title, in characters. */
const MAX_TITLE = 300;

// A lone surrogate makes encodeURIComponent throw; titles are untrusted, so it becomes U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** "12 upvotes", "1 upvote", or '' when unknown. */
export const upvotesLabel = (n: number | null): string => (typeof n === 'number' && Number.isFinite(n) ? plural(n, 'upvote') : '');

/** A title as readers see it: cleaned and capped (ingest has already made its LaTeX readable). */
export const displayTitle = (title: string | null | undefined): string => truncateWords(cleanText(title), MAX_TITLE);

/**
 * A Hugging Face papers search for a title, for papers whose digest has no link (the papers page
 * saved as text has none): readers expect a title to be clickable. Built only by encoding the
 * title into a fixed https URL, then checked like any other URL (so an absurdly long title gets
 * no link rather than a 10 KB one). Null for an empty title: searching for nothing finds nothing.
 */
export function paperSearchUrl(title: string): string | null {
  const query = truncateWords(cleanText(title), MAX_TITLE, '').replace(LONE_SURROGATE, '\uFFFD');
  if (query === '') return null;
  return toSafeUrl(`https://huggingface.co/papers?q=${encodeURIComponent(query)}`);
}

function codeLabel(url: string): string {
  const u = new URL(url);
  return truncateWords(`${u.hostname.replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`, 60);
}

/** True when `url` is the arXiv abstract page of `id` (any version): the arXiv link already says it. */
function isArxivPage(url: string, id: string): boolean {
  const u = new URL(url);
  return /^(?:www\.|export\.)?arxiv\.org$/.test(u.hostname) && u.pathname.replace(/v\d+$/, '').replace(/\/+$/, '') === `/abs/${id}`;
}

/** A Hugging Face papers search ("?q=title") is where to look for a paper, not its page. */
function isSearch(url: string): boolean {
  const u = new URL(url);
  return u.hostname === 'huggingface.co' && u.pathname.replace(/\/+$/, '') === '/papers' && u.searchParams.has('q');
}

/**
 * The view of `paper`, numbered `rank` in a list whose largest number is `lastRank`:
 * 1. clean and cap the text, work out the TL;DR (makeTldr, as `digest --json` does) and meta line;
 * 2. keep only http(s) URLs; build arXiv and PDF links from a validated arXiv id;
 * 3. list the links, leaving out a paper page that is the arXiv page itself.
 */
export function buildPaperView(paper: Paper, rank = 1, lastRank = rank): PaperView {
  const given = toSafeUrl(paper.url);
  const url = given && !isSearch(given) ? given : null;
  const code = toSafeUrl(paper.codeUrl);
  const arxiv = arxivLinks(paper.id);
  const publishedAt = typeof paper.publishedAt === 'string' && formatDate(paper.publishedAt) !== '' ? paper.publishedAt.slice(0, 10) : null;
  const authorList = Array.isArray(paper.authors) ? paper.authors : [];
  const authors = formatAuthors(authorList, paper.authorCount ?? null);
  const up = typeof paper.upvotes === 'number' && Number.isFinite(paper.upvotes) ? paper.upvotes : null;
  const metaParts = [authors, formatDate(publishedAt), upvotesLabel(up)].filter((s) => s !== '');
  const codeText = code ? codeLabel(code) : '';
  const links: PaperLink[] = [];
  if (url && !(arxiv && isArxivPage(url, arxiv.id))) links.push({ label: 'Paper page', url, text: 'Paper page' });
  if (arxiv) links.push({ label: 'arXiv', url: arxiv.abs, text: 'arXiv' }, { label: 'PDF', url: arxiv.pdf, text: 'PDF' });
  if (code) links.push({ label: 'Code', url: code, text: `Code: ${codeText}` });
  const search = url ?? arxiv ? null : (given ?? paperSearchUrl(paper.title));
  const width = String(Math.max(rank, lastRank)).length;
  return {
    id: cleanText(paper.id),
    rank,
    marker: `${rank}.`.padStart(width + 1),
    indent: ' '.repeat(width + 2),
    title: displayTitle(paper.title) || 'Untitled paper',
    url,
    titleUrl: url ?? arxiv?.abs ?? search,
    findUrl: url ?? arxiv ? null : search,
    tldr: makeTldr({ summary: paper.summary ?? null, abstract: paper.abstract ?? '' }),
    authors,
    authorList: authorList.map((a) => cleanText(a)).filter(Boolean),
    publishedAt,
    dateLabel: formatDate(publishedAt),
    upvotes: up,
    upvotesLabel: upvotesLabel(up),
    arxivId: arxiv?.id ?? null,
    arxivUrl: arxiv?.abs ?? null,
    pdfUrl: arxiv?.pdf ?? null,
    codeUrl: code,
    codeLabel: codeText,
    links,
    metaParts,
    meta: metaParts.join(' · '),
  };
}
