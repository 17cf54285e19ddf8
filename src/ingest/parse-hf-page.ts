/**
 * The Hugging Face papers page copied as text. Each paper is a title line, an abstract
 * paragraph and a meta block ("• 7 authors", "·", "Nov 19 3" = date and upvotes); the
 * abstract and the meta block may be missing. Page chrome (header, footer, the page's own
 * date) is skipped. There are no ids in the text, so ids are slugs of the titles.
 *
 * Only text with the page's structure is read: a paper is a title (with letters in it) and
 * an abstract or an authors/date line, and the page has at least one authors/date line.
 * Anything else (an error page, a login page, a rate-limit message saved as text) is not a
 * digest, and says so with the line where reading stopped, rather than becoming an issue
 * with one paper called "nothing trending today".
 */
import type { ParseContext, ParsedDigest, ParsedPaper } from './parse-context.js';
import { contentError, quote } from './parse-context.js';
import { buildPaper } from './build-paper.js';
import { dateInName, todayUtc, ymd } from './to-iso-date.js';

const MONTHS = new Map<string, number>(
  [
    ['jan', 1], ['january', 1], ['feb', 2], ['february', 2], ['mar', 3], ['march', 3], ['apr', 4], ['april', 4],
    ['may', 5], ['jun', 6], ['june', 6], ['jul', 7], ['july', 7], ['aug', 8], ['august', 8], ['sep', 9],
    ['sept', 9], ['september', 9], ['oct', 10], ['october', 10], ['nov', 11], ['november', 11], ['dec', 12],
    ['december', 12],
  ],
);

/** Lines of page chrome, lowercased: never a paper. */
const CHROME = new Set([
  'new', 'get trending papers in your email inbox!', 'subscribe', 'daily papers', 'byak and the research community',
  'trending papers', 'daily', 'weekly', 'monthly', 'search', 'submit', 'submit a paper', 'previous', 'next',
  'load more', 'show more', 'view all', 'hugging face', 'models', 'datasets', 'spaces', 'community', 'docs',
  'enterprise', 'pricing', 'log in', 'login', 'sign up', 'system theme', 'company', 'website', 'tos', 'privacy',
  'about', 'jobs', 'blog', 'learn', 'forum', 'discord', 'github', 'twitter', 'linkedin', 'status',
]);
const CHROME_PATTERNS = [/^©/, /^page \d+( of \d+)?$/i, /^\d{4}-\d{2}-\d{2} daily papers$/i];

const AUTHORS = /^(\d{1,5})\s+authors?$/i;
const DATE = /^(?:published\s+on\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d+(?:\.\d+)?)\s*([kK])?)?$/;
const COUNT = /^(\d+(?:\.\d+)?)\s*([kK])?$/;

interface PageDate {
  month: number;
  day: number;
  year: number | null;
}

interface Para {
  kind: 'para';
  line: number;
  lines: string[];
  /** The lines joined, once the paragraph is complete. */
  text?: string;
}

interface Meta {
  kind: 'meta';
  line: number;
  authorCount: number | null;
  date: PageDate | null;
  dateLine: number;
  upvotes: number | null;
}

type Item = Para | Meta;

/** Parses the papers-page text; the digest date is --date, else the file name's, else the page header's. */
export function parseHfPage(text: string, ctx: ParseContext): ParsedDigest {
  const items = readItems(text.split('\n'));
  const at = (line: number) => `${ctx.name}:${line}`;
  if (!items.some((item) => item.kind === 'meta' && (item.authorCount !== null || item.upvotes !== null))) {
    const first = items.find((item) => item.kind === 'para');
    throw contentError(
      first ? at(first.line) : ctx.name,
      `no papers found: the text has no authors/date line ("• 7 authors", "Nov 19 3"), so it is not a Hugging Face papers page${first ? ` (it reads ${quote(joined(first as Para), 40)})` : ''}`,
      'save the papers page (huggingface.co/papers) as text again, or pass --format if it is another kind of digest',
    );
  }

  // The page header's date comes before the first paper; it only has a month and a day.
  let header: Meta | null = null;
  const entries: Array<{ title: Para; abstract: Para | null; meta: Meta | null }> = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'meta') {
      if (entries.length === 0 && header === null && item.date !== null && item.authorCount === null) {
        header = item;
      } else {
        ctx.warn(at(item.line), 'an authors/date line with no paper title before it; ignored');
      }
      continue;
    }
    // No title is 300 characters long: this is an abstract whose title is missing.
    if (item.lines[0]!.length > 300) {
      ctx.warn(at(item.line), `a paragraph that looks like an abstract has no title before it; skipped (${quote(joined(item), 40)})`);
      if (items[i + 1]?.kind === 'meta') i++;
      continue;
    }
    let abstract: Para | null = null;
    const next = items[i + 1];
    if (next?.kind === 'para' && looksLikeAbstract(next)) {
      abstract = next;
      i++;
    }
    let meta: Meta | null = null;
    const after = items[i + 1];
    if (after?.kind === 'meta') {
      meta = after;
      i++;
    }
    // A paper has a title with words in it, and an abstract or an authors/date line.
    if (!/\p{L}{2}/u.test(item.lines[0]!) || /^[[\]{}<]/.test(item.lines[0]!) || (!abstract && !meta && item.lines.length === 1)) {
      ctx.warn(at(item.line), `${quote(joined(item), 40)} has neither an abstract nor an authors/date line, so it is not read as a paper; skipped`);
      continue;
    }
    entries.push({ title: item, abstract, meta });
  }

  // The page's own date (its file name, its header); --date is for a page that gives none (parse-digest.ts).
  const date = dateInName(ctx.name) ?? (header ? headerDate(header.date!, ctx.now) : null);
  const reference = date ?? ctx.date ?? todayUtc(ctx.now);
  const papers: ParsedPaper[] = [];
  for (const { title, abstract, meta } of entries) {
    let titleText = joined(title);
    let abstractText = abstract ? joined(abstract) : '';
    if (!abstract && title.lines.length > 1) {
      // No blank line between title and abstract: the first line is the title.
      titleText = title.lines[0]!;
      abstractText = title.lines.slice(1).join(' ');
    }
    let publishedAt: string | null = null;
    if (meta?.date) {
      publishedAt = resolveDate(meta.date, reference);
      if (publishedAt === null) ctx.warn(at(meta.dateLine), 'not a real date; publishedAt left empty');
    }
    const position = at(title.line);
    const paper = buildPaper(
      {
        title: titleText,
        abstract: abstractText,
        authorCount: meta?.authorCount ?? null,
        publishedAt,
        upvotes: meta?.upvotes ?? null,
      },
      position,
      ctx,
    );
    if (paper) papers.push({ paper, position });
  }
  return { date, papers, noun: 'papers on the page' };
}

