/**
 * Issue 13's acceptance for clean text: no email (HTML, text part, subject), Atom feed entry
 * or archive page built from the sample digest or the test digests carries LaTeX: no
 * backslash command (`\mathcal`, `\"o`) and no stray `$` (a price such as "$5" is fine).
 * Every digest goes the real way: ingest, group, compile, send-ready copy, frozen and
 * published in a real store, then read back over HTTP.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDigest } from '../../src/ingest/ingest-digest.js';
import { groupDigest } from '../../src/issue/prepare-issue.js';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { previewReader, recipientFor } from '../../src/subscribers/recipient.js';
import { ROOT, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

/** The sample and every test digest that reads (arxiv-api-error is an error page by design). */
const DIGESTS = [
  'content/digests/hf-papers-2025-12-11.txt',
  'test/fixtures/hf-papers-2025-12-11.txt',
  'test/fixtures/hf-api-2026-08-03-sample.json',
  'test/fixtures/digests/arxiv-api-2025-01-06.atom.xml',
  'test/fixtures/digests/arxiv-rss-cs.LG-2025-01-06.xml',
  'test/fixtures/digests/hf-api-2023-06-15.json',
  'test/fixtures/digests/hf-api-2025-10-02.json',
  'test/fixtures/digests/hf-api-paper-2509.25541.json',
  'test/fixtures/digests/hf-papers-quirks.txt',
  'test/fixtures/digests/paperpost-2025-12-11.json',
  'test/fixtures/web/digests/paperpost-2025-12-10.json',
  'test/fixtures/topics/days/hf-api-2026-05-29.json',
  'test/fixtures/topics/days/hf-api-2026-06-24.json',
  'test/fixtures/topics/days/hf-api-2026-07-31.json',
  'test/fixtures/topics/days/hf-api-2026-09-04.json',
];

/** A LaTeX command (`\alpha`, `\"`, `\{`) or a `$` that is not a price. */
const LATEX = /\\[A-Za-z]+|\\["'`^~={}]|\$(?!\d)/;

/** The first LaTeX left in `text`, with what surrounds it, or null. */
function leftover(text: string): string | null {
  const m = LATEX.exec(text);
  return m ? text.slice(Math.max(0, m.index - 60), m.index + 40) : null;
}

let f: WebFixture;
const issues: { source: string; date: string; compiled: CompiledIssue }[] = [];

beforeAll(async () => {
  f = await startWebFixture({ subscribers: [{ email: 'reader@example.org' }] });
  // 1. Each digest becomes an issue of its own day, frozen and published as sending would.
  for (const [i, source] of DIGESTS.entries()) {
    const date = `2024-01-${String(i + 1).padStart(2, '0')}`;
    const { digest } = await ingestDigest(path.join(ROOT, source), { date, now: new Date('2026-11-30T00:00:00Z') });
    const themed = await groupDigest(f.app, digest);
    const compiled = await compileIssue(themed, { templatesDir: f.app.config.templatesDir, publicUrl: f.url });
    await f.app.store().freezeIssue(date, JSON.stringify(compiled));
    await f.app.store().markIssueSent(date);
    issues.push({ source, date, compiled });
  }
}, 120_000);
afterAll(async () => {
  await f?.close();
});

describe('no LaTeX reaches a reader', () => {
  it('is what the check looks for (it finds LaTeX as arXiv writes it, and lets prices be)', () => {
    for (const raw of ['$\\mathcal{O}(10^9)$', 'Schr\\"odinger', 'x_1,\\dots,x_n', 'costs $ and more']) expect(leftover(raw), raw).not.toBeNull();
    expect(leftover('𝒪(10⁹) for $5 million, Schrödinger')).toBeNull();
  });

  it('in any email: subject, preheader, HTML and text', () => {
    for (const { source, compiled } of issues) {
      const copy = personalizeIssue(compiled, recipientFor({ publicUrl: f.url, secretKey: 'test-secret' }, previewReader()))!;
      for (const [part, text] of Object.entries({ subject: copy.subject, preheader: copy.preheader, html: copy.html, text: copy.text })) {
        expect(leftover(text), `${source} ${part}`).toBeNull();
      }
    }
  });

  it('on any archive page', async () => {
    for (const { source, date } of issues) {
      const res = await fetch(`${f.url}/archive/${date}`);
      expect(res.status, source).toBe(200);
      expect(leftover(await res.text()), source).toBeNull();
    }
    expect(leftover(await (await fetch(`${f.url}/archive`)).text())).toBeNull();
  });

  it('in any Atom feed: every issue, and each theme', async () => {
    const feed = await (await fetch(`${f.url}/feed.xml`)).text();
    expect(feed).toContain('<entry>');
    expect(leftover(feed)).toBeNull();
    const themeIds = new Set(issues.flatMap((i) => i.compiled.themes.map((t) => t.id)).filter((id) => /^[a-z0-9][a-z0-9-]{0,99}$/.test(id)));
    expect(themeIds.size).toBeGreaterThan(3);
    for (const id of themeIds) {
      const res = await fetch(`${f.url}/topics/${id}/feed.xml`);
      expect(res.status, id).toBe(200);
      expect(leftover(await res.text()), id).toBeNull();
    }
  });
});
