/**
 * arXiv feeds: the API's Atom feed (export.arxiv.org/api/query), the daily RSS 2.0 feed
 * (rss.arxiv.org, "arXiv:2501.01234v1 Announce Type: new Abstract: …" descriptions, authors
 * as one comma-separated dc:creator) and the older RSS 1.0 (RDF) feed. Ids lose their
 * version suffix; url is the abs page; arXiv has no upvotes.
 */
import { createRequire } from 'node:module';
import type * as Fxp from 'fast-xml-parser';
import { buildPaper } from './build-paper.js';
import { findCodeUrl } from './find-code-url.js';
import { contentError, type ParseContext, type ParsedDigest, type ParsedPaper } from './parse-context.js';
import { toArxivId } from './to-arxiv-id.js';
import { toIsoDate } from './to-iso-date.js';

type Node = Record<string | symbol, unknown>;

const ARRAYS = new Set(['entry', 'item', 'author', 'link', 'category', 'dc:creator']);
// The XML parser (CommonJS) is loaded with the first feed, not by every command that reads a digest (start-up, issue #23).
let fxp: typeof Fxp | undefined;
const xml = () => (fxp ??= createRequire(import.meta.url)('fast-xml-parser') as typeof Fxp);
const HTML_TAG = /<\/?(?:p|a|br|i|b|em|strong|span|div|sub|sup)\b[^>]*>/gi;
const ANNOUNCE = /^\s*arXiv:(\S+)\s+Announce Type:\s*(\S+)\s*(?:Abstract:\s*)?/i;

/** Parses an arXiv Atom or RSS feed; the digest date is the feed's date (UTC). */
export function parseArxivFeed(text: string, ctx: ParseContext): ParsedDigest {
  const { XMLParser, XMLValidator } = xml();
  const META = XMLParser.getMetaDataSymbol() as symbol;
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw contentError(`${ctx.name}:${valid.err.line}`, `malformed XML: ${valid.err.msg}`, 'fix the feed (a truncated download?)');
  }
  let doc: Node;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      htmlEntities: true,
      captureMetaData: true,
      isArray: (name) => ARRAYS.has(name),
    }).parse(text) as Node;
  } catch (error) {
    throw contentError(ctx.name, `malformed XML: ${error instanceof Error ? error.message : String(error)}`, 'fix the feed');
  }
  const lineOf = lineFinder(text);
  const positionOf = (node: unknown, fallback: string) => {
    const start = isNode(node) ? (node[META] as { startIndex?: number } | undefined)?.startIndex : undefined;
    return start === undefined ? `${ctx.name} ${fallback}` : `${ctx.name}:${lineOf(start)}`;
  };

  const feed = child(doc, 'feed');
  if (isNode(feed)) return readAtom(feed, ctx, positionOf);
  const rss = child(doc, 'rss');
  if (isNode(rss)) {
    const channel = child(rss, 'channel');
    if (!isNode(channel)) throw contentError(ctx.name, 'an RSS feed without a <channel>', 'check that this is an arXiv RSS feed');
    const date = toIsoDate(text1(channel.pubDate)) ?? toIsoDate(text1(channel.lastBuildDate));
    return { date, papers: readRssItems(list(channel.item), ctx, positionOf), noun: 'entries in the feed' };
  }
  const rdf = child(doc, 'RDF');
  if (isNode(rdf)) {
    const channel = child(rdf, 'channel');
    const date = isNode(channel) ? toIsoDate(text1(channel['dc:date'])) : null;
    return { date, papers: readRssItems(list(rdf.item), ctx, positionOf), noun: 'entries in the feed' };
  }
  throw contentError(ctx.name, 'XML, but not an Atom or RSS feed', 'give an arXiv API (Atom) or RSS feed');
}