function readItems(lines: string[]): Item[] {
  const items: Item[] = [];
  let para: Para | null = null;
  let lastMeta: Meta | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const lineNo = i + 1;
    if (line === '') {
      para = null;
      continue;
    }
    if (isChrome(line)) {
      para = null;
      continue;
    }
    const meta = readMetaLine(line);
    if (meta) {
      para = null;
      const previous = items[items.length - 1];
      const target = previous?.kind === 'meta' ? previous : null;
      if (
        target &&
        (meta.authorCount === null || target.authorCount === null) &&
        (meta.date === null || target.date === null)
      ) {
        target.authorCount ??= meta.authorCount;
        if (meta.date) {
          target.date = meta.date;
          target.dateLine = lineNo;
          target.upvotes = meta.upvotes;
        }
        lastMeta = target;
      } else if (meta.authorCount !== null || meta.date !== null) {
        lastMeta = { kind: 'meta', line: lineNo, dateLine: lineNo, ...meta };
        items.push(lastMeta);
      }
      continue;
    }
    // An upvote count on its own line right after a date line.
    const count = COUNT.exec(line);
    if (count && !para && lastMeta && lastMeta === items[items.length - 1] && lastMeta.date && lastMeta.upvotes === null && lastMeta.dateLine === lineNo - 1) {
      lastMeta.upvotes = toCount(count[1]!, count[2]);
      continue;
    }
    if (para) {
      para.lines.push(line);
    } else {
      para = { kind: 'para', line: lineNo, lines: [line] };
      items.push(para);
    }
  }
  return items;
}

function isChrome(line: string): boolean {
  if (line.length > 48) return false;
  return CHROME.has(line.toLowerCase()) || CHROME_PATTERNS.some((re) => re.test(line));
}

/** Reads "• 7 authors", "·", "Nov 19 3", "Dec 25, 2022" or a combination joined by bullets. */
function readMetaLine(line: string): Omit<Meta, 'kind' | 'line' | 'dateLine'> | null {
  if (!/^[•·]|^\d+\s+authors?\b|^[A-Za-z]{3,9}\.?\s+\d|^published on/i.test(line)) return null;
  const meta: Omit<Meta, 'kind' | 'line' | 'dateLine'> = { authorCount: null, date: null, upvotes: null };
  for (const rawPart of line.split(/[•·]/)) {
    const part = rawPart.trim();
    if (part === '') continue;
    const authors = AUTHORS.exec(part);
    if (authors && meta.authorCount === null) {
      meta.authorCount = Number(authors[1]);
      continue;
    }
    const date = DATE.exec(part);
    const month = date ? MONTHS.get(date[1]!.toLowerCase()) : undefined;
    if (date && month !== undefined && meta.date === null) {
      meta.date = { month, day: Number(date[2]), year: date[3] ? Number(date[3]) : null };
      if (date[4] !== undefined) meta.upvotes = toCount(date[4], date[5]);
      continue;
    }
    return null;
  }
  return meta;
}

function toCount(digits: string, k: string | undefined): number {
  return Math.round(Number(digits) * (k ? 1000 : 1));
}

function joined(para: Para): string {
  para.text ??= para.lines.length === 1 ? para.lines[0]! : para.lines.join(' ');
  return para.text;
}

/** Titles are short and rarely end with a full stop; abstracts are neither. */
function looksLikeAbstract(para: Para): boolean {
  const text = joined(para);
  return para.lines.length > 2 || text.length > 250 || /\.["')\]]?$/.test(text);
}

/**
 * A year-less page date is in the digest's year, unless that would put it after the digest
 * date (a December paper on a January page): then it is in the year before.
 */
function resolveDate(date: PageDate, reference: string): string | null {
  if (date.year !== null) return ymd(date.year, date.month, date.day);
  const year = Number(reference.slice(0, 4));
  const same = ymd(year, date.month, date.day);
  if (same !== null && same <= reference) return same;
  return ymd(year - 1, date.month, date.day) ?? same;
}

/** The header's "Dec 11" in the latest year that does not put it in the future. */
function headerDate(date: PageDate, now: Date): string | null {
  if (date.year !== null) return ymd(date.year, date.month, date.day);
  return resolveDate(date, todayUtc(now));
}
