/**
 * The view model of an issue: what the templates of the email, its text part and the web page
 * of an issue see. Every string is cleaned and capped here, once, so no template has to think
 * about untrusted data beyond printing it escaped.
 */
import { isWeekId } from '../iso-week.js';
import type { ThemedDigest } from '../types.js';
import { buildPaperView, displayTitle, paperSearchUrl, upvotesLabel, type PaperView } from './build-paper-view.js';
import { cleanText } from './clean-text.js';
import { formatDate } from './format-date.js';
import { toSafeUrl } from '../to-safe-url.js';
import { truncateWords } from './truncate-words.js';

export type { PaperView } from './build-paper-view.js';

/** A paper from an earlier issue that is still trending (the scheduler supplies these). */
export interface StillTrendingPaper {
  title: string;
  url: string | null;
  upvotesThen: number | null;
  upvotesNow: number | null;
}

/** How much of the digest an issue shows; compileIssue shrinks this until the HTML fits. */
export interface IssueShape {
  /** Papers shown per theme; the rest get an "N more on the web" link. */
  maxPapersPerTheme: number;
  /** Themes shown; the rest are listed by name with a link to the web version. */
  maxThemes: number;
}

/**
 * An issue that is not one day's (a weekly issue, `2026-W49`): its own id, web page and date
 * line, in place of those the digest date gives.
 */
export interface IssueEdition {
  id: string;
  webUrl: string;
  /** The header's date line ("Week of December 7, 2026"). */
  dateLabel: string;
  shortDate: string;
}

/** One theme section. `key` is safe as an HTML id, a URL fragment and a Handlebars string. */
export interface ThemeView {
  key: string;
  id: string;
  label: string;
  keywords: string[];
  other: boolean;
  /** A small line under the heading ("new today", "3rd day running"), or null. */
  status: string | null;
  paperCount: number;
  /** Summed upvotes of its papers (0 when the source has none). */
  interest: number;
  shownCount: number;
  moreCount: number;
  moreUrl: string;
  papers: PaperView[];
}

/** The first-pass data of an issue. */
export interface IssueView {
  issue: {
    id: string;
    date: string | null;
    dateLabel: string;
    shortDate: string;
    paperCount: number;
    shownPaperCount: number;
    themeCount: number;
    webUrl: string;
    publicUrl: string;
    /** A weekly issue (its id is an ISO week): the footer says "a weekly digest", its web page links the weekly feed. */
    weekly: boolean;
  };
  themes: ThemeView[];
  hiddenThemes: { key: string; label: string; paperCount: number }[];
  hiddenPaperCount: number;
  stillTrending: { title: string; url: string | null; titleUrl: string | null; upvotesLabel: string }[];
}

/** Display limits for untrusted text, in characters. */
const MAX_LABEL = 60;
const MAX_STATUS = 80;

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Unique keys that are safe everywhere a key goes (id attribute, #fragment, Handlebars string).
 * An id starts with a letter (a topic id such as "3d-vision" becomes "topic-3d-vision"): the
 * anchors of the email and of the web page are the same keys, and an id that starts with a
 * digit cannot be used as a CSS selector.
 */
function themeKeys(ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.map((id, i) => {
    let key = /^[a-z][a-z0-9-]{0,63}$/.test(id) ? id : /^[0-9][a-z0-9-]{0,57}$/.test(id) ? `topic-${id}` : `theme-${i + 1}`;
    if (seen.has(key)) key = `${key}-${i + 1}`;
    seen.add(key);
    return key;
  });
}

/**
 * Builds the first-pass template data of an issue: cleans and caps every untrusted string,
 * keeps only http(s) URLs, works out TL;DRs and author lines, and applies `shape` (top papers
 * per theme, number of themes). Themes without papers are left out.
 */
export function buildIssueView(
  themed: ThemedDigest,
  options: { publicUrl: string; shape: IssueShape; stillTrending?: StillTrendingPaper[]; themeStatus?: Record<string, string>; edition?: IssueEdition },
): IssueView {
  const id = typeof themed.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(themed.date) && formatDate(themed.date) ? themed.date : null;
  const edition = options.edition;
  const issueId = edition?.id ?? id ?? 'undated';
  const webUrl = edition?.webUrl ?? `${options.publicUrl}/archive/${issueId}`;
  const themes = themed.themes.filter((theme) => theme.papers.length > 0);
  const keys = themeKeys(themes.map((theme) => String(theme.id ?? '').toLowerCase()));
  const all: ThemeView[] = themes.map((theme, i) => {
    const key = keys[i]!;
    const shown = theme.papers.slice(0, Math.max(1, options.shape.maxPapersPerTheme));
    const status = cleanText(options.themeStatus?.[theme.id]);
    return {
      key,
      id: cleanText(theme.id),
      label: truncateWords(cleanText(theme.label), MAX_LABEL) || `Theme ${i + 1}`,
      keywords: (theme.keywords ?? []).map((k) => cleanText(k)).filter(Boolean),
      other: theme.other === true,
      status: status ? truncateWords(status, MAX_STATUS) : null,
      paperCount: theme.papers.length,
      interest: theme.papers.reduce((n, p) => n + (typeof p.upvotes === 'number' && Number.isFinite(p.upvotes) ? p.upvotes : 0), 0),
      shownCount: shown.length,
      moreCount: theme.papers.length - shown.length,
      moreUrl: `${webUrl}#${key}`,
      papers: shown.map((p, k) => buildPaperView(p, k + 1, shown.length)),
    };
  });
  const visible = all.slice(0, Math.max(1, options.shape.maxThemes));
  const hidden = all.slice(visible.length);
  const paperCount = all.reduce((n, t) => n + t.paperCount, 0);
  return {
    issue: {
      id: issueId,
      date: id,
      dateLabel: edition?.dateLabel ?? formatDate(id, 'long'),
      shortDate: edition?.shortDate ?? formatDate(id, 'short'),
      paperCount,
      shownPaperCount: visible.reduce((n, t) => n + t.shownCount, 0),
      themeCount: all.length,
      webUrl,
      publicUrl: options.publicUrl,
      weekly: isWeekId(issueId),
    },
    themes: visible,
    hiddenThemes: hidden.map((t) => ({ key: t.key, label: t.label, paperCount: t.paperCount })),
    hiddenPaperCount: hidden.reduce((n, t) => n + t.paperCount, 0),
    stillTrending: (options.stillTrending ?? [])
      .map((p) => {
        const then = typeof p.upvotesThen === 'number' && Number.isFinite(p.upvotesThen) ? p.upvotesThen : null;
        const now = typeof p.upvotesNow === 'number' && Number.isFinite(p.upvotesNow) ? p.upvotesNow : null;
        const url = toSafeUrl(p.url);
        return {
          title: displayTitle(p.title),
          url,
          titleUrl: url ?? paperSearchUrl(p.title),
          upvotesLabel: then !== null && now !== null && then !== now ? `${numberFormat.format(then)} → ${upvotesLabel(now)}` : upvotesLabel(now ?? then),
        };
      })
      .filter((p) => p.title !== ''),
  };
}
