/**
 * The archive and feeds over real HTTP, from an issue really sent (frozen, ledger filled)
 * by sendIssue to a real SMTP server: the web version carries nobody's token, hostile
 * paper titles stay text, and the Atom feeds are well-formed XML.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import { signToken } from '../../src/subscribers/sign-token.js';
import { SECRET_KEY, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

let f: WebFixture;
let issue: CompiledIssue;

beforeAll(async () => {
  f = await startWebFixture({ sentIssue: true, draft: true, subscribers: [{ email: 'one@example.org' }, { email: 'two@example.org', themes: ['Nothing Like This'] }] });
  issue = JSON.parse((await f.app.store().getIssue('2025-12-10'))!.frozen) as CompiledIssue;
});
afterAll(async () => {
  await f?.close();
});

const get = (path: string) => fetch(f.url + path, { redirect: 'manual' });

describe('archive', () => {
  it('lists sent issues only (not drafts)', async () => {
    const res = await get('/archive');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/archive/2025-12-10"');
    expect(html).not.toContain('2025-12-11');
    expect(html).toContain('href="/feed.xml"');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
  });

  it('serves the web version as a page of its own: no script, no subscriber token, no subscriber links', async () => {
    const res = await get('/archive/2025-12-10');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    for (const email of ['one@example.org', 'two@example.org']) {
      const s = (await f.app.store().getSubscriberByEmail(email))!;
      expect(html).not.toContain(signToken(SECRET_KEY, 'unsubscribe', s.id));
      expect(html).not.toContain(signToken(SECRET_KEY, 'preferences', s.id));
      expect(html).not.toContain(email);
    }
    expect(html).not.toMatch(/\/u\/[0-9a-z]+\.|\/p\/[0-9a-z]+\./);
    expect(html).not.toContain("<script>alert('x')");
    expect(html).toContain('&lt;script&gt;');
  });

  it('answers 404 for drafts, unknown dates and junk', async () => {
    for (const path of ['/archive/2025-12-11', '/archive/2024-01-01', '/archive/..%2f..%2fetc', '/archive/latest']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});

describe('feeds', () => {
  const parser = new XMLParser({ ignoreAttributes: false });

  it('/feed.xml is well-formed Atom with each issue and its content, hostile titles escaped', async () => {
    const res = await get('/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed;
    const entry = Array.isArray(feed.entry) ? feed.entry[0] : feed.entry;
    expect(entry.id).toBe(`${f.url}/archive/2025-12-10`);
    const content = String(entry.content['#text']);
    expect(content).toContain('KV Cache Compression for Long Context Language Models');
    // The hostile title reaches the reader's HTML parser as text, never as a tag.
    expect(content).toContain('&lt;script&gt;');
    expect(content).not.toContain('<script');
    expect(content).not.toContain('<img');
    expect(xml.split(']]>').length - 1).toBe((xml.match(/<!\[CDATA\[/g) ?? []).length);
  });

  it('has one feed per topic at a stable URL, with that topic\'s papers across issues', async () => {
    const theme = issue.themes.find((t) => !t.other && t.papers.length > 1)!;
    // The URLs from before topics lead there.
    const old = await get(`/themes/${theme.id}/feed.xml`);
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(`/topics/${theme.id}/feed.xml`);
    const res = await get(`/topics/${theme.id}/feed.xml`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed;
    const entries = Array.isArray(feed.entry) ? feed.entry : [feed.entry];
    expect(entries).toHaveLength(theme.papers.length);
    expect(String(feed.title)).toBe(`paperpost: ${theme.label}`);
    expect(entries.map((e: { link: { '@_href': string } }) => e.link['@_href']).sort()).toEqual(theme.papers.map((p) => p.url).sort());
  });

  it('answers 404 for an unknown topic, and an empty feed for a topic of the map without papers lately', async () => {
    expect((await get('/topics/no-such-theme/feed.xml')).status).toBe(404);
    expect((await get('/topics/..%2F/feed.xml')).status).toBe(404);
    const quiet = await get('/topics/math-theorem-proving/feed.xml');
    expect(quiet.status).toBe(200);
    expect(String(parser.parse(await quiet.text()).feed.title)).toBe('paperpost: Math & Theorem Proving');
  });
});

describe('the web version of a trimmed issue', () => {
  it('lists every paper, where the email showed only the top ones', async () => {
    const { compileIssue } = await import('../../src/render/compile-issue.js');
    const themes = issue.themes.map((t) => ({ ...t, papers: [...t.papers] }));
    // Many more papers than fit: the email must trim, the web version must not.
    const many = Array.from({ length: 60 }, (_, i) => ({ ...themes[0]!.papers[0]!, id: `extra-${i}`, title: `Extra paper number ${i} on a long-running topic` }));
    themes[0]!.papers.push(...many);
    const trimmed = await compileIssue({ date: '2025-12-09', source: 'test', themes }, { templatesDir: f.app.config.templatesDir, publicUrl: f.url, maxHtmlBytes: 40_000 });
    expect(trimmed.shownPaperCount).toBeLessThan(trimmed.paperCount);
    await f.app.store().freezeIssue('2025-12-09', JSON.stringify(trimmed));
    await f.app.store().markIssueSent('2025-12-09');
    const res = await get('/archive/2025-12-09');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (let i = 0; i < 60; i++) expect(html).toContain(`Extra paper number ${i} on a long-running topic`);
  });
});
