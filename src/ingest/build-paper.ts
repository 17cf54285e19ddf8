/**
 * The last step of every format parser: turns what a source says about a paper into a
 * normalized Paper, with keys in the documented order, and reports what it had to drop.
 */
import type { Paper } from '../types.js';
import { findCodeUrl } from './find-code-url.js';
import { latexToUnicode } from './latex-to-unicode.js';
import { toSafeUrl } from '../to-safe-url.js';
import { normalizeText } from './normalize-text.js';
import { quote, type ParseContext } from './parse-context.js';
import { slugifyTitle } from './slugify-title.js';
import { isIsoDate } from './to-iso-date.js';

/** A paper as a parser read it, before normalization. Missing fields default to empty. */
export interface PaperDraft {
  /** The source's id (an arXiv id where known); absent or blank → a slug of the title. */
  id?: string | null;
  title: string;
  abstract?: string | null;
  summary?: string | null;
  authors?: readonly string[];
  authorCount?: number | null;
  publishedAt?: string | null;
  upvotes?: number | null;
  url?: string | null;
  codeUrl?: string | null;
  keywords?: readonly string[];
  /** Look for a GitHub link in the abstract when there is no codeUrl (default true). */
  codeFromAbstract?: boolean;
}

/** Normalized text with its LaTeX made readable (see latexToUnicode); plain text is unchanged. */
function cleanText(text: string): string {
  const normalized = normalizeText(text);
  const unicode = latexToUnicode(normalized);
  return unicode === normalized ? normalized : normalizeText(unicode);
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Normalizes `draft` (read at `position`) into a Paper; null, with a warning, when it has
 * no title. Non-http(s) links are dropped with a warning.
 */
export function buildPaper(draft: PaperDraft, position: string, ctx: ParseContext): Paper | null {
  // Every source's title, abstract, summary and keywords lose their LaTeX here.
  const rawTitle = normalizeText(draft.title);
  const title = cleanText(rawTitle);
  if (title === '') {
    ctx.warn(position, 'the paper has no title; skipped');
    return null;
  }
  const abstract = cleanText(draft.abstract ?? '');
  const summary = draft.summary == null ? null : cleanText(draft.summary) || null;
  const authors: string[] = [];
  for (const name of draft.authors ?? []) {
    const clean = normalizeText(name);
    if (clean !== '') authors.push(clean);
  }
  const link = (value: string | null | undefined, field: string): string | null => {
    if (value == null || value.trim() === '') return null;
    const url = toSafeUrl(value);
    if (url === null) ctx.warn(position, `${field} ${quote(value)} is not an http(s) URL; dropped`);
    return url;
  };
  const url = link(draft.url, 'url');
  let codeUrl = link(draft.codeUrl, 'codeUrl');
  if (codeUrl === null && draft.codeFromAbstract !== false) codeUrl = findCodeUrl(abstract);
  const keywords: string[] = [];
  const seen = new Set<string>();
  for (const keyword of draft.keywords ?? []) {
    const clean = cleanText(keyword);
    const key = clean.toLowerCase();
    if (clean === '' || seen.has(key)) continue;
    seen.add(key);
    keywords.push(clean);
  }
  const id = draft.id == null ? '' : normalizeText(draft.id);
  return {
    // The slug comes from the title as the source wrote it, so ids made before LaTeX was
    // converted stay the same.
    id: id === '' ? slugifyTitle(rawTitle) : id,
    title,
    abstract,
    summary,
    authors,
    // No paper has zero authors: an empty list means the source does not say.
    authorCount: isCount(draft.authorCount) && draft.authorCount > 0 ? draft.authorCount : null,
    publishedAt: draft.publishedAt != null && isIsoDate(draft.publishedAt) ? draft.publishedAt : null,
    upvotes: isCount(draft.upvotes) ? draft.upvotes : null,
    url,
    codeUrl,
    keywords,
  };
}
