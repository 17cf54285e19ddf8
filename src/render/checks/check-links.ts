/**
 * The link check: every link a reader can follow must be absolute and well-formed, over
 * https:. A link over http: is a warning (it works, but mail clients and readers distrust it,
 * and it leaks the token in unsubscribe links); so is one that points at this machine
 * (PUBLIC_URL left at 127.0.0.1) or an in-page link (#id) with no target. Anything else that is
 * not an absolute https:, http: or mailto: link (a relative path, javascript:, a URL with
 * spaces) is an error. Problems of one kind are one line, with a count and a few examples.
 */
import type { CheckLevel, CheckProblem, CopyUnderCheck } from './check-problem.js';
import { listCopyLinks, type CopyLink } from './list-copy-links.js';
import { scanTags } from './scan-html.js';

const EXAMPLES = 3;

const isLoopback = (host: string) => {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === '0.0.0.0';
};

/** What is wrong with one link, or null: the level, and a key that groups links with the same problem. */
function judge(link: CopyLink, anchors: ReadonlySet<string>): { level: CheckLevel; what: string } | null {
  const url = link.url.trim();
  if (url === '') return { level: 'error', what: 'empty links' };
  if (url.startsWith('#')) {
    if (link.where !== 'HTML') return { level: 'error', what: 'links that are not absolute https: links' };
    return anchors.has(decodeURIComponent(url.slice(1))) ? null : { level: 'warning', what: 'in-page links with no element of that id' };
  }
  if (/^mailto:/i.test(url)) return /^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(url) ? null : { level: 'error', what: 'malformed mailto: links' };
  if (/\s/.test(url) || !URL.canParse(url)) {
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? { level: 'error', what: 'links that are not well-formed URLs' } : { level: 'error', what: 'links that are not absolute https: links' };
  }
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { level: 'error', what: 'links that are not absolute https: links' };
  if (parsed.hostname === '') return { level: 'error', what: 'links that are not well-formed URLs' };
  if (isLoopback(parsed.hostname)) return { level: 'warning', what: `links to this machine (${parsed.origin}), which readers cannot open (PUBLIC_URL?)` };
  if (parsed.protocol === 'http:') return { level: 'warning', what: `links over http: (${parsed.origin}), not https:` };
  return null;
}

/** Problems with the links of a copy, one line per kind of problem. */
export function checkLinks(copy: Pick<CopyUnderCheck, 'html' | 'text'>): CheckProblem[] {
  const anchors = new Set<string>();
  for (const tag of scanTags(copy.html)) {
    for (const name of ['id', 'name']) if (tag.attrs.get(name)) anchors.add(tag.attrs.get(name)!);
  }
  const groups = new Map<string, { level: CheckLevel; what: string; urls: string[] }>();
  for (const link of listCopyLinks(copy)) {
    const problem = judge(link, anchors);
    if (!problem) continue;
    const key = `${problem.level} ${problem.what}`;
    const group = groups.get(key) ?? { ...problem, urls: [] };
    groups.set(key, group);
    const shown = link.url === '' ? `(empty, in the ${link.where})` : link.url;
    if (!group.urls.includes(shown)) group.urls.push(shown);
  }
  return [...groups.values()].map((g) => {
    const examples = g.urls.slice(0, EXAMPLES).map((u) => (u.length > 100 ? `${u.slice(0, 97)}...` : u));
    const more = g.urls.length > EXAMPLES ? `, and ${g.urls.length - EXAMPLES} more` : '';
    return { level: g.level, check: 'links', message: `${g.what} (${g.urls.length}): ${examples.join(', ')}${more}` };
  });
}
