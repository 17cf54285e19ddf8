/**
 * Every link a copy carries, where a reader (or their mail client) would follow it: the HTML's
 * <a href> and <area href>, its <img src>, and the URLs written out in the plain-text part. The
 * link checks judge each one's form (check-links.ts) and, with --check-links, fetch each
 * distinct one once (deliver/check-link-status.ts).
 */
import type { CopyUnderCheck } from './check-problem.js';
import { scanTags } from './scan-html.js';

/** One link, as written (decoded from HTML), and which part of the copy has it. */
export interface CopyLink {
  url: string;
  where: 'HTML' | 'image' | 'text';
}

/** A URL in plain text: a scheme and everything up to white space or a closing bracket or quote. */
const TEXT_URL = /\b(?:https?|mailto):[^\s<>"')\]]+/gi;

/** The links of a copy, in order, each once per part. */
export function listCopyLinks(copy: Pick<CopyUnderCheck, 'html' | 'text'>): CopyLink[] {
  const seen = new Set<string>();
  const links: CopyLink[] = [];
  const add = (url: string, where: CopyLink['where']) => {
    const key = `${where} ${url}`;
    if (seen.has(key)) return;
    seen.add(key);
    links.push({ url, where });
  };
  for (const tag of scanTags(copy.html)) {
    if ((tag.name === 'a' || tag.name === 'area') && tag.attrs.has('href')) add(tag.attrs.get('href')!, 'HTML');
    if (tag.name === 'img' && tag.attrs.has('src')) add(tag.attrs.get('src')!, 'image');
  }
  // A sentence's full stop or comma after a URL is not part of it.
  for (const m of copy.text.matchAll(TEXT_URL)) add(m[0].replace(/[.,;:!?]+$/, ''), 'text');
  return links;
}

/** The distinct http(s) URLs of a copy: what a live check fetches. */
export function fetchableLinks(copy: Pick<CopyUnderCheck, 'html' | 'text'>): string[] {
  return [...new Set(listCopyLinks(copy).map((l) => l.url.trim()).filter((u) => /^https?:\/\//i.test(u) && URL.canParse(u)))];
}
