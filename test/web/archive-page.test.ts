/**
 * The web version of an issue (/archive/<date>) is a web page, not the email: the site header,
 * the whole issue with the links a reader expects, a call to subscribe, the archive and the
 * feeds, counts in words, and none of the email's subscriber footer or a link to itself.
 * Served from an issue really sent by sendIssue to a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'parse5';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import { startWebFixture, type WebFixture } from './support/start-web-fixture.js';

let f: WebFixture;
let issue: CompiledIssue;
let html: string;

beforeAll(async () => {
  f = await startWebFixture({ sentIssue: true, subscribers: [{ email: 'reader@example.org' }] });
  issue = JSON.parse((await f.app.store().getIssue('2025-12-10'))!.frozen) as CompiledIssue;
  html = await (await fetch(`${f.url}/archive/2025-12-10`)).text();
});
afterAll(async () => {
  await f?.close();
});

interface Node {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  value?: string;
}
const walk = (node: Node, out: Node[] = []): Node[] => {
  out.push(node);
  for (const child of node.childNodes ?? []) walk(child, out);
  return out;
};
const text = (node: Node): string => walk(node).filter((n) => n.nodeName === '#text').map((n) => n.value).join('');
const attr = (node: Node, name: string) => node.attrs?.find((a) => a.name === name)?.value;
const nodes = () => walk(parse(html) as unknown as Node);
const hrefs = () => nodes().filter((n) => n.nodeName === 'a').map((n) => attr(n, 'href')!);
const visibleText = () => text(nodes().find((n) => n.nodeName === 'body')!).replace(/\s+/g, ' ');

describe('the web version of an issue', () => {
  it('has the site header and one h1 naming the issue', () => {
    const all = nodes();
    expect(all.filter((n) => n.nodeName === 'header' && attr(n, 'class') === 'site')).toHaveLength(1);
    const h1 = all.filter((n) => n.nodeName === 'h1');
    expect(h1).toHaveLength(1);
    expect(text(h1[0]!)).toBe('Trending ML papers Wednesday, December 10, 2025');
    expect(html).toContain('<title>Trending ML papers, December 10, 2025 · paperpost</title>');
  });

  it('shows every theme and paper, with counts in words', () => {
    const body = visibleText();
    const papers = issue.themes.reduce((n, t) => n + t.papers.length, 0);
    expect(body).toContain(`${papers} papers in ${issue.themes.length} sections.`);
    for (const theme of issue.themes) {
      expect(body).toContain(theme.label);
      expect(body).toContain(`${theme.papers.length} ${theme.papers.length === 1 ? 'paper' : 'papers'}`);
    }
    expect(body).not.toMatch(/\b1 papers\b|\b1 sections\b|\(s\)/);
    const h3 = nodes().filter((n) => n.nodeName === 'h3');
    expect(h3).toHaveLength(papers);
  });

  it('links each paper to its page, arXiv and the PDF (built from the arXiv id), and its code', () => {
    const links = hrefs();
    const withId = issue.themes.flatMap((t) => t.papers).filter((p) => /^\d{4}\.\d{5}$/.test(p.id));
    expect(withId.length).toBeGreaterThan(0);
    for (const p of withId) {
      expect(links).toContain(`https://arxiv.org/abs/${p.id}`);
      expect(links).toContain(`https://arxiv.org/pdf/${p.id}`);
    }
    for (const p of issue.themes.flatMap((t) => t.papers)) if (p.codeUrl?.startsWith('https://github.com/')) expect(links).toContain(p.codeUrl);
  });

  it('asks the reader to subscribe and links the archive and the feeds', () => {
    const links = hrefs();
    expect(links).toContain('/subscribe');
    expect(links).toContain('/archive');
    expect(links).toContain('/feed.xml');
    const themed = issue.themes.filter((t) => /^[a-z0-9][a-z0-9-]*$/.test(t.id));
    for (const t of themed) expect(links).toContain(`/topics/${t.id}/feed.xml`);
    expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(nodes().filter((n) => n.nodeName === 'aside' && attr(n, 'class') === 'cta').length).toBeGreaterThan(0);
  });

  it('has no email footer, no subscriber links and no link to itself', () => {
    const body = visibleText();
    expect(body).not.toContain('You are getting this email');
    expect(body).not.toMatch(/Unsubscribe|Choose your topics|Read this issue on the web|View in browser/);
    const links = hrefs();
    expect(links.filter((h) => h.includes('/archive/2025-12-10'))).toEqual([]);
    expect(links.filter((h) => h.includes('/manage'))).toEqual([]);
  });

  it('is listed in the archive with its counts in words', async () => {
    const archive = await (await fetch(`${f.url}/archive`)).text();
    const papers = issue.themes.reduce((n, t) => n + t.papers.length, 0);
    expect(archive).toContain(`${papers} papers in ${issue.themes.length} sections`);
  });

  it('is what "View in browser" in the email opens', async () => {
    const email = (await f.app.store().getIssue('2025-12-10'))!;
    const compiled = JSON.parse(email.frozen) as CompiledIssue;
    expect(compiled.htmlTemplate).toMatch(new RegExp(`<a href="${f.url.replace(/[.:/]/g, '\\$&')}/archive/2025-12-10"[^>]*>View in browser</a>`));
  });
});
