/**
 * The email speaks to its subscriber and keeps its own footer: why they get it, their
 * preferences and unsubscribe links, and the web version; "View in browser" at the top opens
 * that web version (/archive/<date>). The archive page, which has none of this, is tested in
 * test/web/archive-page.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { inspectHtml } from './support/inspect-html.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';

const publicUrl = 'https://paperpost.example.org';
const web = `${publicUrl}/archive/2026-08-03`;
let compiled: CompiledIssue;

beforeAll(async () => {
  compiled = await compileIssue(loadThemedFixture('themed-hf-api-2026-08-03.json'), { templatesDir: TEMPLATES_DIR, publicUrl });
});

describe('the email footer', () => {
  it('tells the subscriber why they get it and links their preferences, unsubscribe and the web version', () => {
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const doc = inspectHtml(copy.html);
    const footer = doc.textOf('p').find((p) => p.startsWith('You are getting this email because'));
    expect(footer).toBe('You are getting this email because ada@example.org subscribed to paperpost, a daily digest of trending machine-learning papers.');
    expect(doc.textOf('a')).toEqual(expect.arrayContaining(['Choose your topics', 'Unsubscribe', 'Read this issue on the web']));
    expect(doc.hrefs).toEqual(expect.arrayContaining([makeRecipient().preferencesUrl, makeRecipient().unsubscribeUrl, web]));
    expect(copy.text).toMatch(/\n--\nYou are getting this email because ada@example\.org subscribed to paperpost/);
    expect(copy.text).toContain(`\nChoose your topics: ${makeRecipient().preferencesUrl}\nUnsubscribe: ${makeRecipient().unsubscribeUrl}\n`);
  });

  it('names the themes a reader chose', () => {
    const copy = personalizeIssue(compiled, makeRecipient({ themes: ['Agent Knowledge Layers'] }))!;
    expect(copy.text).toContain('for these topics: Agent Knowledge Layers.');
    expect(inspectHtml(copy.html).textOf('p').join('\n')).toContain('for these topics: Agent Knowledge Layers.');
  });
});

describe('"View in browser"', () => {
  it('comes first in the email and opens the web version of the issue', () => {
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const doc = inspectHtml(copy.html);
    expect(doc.textOf('a')[0]).toBe('View in browser');
    expect(doc.hrefs[0]).toBe(web);
    expect(copy.text).toContain(`Read it on the web: ${web}\n`);
  });
});
