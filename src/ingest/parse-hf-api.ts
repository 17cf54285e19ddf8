/**
 * Hugging Face API JSON: the /api/daily_papers list ({ paper, title, publishedAt, … } per
 * item) or a single /api/papers/<id> object. Fields come and go between years (ai_summary,
 * ai_keywords, githubRepo, submittedOnDailyAt, the top-level summary), and older responses
 * keep arXiv hard wraps in paper.title and paper.summary; all of that is tolerated. A field
 * of the wrong type is a warning naming its JSON path; an item without a title is skipped
 * with one.
 */
import { buildPaper } from './build-paper.js';
import { contentError, describeValue, jsonPath, type ParseContext, type ParsedDigest, type ParsedPaper } from './parse-context.js';
import { parseJsonText } from './parse-json-text.js';
import { toArxivId } from './to-arxiv-id.js';
import { toIsoDate } from './to-iso-date.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Parses Hugging Face API JSON (`json` when the caller already parsed `text`). */
export function parseHfApi(text: string, ctx: ParseContext, json: unknown = parseJsonText(text, ctx.name)): ParsedDigest {
  let items: Array<{ item: Json; path: string }>;
  let single = false;
  if (Array.isArray(json)) {
    items = [];
    json.forEach((item, i) => {
      const path = jsonPath('$', i);
      if (isObject(item)) items.push({ item, path });
      else ctx.warn(`${ctx.name} ${path}`, `expected a daily-papers item (an object), got ${describeValue(item)}; skipped`);
    });
  } else if (isObject(json)) {
    single = !('paper' in json);
    items = [{ item: json, path: '$' }];
  } else {
    throw contentError(`${ctx.name} $`, `expected a list of daily papers (an array) or a paper object, got ${describeValue(json)}`);
  }

  const papers: ParsedPaper[] = [];
  const dailyDates: string[] = [];
  for (const { item, path } of items) {
    const read = readItem(item, path, single, ctx);
    if (read.paper) papers.push({ paper: read.paper, position: `${ctx.name} ${path}` });
    if (read.dailyDate) dailyDates.push(read.dailyDate);
  }
  return { date: mostCommon(dailyDates), papers, noun: 'papers in the list' };
}

function readItem(item: Json, path: string, single: boolean, ctx: ParseContext) {
  const where = (p: string) => `${ctx.name} ${p}`;
  let paper: Json;
  let paperPath: string;
  if (single || (!('paper' in item) && ('id' in item || 'title' in item))) {
    paper = item;
    paperPath = path;
  } else if (isObject(item.paper)) {
    paper = item.paper;
    paperPath = jsonPath(path, 'paper');
  } else {
    ctx.warn(where(jsonPath(path, 'paper')), `expected an object, got ${describeValue(item.paper)}; skipped`);
    return { paper: null, dailyDate: null };
  }
  // Paths are only built when a warning needs one: this runs for every field of every item.
  const wrongType = (objPath: string, key: string | number, expected: string, value: unknown, outcome = 'ignored') =>
    ctx.warn(where(jsonPath(objPath, key)), `expected ${expected}, got ${describeValue(value)}; ${outcome}`);
  const str = (obj: Json, objPath: string, key: string): string | null => {
    const value = obj[key];
    if (typeof value === 'string') return value;
    if (value != null) wrongType(objPath, key, 'a string', value);
    return null;
  };
  const date = (obj: Json, objPath: string, key: string): string | null => {
    const raw = str(obj, objPath, key);
    if (raw === null) return null;
    const iso = toIsoDate(raw);
    if (iso === null) wrongType(objPath, key, 'a date', raw);
    return iso;
  };
  const outer = paper === item ? null : item;

  const title = (typeof paper.title === 'string' && paper.title.trim() !== '' ? paper.title : null) ?? (outer && typeof outer.title === 'string' ? outer.title : null);
  if (title === null || title.trim() === '') {
    wrongType(paperPath, 'title', "a string (the paper's title)", paper.title, 'skipped');
    return { paper: null, dailyDate: null };
  }

  let id: string | null = null;
  const rawId = paper.id;
  if (typeof rawId === 'string' && rawId.trim() !== '') {
    id = toArxivId(rawId) ?? rawId.trim();
  } else if (rawId !== undefined) {
    wrongType(paperPath, 'id', 'a string', rawId, 'used a slug of the title');
  }

  let abstract = str(paper, paperPath, 'summary');
  // Older and single-paper responses: the abstract is only (or also) at the top level.
  if ((abstract === null || abstract.trim() === '') && outer) abstract = str(outer, path, 'summary') ?? abstract;

  const authors: string[] = [];
  let authorCount: number | null = null;
  const rawAuthors = paper.authors;
  if (Array.isArray(rawAuthors)) {
    authorCount = rawAuthors.length;
    rawAuthors.forEach((author: unknown, i) => {
      const name = isObject(author) ? author.name : author;
      if (typeof name === 'string') authors.push(name);
      else wrongType(jsonPath(jsonPath(paperPath, 'authors'), i), 'name', 'a string', name);
    });
  } else if (rawAuthors != null) {
    wrongType(paperPath, 'authors', 'an array', rawAuthors);
  }

  const publishedAt = date(paper, paperPath, 'publishedAt') ?? (outer ? date(outer, path, 'publishedAt') : null);

  let upvotes: number | null = null;
  const rawUpvotes = paper.upvotes;
  if (typeof rawUpvotes === 'number' && Number.isSafeInteger(rawUpvotes) && rawUpvotes >= 0) upvotes = rawUpvotes;
  else if (rawUpvotes != null) wrongType(paperPath, 'upvotes', 'a whole number', rawUpvotes);

  const keywords: string[] = [];
  const rawKeywords = paper.ai_keywords;
  if (Array.isArray(rawKeywords)) {
    rawKeywords.forEach((keyword: unknown, i) => {
      if (typeof keyword === 'string') keywords.push(keyword);
      else wrongType(jsonPath(paperPath, 'ai_keywords'), i, 'a string', keyword);
    });
  } else if (rawKeywords != null) {
    wrongType(paperPath, 'ai_keywords', 'an array', rawKeywords);
  }

  // The day it was on the daily list: submittedOnDailyAt, else (older responses) the item's publishedAt.
  const dailyDate = date(paper, paperPath, 'submittedOnDailyAt') ?? (outer ? toIsoDate(outer.publishedAt) : null);

  const built = buildPaper(
    {
      id,
      title,
      abstract,
      summary: str(paper, paperPath, 'ai_summary'),
      authors,
      authorCount,
      publishedAt,
      upvotes,
      url: id === null ? null : `https://huggingface.co/papers/${toArxivId(id) === id ? id : encodeURIComponent(id)}`,
      codeUrl: str(paper, paperPath, 'githubRepo'),
      keywords,
    },
    where(paperPath),
    ctx,
  );
  return { paper: built, dailyDate };
}

/** The most frequent value (the latest among equals), or null for none. */
function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && value > best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
