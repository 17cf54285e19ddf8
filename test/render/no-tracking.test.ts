/**
 * No tracking (issue #20): a subscriber's copy, parsed as a mail app would (the HTML with
 * parse5, the text part line by line), has no image at all (so no open pixel) and no click
 * redirect. Every paper link goes straight to arXiv, Hugging Face or the code; every link to
 * paperpost itself is the web version of the issue, a section of it, or one of the reader's
 * own links; and two readers with the same plan get copies whose links differ only in their
 * feedback, preferences and unsubscribe links.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { copyRecipient } from '../../src/render/copy-recipient.js';
import { copyPapers } from '../../src/render/lay-out-copy.js';
import { buildPaperView } from '../../src/render/build-paper-view.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import type { ReaderPlan } from '../../src/picks/reader-plan.js';
import { inspectHtml } from './support/inspect-html.js';
import { loadThemedFixture, TEMPLATES_DIR } from './support/load-themed-fixture.js';

const publicUrl = 'https://paperpost.example.org';
const config = { publicUrl, secretKey: 'test-secret-key-0123456789abcdef' };
const now = new Date('2025-12-11T07:00:00Z');

let compiled: CompiledIssue;
let plan: ReaderPlan;
beforeAll(async () => {
  compiled = await compileIssue(loadThemedFixture('themed-2025-12-11.json'), { templatesDir: TEMPLATES_DIR, publicUrl, maxPapers: 30 });
  const ids = compiled.cards!.map((c) => c.id);
  plan = { picks: [ids[20]!, ids[3]!, ids[31]!].map((paperId, i) => ({ paperId, score: 3 - i, reason: 'you follow "knowledge distillation"' })), scores: new Map(ids.map((id, i) => [id, (i * 7) % 11])) };
});

const copyOf = (id: number) => personalizeIssue(compiled, copyRecipient(config, compiled, { id, email: `reader${id}@example.org`, name: 'Ada', themes: null, plan }, now))!;
const textLinks = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
/** Where a paper's own links may go: its page, arXiv, its PDF, its code, or a Hugging Face search for it. */
const paperUrls = () => new Set(compiled.themes.flatMap((t) => t.papers.flatMap((p) => {
  const v = buildPaperView(p);
  return [v.url, v.titleUrl, v.findUrl, v.arxivUrl, v.pdfUrl, v.codeUrl].filter((u): u is string => u !== null);
})));
/** The links that belong to one reader: feedback, preferences and unsubscribe. */
const readersOwn = (href: string) => /^https:\/\/paperpost\.example\.org\/(f|p|u)\/[^/?#]+$/.test(href);

describe("a subscriber's copy tracks nothing", () => {
  it('has no image, no pixel and nothing loaded from anywhere', () => {
    const { html } = copyOf(1);
    const doc = inspectHtml(html);
    expect(doc.tags).not.toContain('img');
    expect(doc.tags).not.toContain('picture');
    expect(doc.attributes.filter((a) => ['src', 'srcset', 'background', 'poster'].includes(a.name))).toEqual([]);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/<link\b|@import/i);
  });

  it('links papers straight to arXiv, Hugging Face or the code, and paperpost only for the issue and the reader', () => {
    const { html, text } = copyOf(1);
    const own = paperUrls();
    for (const href of [...inspectHtml(html).hrefs, ...textLinks(text)]) {
      if (href.startsWith('#')) continue;
      const url = new URL(href);
      if (url.origin === publicUrl) {
        expect(readersOwn(href) || url.pathname === `/archive/${compiled.id}`, href).toBe(true);
      } else {
        // No redirect: the paper's own URL, nothing wrapped, no click-through parameter.
        expect(own.has(href), href).toBe(true);
        expect(['arxiv.org', 'huggingface.co', 'github.com'].some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`)), href).toBe(true);
      }
      expect(href).not.toMatch(/[?&](url|redirect|target|u)=/i);
    }
    // A feedback link under every paper shown, in both parts.
    const shown = copyPapers(compiled, { themes: null, plan }).length;
    expect(shown).toBeGreaterThan(25);
    expect(inspectHtml(html).hrefs.filter((h) => h.includes('/f/'))).toHaveLength(2 * shown);
    expect(textLinks(text).filter((h) => h.includes('/f/'))).toHaveLength(2 * shown);
  });

  it('differs from another reader of the same plan only in the feedback, preferences and unsubscribe links', () => {
    const a = copyOf(1);
    const b = copyOf(2);
    for (const [x, y] of [[inspectHtml(a.html).hrefs, inspectHtml(b.html).hrefs], [textLinks(a.text), textLinks(b.text)]] as const) {
      expect(x).toHaveLength(y.length);
      x.forEach((href, i) => {
        if (href !== y[i]) expect(readersOwn(href) && readersOwn(y[i]!), `${href} / ${y[i]}`).toBe(true);
      });
      // Both feedback links of every paper shown, preferences and unsubscribe.
      expect(x.filter((h, i) => h !== y[i])).toHaveLength(2 * copyPapers(compiled, { themes: null, plan }).length + 2);
    }
    // The rest of the copy is the same once those links are set aside.
    const strip = (s: string) => s.replace(/https:\/\/paperpost\.example\.org\/(f|p|u)\/[^"\s<]+/g, '<own link>').replace(/reader\d@example\.org/g, '<address>');
    expect(strip(a.html)).toBe(strip(b.html));
    expect(strip(a.text)).toBe(strip(b.text));
  });
});
