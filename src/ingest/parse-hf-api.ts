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
  const field = (obj: Json, objPath: string, key: string) => ({ value: obj[key], path: jsonPath(objPath, key), present: key in obj && obj[key] !== null });
  const str = (obj: Json, objPath: string, key: string): string | null => {
    const f = field(obj, objPath, key);
    if (typeof f.value === 'string') return f.value;
    if (f.present) ctx.warn(where(f.path), `expected a string, got ${describeValue(f.value)}; ignored`);
    return null;
  };
  const date = (obj: Json, objPath: string, key: string): string | null => {
    const raw = str(obj, objPath, key);
    if (raw === null) return null;
    const iso = toIsoDate(raw);
    if (iso === null) ctx.warn(where(jsonPath(objPath, key)), `expected a date, got ${describeValue(raw)}; ignored`);
    return iso;
  };
  const outer = paper === item ? null : item;

  const title = (typeof paper.title === 'string' && paper.title.trim() !== '' ? paper.title : null) ?? (outer && typeof outer.title === 'string' ? outer.title : null);
  if (title === null || title.trim() === '') {
    const titlePath = jsonPath(paperPath, 'title');
    ctx.warn(where(titlePath), `expected a string (the paper's title), got ${describeValue(paper.title)}; skipped`);
    return { paper: null, dailyDate: null };
  }

  let id: string | null = null;
  const rawId = paper.id;
  if (typeof rawId === 'string' && rawId.trim() !== '') {
    id = toArxivId(rawId) ?? rawId.trim();
  } else if (rawId !== undefined) {
    ctx.warn(where(jsonPath(paperPath, 'id')), `expected a string, got ${describeValue(rawId)}; used a slug of the title`);
  }

  let abstract = str(paper, paperPath, 'summary');
  // Older and single-paper responses: the abstract is only (or also) at the top level.
  if ((abstract === null || abstract.trim() === '') && outer) abstract = str(outer, path, 'summary') ?? abstract;

  let authors: string[] = [];
  let authorCount: number | null = null;
  const authorsField = field(paper, paperPath, 'authors');
  if (Array.isArray(authorsField.value)) {
    authorCount = authorsField.value.length;
    authors = [];
    authorsField.value.forEach((author, i) => {
      const name = isObject(author) ? author.name : author;
      if (typeof name === 'string') authors.push(name);
      else ctx.warn(where(jsonPath(jsonPath(authorsField.path, i), 'name')), `expected a string, got ${describeValue(name)}; ignored`);
    });
  } else if (authorsField.present) {
    ctx.warn(where(authorsField.path), `expected an array, got ${describeValue(authorsField.value)}; ignored`);
  }

  const publishedAt = date(paper, paperPath, 'publishedAt') ?? (outer ? date(outer, path, 'publishedAt') : null);

  let upvotes: number | null = null;
  const upvotesField = field(paper, paperPath, 'upvotes');
  if (typeof upvotesField.value === 'number' && Number.isSafeInteger(upvotesField.value) && upvotesField.value >= 0) {
    upvotes = upvotesField.value;
  } else if (upvotesField.present) {
    ctx.warn(where(upvotesField.path), `expected a whole number, got ${describeValue(upvotesField.value)}; ignored`);
  }

  const keywords: string[] = [];
  const keywordsField = field(paper, paperPath, 'ai_keywords');
  if (Array.isArray(keywordsField.value)) {
    keywordsField.value.forEach((keyword, i) => {
      if (typeof keyword === 'string') keywords.push(keyword);
      else ctx.warn(where(jsonPath(keywordsField.path, i)), `expected a string, got ${describeValue(keyword)}; ignored`);
    });
  } else if (keywordsField.present) {
    ctx.warn(where(keywordsField.path), `expected an array, got ${describeValue(keywordsField.value)}; ignored`);
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
