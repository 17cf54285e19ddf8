import { beforeAll, describe, expect, it } from 'vitest';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue, type RenderedMessage } from '../../src/render/personalize-issue.js';
import { inspectHtml } from './support/inspect-html.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';
import { HOSTILE, makeHostileDigest } from './support/make-hostile-digest.js';
import { validateEmailHtml } from './support/validate-email-html.js';

let compiled: CompiledIssue;
let copy: RenderedMessage;
beforeAll(async () => {
  compiled = await compileIssue(makeHostileDigest(), {
    templatesDir: TEMPLATES_DIR,
    publicUrl: 'https://paperpost.example.org',
    themeStatus: { long: '<i onclick="x()">new</i>\r\ntoday' },
    stillTrending: [{ title: HOSTILE.imgBreakout, url: 'javascript:alert(6)', upvotesThen: null, upvotesNow: 3 }],
  });
  copy = personalizeIssue(compiled, makeRecipient({ name: HOSTILE.script }))!;
});

describe('hostile paper fields', () => {
  it('produce no script, no event handler, no image and no non-http link', () => {
    const doc = inspectHtml(copy.html);
    expect(doc.tags).not.toContain('script');
    expect(doc.tags).not.toContain('img');
    expect(doc.tags).not.toContain('i');
    expect(doc.tags).not.toContain('b');
    expect(doc.attributes.filter((a) => a.name.startsWith('on'))).toEqual([]);
    for (const href of doc.hrefs) expect(href).toMatch(/^(https?:\/\/[^\s"'<>]+|#[a-z0-9-]+)$/);
    expect(doc.attributes.filter((a) => /javascript:|vbscript:|data:/i.test(a.value))).toEqual([]);
  });

  it('keep the markup valid (nothing broken out of its element or attribute)', async () => {
    expect(await validateEmailHtml(copy.html)).toEqual([]);
  });

  it('show as text, exactly once per place they appear', () => {
    const doc = inspectHtml(copy.html);
    const titles = doc.textOf('h3');
    expect(titles).toContain(HOSTILE.script);
    expect(titles).toContain(HOSTILE.imgBreakout);
    expect(titles).toContain('Line one Bcc: victim@example.org Subject: hacked');
    expect(titles).toContain(HOSTILE.emoji);
    expect(titles).toContain(HOSTILE.rtl);
    expect(titles).toContain(HOSTILE.handlebars);
    expect(doc.textOf('h2')).toContain('<script>alert("label")</script>');
    // Paper text is printed as text in the per-subscriber pass, never run as Handlebars.
    expect(copy.text).toContain(HOSTILE.handlebars);
    expect(copy.html.match(/ada@example\.org/g)).toHaveLength(1);
    expect(copy.text.match(/ada@example\.org/g)).toHaveLength(1);
  });

  it('link only http(s) URLs, percent-encoded, and link a title search instead of the refused ones', () => {
    const doc = inspectHtml(copy.html);
    // A quote in an http URL is encoded, so it stays inside the attribute.
    expect(doc.hrefs).toContain('https://example.org/%22onmouseover=%22alert(4)');
    expect(doc.hrefs.filter((h) => h.includes('evil.example'))).toEqual([]);
    // Each hostile title appears twice: once with its refused URL replaced by a search for the
    // title (which decodes back to exactly the title), once with its own link.
    const linked = doc.textOf('a');
    expect(linked.filter((t) => t === HOSTILE.script)).toHaveLength(2);
    expect(linked.filter((t) => t === HOSTILE.imgBreakout)).toHaveLength(3);
    expect(doc.textOf('h3').filter((t) => t === HOSTILE.script)).toHaveLength(2);
    const searched = doc.hrefs.filter((h) => h.startsWith('https://huggingface.co/papers?q=')).map((h) => new URL(h).searchParams.get('q'));
    expect(searched).toEqual(expect.arrayContaining([HOSTILE.script, HOSTILE.imgBreakout, 'Line one Bcc: victim@example.org Subject: hacked']));
    expect(searched.filter((q) => q === HOSTILE.script)).toHaveLength(1);
    expect(doc.hrefs).toContain('https://github.com/x/%7B%7Brecipient.email%7D%7D');
  });

  it('cap 5,000-character titles and labels, and keep RTL text readable', () => {
    const doc = inspectHtml(copy.html);
    for (const title of doc.textOf('h3')) expect([...title].length).toBeLessThanOrEqual(300);
    expect(doc.attributes.filter((a) => a.tag === 'h3' && a.name === 'dir').length).toBe(doc.textOf('h3').length);
    expect(copy.html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(copy.html).not.toContain('A'.repeat(301));
    expect(compiled.htmlBytes).toBeLessThan(90_000);
  });

  it('give a one-line subject of at most 150 characters, and no control characters anywhere', () => {
    for (const message of [copy, personalizeIssue(compiled, makeRecipient({ themes: [compiled.sections[1]!.label] }))]) {
      expect(message).not.toBeNull();
      const { subject, preheader, text, html } = message!;
      expect(subject).not.toMatch(/[\r\n]/);
      expect([...subject].length).toBeLessThanOrEqual(150);
      expect(preheader).not.toMatch(/[\r\n]/);
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      // eslint-disable-next-line no-control-regex
      expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    }
    expect(copy.subject, copy.subject).toMatch(/^Trending papers, Dec 11: \d+ papers on <script>alert\("label"\)<\/script>/);
    expect([...copy.subject].length).toBeLessThanOrEqual(78);
  });
});

describe('long theme labels in the subject', () => {
  it('are each cut at a word boundary, so the subject stays one readable line', async () => {
    const digest = loadThemedFixture('themed-hf-api-2026-08-03.json');
    digest.themes[0]!.label = 'Extremely Long Theme '.repeat(4).trim();
    digest.themes[1]!.label = 'Another Long Label '.repeat(6).trim();
    const compiled = await compileIssue(digest, { templatesDir: TEMPLATES_DIR, publicUrl: 'https://paperpost.example.org' });
    // Neither label fits beside the date and the count: the first is cut at a word, "and more" kept.
    expect(compiled.subject).toBe('Trending papers, Aug 3: 3 papers on Extremely Long Theme Extremely… and more');
    expect([...compiled.subject].length).toBeLessThanOrEqual(78);
  });
});