function readAtom(feed: Node, ctx: ParseContext, positionOf: (node: unknown, fallback: string) => string): ParsedDigest {
  const entries = list(feed.entry);
  const first = entries[0];
  if (entries.length === 1 && isNode(first) && /arxiv\.org\/api\/errors/i.test(text1(first.id))) {
    throw contentError(ctx.name, `the arXiv API returned an error: ${text1(first.summary) || text1(first.title)}`, 'fix the query in the URL');
  }
  const papers: ParsedPaper[] = [];
  entries.forEach((entry, i) => {
    const position = positionOf(entry, `entry ${i + 1}`);
    if (!isNode(entry)) {
      ctx.warn(position, 'an empty <entry>; skipped');
      return;
    }
    const links = list(entry.link).filter(isNode);
    const alternate = links.find((l) => l['@_rel'] === 'alternate' || l['@_rel'] === undefined);
    const id = toArxivId(text1(entry.id)) ?? toArxivId(text1(alternate?.['@_href']));
    const abstract = text1(entry.summary);
    const authors = list(entry.author).map((a) => (isNode(a) ? text1(a.name) : text1(a)));
    const paper = buildPaper(
      {
        id,
        title: text1(entry.title),
        abstract,
        authors,
        authorCount: authors.length,
        publishedAt: toIsoDate(text1(entry.published)) ?? toIsoDate(text1(entry.updated)),
        url: id ? `https://arxiv.org/abs/${id}` : text1(alternate?.['@_href']) || null,
        codeUrl: findCodeUrl(abstract) ?? findCodeUrl(text1(entry['arxiv:comment'])),
      },
      position,
      ctx,
    );
    if (paper) papers.push({ paper, position });
  });
  return { date: toIsoDate(text1(feed.updated)), papers, noun: 'entries in the feed' };
}

function readRssItems(items: unknown[], ctx: ParseContext, positionOf: (node: unknown, fallback: string) => string): ParsedPaper[] {
  const papers: ParsedPaper[] = [];
  items.forEach((item, i) => {
    const position = positionOf(item, `item ${i + 1}`);
    if (!isNode(item)) {
      ctx.warn(position, 'an empty <item>; skipped');
      return;
    }
    let description = text1(item.description).replace(HTML_TAG, ' ');
    const announce = ANNOUNCE.exec(description);
    if (announce) description = description.slice(announce[0].length);
    else description = description.replace(/^\s*Abstract:\s*/i, '');
    const announceType = text1(item['arxiv:announce_type']) || (announce?.[2] ?? '');
    const id =
      toArxivId(text1(item.guid)) ?? toArxivId(text1(item.link)) ?? (announce ? toArxivId(announce[1]!) : null) ?? toArxivId(text1(item['@_rdf:about']));
    const authors = list(item['dc:creator']).flatMap((c) => splitAuthors(text1(c).replace(HTML_TAG, '')));
    const link = text1(item.link);
    const paper = buildPaper(
      {
        id,
        title: text1(item.title),
        abstract: description,
        authors,
        authorCount: authors.length > 0 ? authors.length : null,
        // A replacement is announced today but was published earlier, on a day the feed does not give.
        publishedAt: /^replace/i.test(announceType) ? null : (toIsoDate(text1(item.pubDate)) ?? toIsoDate(text1(item['dc:date']))),
        url: id ? `https://arxiv.org/abs/${id}` : link || null,
      },
      position,
      ctx,
    );
    if (paper) papers.push({ paper, position });
  });
  return papers;
}

/** "A, B, and C" / "A and B" → names. */
function splitAuthors(value: string): string[] {
  const parts = value.split(/\s*,\s*/).map((p) => p.replace(/^and\s+/i, '').trim());
  if (parts.length === 1 && / and /i.test(parts[0]!)) return parts[0]!.split(/\s+and\s+/i);
  return parts.filter((p) => p !== '');
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The child element with local name `name` (any namespace prefix). */
function child(node: Node, name: string): unknown {
  if (name in node) return node[name];
  const key = Object.keys(node).find((k) => k.slice(k.indexOf(':') + 1) === name);
  return key === undefined ? undefined : node[key];
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of an element (or of the first of several), '' when it has none. */
function text1(value: unknown): string {
  if (Array.isArray(value)) return text1(value[0]);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isNode(value)) return text1(value['#text']);
  return '';
}

function lineFinder(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
