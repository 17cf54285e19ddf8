/**
 * One reader, one place (issue #19): every copy's recipient comes from recipientFor(), and a
 * per-reader value is one entry of the open list. These tests add values the way a later
 * feature will (an entry in the list, nothing else) and follow them to the wire: the composer
 * and personalizeIssue carry them with no code of their own, on the fast path, byte for byte
 * what a plain render and encode would write. A value that repeats per paper (as "More like
 * this" links signed per reader and paper will) goes the same way.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { createIssueComposer } from '../../src/deliver/create-issue-composer.js';
import { createMessageBuilder } from '../../src/deliver/build-message.js';
import { InputError } from '../../src/errors.js';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { READER_VALUES, type ReaderValueDefinition } from '../../src/subscribers/reader-values.js';
import { copyPlanKey, previewReader, recipientFor, sampleRecipient, type Recipient } from '../../src/subscribers/recipient.js';
import { verifyToken } from '../../src/subscribers/sign-token.js';
import type { Subscriber } from '../../src/types.js';

const config = { publicUrl: 'https://news.example.org', secretKey: 'test-secret-key-0123456789abcdef' };
const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '../deliver/fixtures/wire-before/issue-2025-12-11.json'), 'utf8')) as CompiledIssue;
const PAPERS = fixture.themes.flatMap((t) => t.papers.map((p) => p.id)).slice(0, 3);

/** The frozen sample issue, its templates printing the values a test adds (as an edited template would). */
function issueWith(htmlLine: string, textLine: string): CompiledIssue {
  return { ...fixture, htmlTemplate: fixture.htmlTemplate.replace('</body>', `${htmlLine}</body>`), textTemplate: `${fixture.textTemplate}${textLine}\n` };
}

const sub = (id: number, name: string | null, themes: string[] | null = null): Subscriber => ({
  id, email: `reader${id}@example.org`, name, status: 'active', themes, createdAt: '', confirmedAt: null, unsubscribedAt: null,
});
const options = { issueId: fixture.id, from: 'paperpost <news@example.org>', listId: 'paperpost.example.org', unsubscribeMailto: 'unsubscribe@example.org' };
const date = new Date('2025-12-11T07:00:00Z');

/** Composes every subscriber's message; counts the renders; checks each against a plain render and encode. */
function composeAll(compiled: CompiledIssue, values: readonly ReaderValueDefinition[], subscribers: Subscriber[]) {
  let renders = 0;
  const personalize = (r: Recipient) => (renders++, personalizeIssue(compiled, r));
  const compose = createIssueComposer({ ...options, personalize, recipientFor: (s) => recipientFor(config, s, values) });
  const build = createMessageBuilder(options);
  const messages = subscribers.map((s) => {
    const raw = Buffer.concat(compose(s, `<${s.id}@x>`, date)!.raw);
    const r = recipientFor(config, s, values);
    const copy = personalizeIssue(compiled, r)!;
    const plain = build({ to: r.email, toName: r.name, subject: copy.subject, html: copy.html, text: copy.text, messageId: `<${s.id}@x>`, unsubscribeUrl: r.unsubscribeUrl, date });
    return { subscriber: s, raw, plain };
  });
  return { messages, renders };
}

describe('recipientFor', () => {
  it("gives a subscriber their own signed links, and a preview or test reader the neutral /manage page", () => {
    const r = recipientFor(config, sub(7, 'Ada', ['llm-agents']));
    expect(r).toMatchObject({ email: 'reader7@example.org', name: 'Ada', themes: ['llm-agents'] });
    expect(verifyToken(config.secretKey, 'unsubscribe', r.unsubscribeUrl.split('/u/')[1]!)).toBe(7);
    expect(verifyToken(config.secretKey, 'preferences', r.preferencesUrl.split('/p/')[1]!)).toBe(7);
    const preview = recipientFor(config, previewReader('someone@example.net'));
    expect(preview).toMatchObject({ email: 'someone@example.net', name: null, themes: null });
    // Distinct links, so a template that drops the unsubscribe link fails the preview's check too (the preferences link cannot stand in).
    expect([preview.unsubscribeUrl, preview.preferencesUrl]).toEqual(['https://news.example.org/manage#unsubscribe', 'https://news.example.org/manage#preferences']);
    // The stand-in that sizes an issue has every value of the list too.
    expect(Object.keys(sampleRecipient(config.publicUrl))).toEqual(Object.keys(r));
  });

  it('keys the copy plan by the topics followed, in any order and case', () => {
    expect(copyPlanKey({ themes: ['KV Cache', 'llm-agents'] })).toBe(copyPlanKey({ themes: ['LLM-Agents', 'kv cache'] }));
    expect(copyPlanKey({ themes: null })).not.toBe(copyPlanKey({ themes: [] }));
  });
});

describe('a per-reader value added to the open list, and nothing else', () => {
  it('reaches the wire form of every message, on the fast path, byte for byte as a plain render', async () => {
    const values = [
      ...READER_VALUES,
      { key: 'archiveUrl', valueFor: (_r, links) => links.signed('a', 'preferences') },
      { key: 'greeting', valueFor: (r) => (r.name ? `Dear ${r.name.split(' ')[0]}` : 'Dear reader') },
    ] satisfies ReaderValueDefinition[];
    const compiled = issueWith('<p class="added">{{recipient.greeting}}: <a href="{{recipient.archiveUrl}}">your archive</a></p>', '{{recipient.greeting}}, your archive: {{recipient.archiveUrl}}');
    const subscribers = Array.from({ length: 40 }, (_, i) => sub(i + 1, `Reader${i + 1} Example`));
    const { messages, renders } = composeAll(compiled, values, subscribers);
    // One sentinel copy and one check for the one variant: the new values took the fast path.
    expect(renders).toBe(2);
    for (const m of messages) expect(m.raw.equals(m.plain), `subscriber ${m.subscriber.id}`).toBe(true);
    const mail = await simpleParser(messages[4]!.raw);
    const archiveUrl = (recipientFor(config, subscribers[4]!, values) as unknown as Record<string, string>).archiveUrl!;
    expect(archiveUrl).toMatch(/^https:\/\/news\.example\.org\/a\/5\./);
    expect(mail.html).toContain(`<p class="added">Dear Reader5: <a href="${archiveUrl}">your archive</a></p>`);
    expect(mail.text).toContain(`Dear Reader5, your archive: ${archiveUrl}`);
  });

  it('repeats per paper when it is an object by paper id, each entry in its place', async () => {
    const values = [
      ...READER_VALUES,
      { key: 'moreUrl', valueFor: (r, links) => Object.fromEntries(PAPERS.map((id, i) => [id, `${links.signed('more', 'preferences')}/${i}`])) },
    ] satisfies ReaderValueDefinition[];
    const compiled = issueWith(
      PAPERS.map((id) => `<a class="more" href="{{lookup recipient.moreUrl "${id}"}}">More like this</a>`).join('\n'),
      PAPERS.map((id) => `More like ${id}: {{lookup recipient.moreUrl "${id}"}}`).join('\n'),
    );
    const subscribers = Array.from({ length: 20 }, (_, i) => sub(i + 1, i % 2 ? `Reader${i + 1}` : null, i % 4 === 3 ? ['kv-cache'] : null));
    const { messages, renders } = composeAll(compiled, values, subscribers);
    // Three variants (every topic with and without a name; one topic): two renders each.
    expect(renders).toBe(6);
    for (const m of messages) expect(m.raw.equals(m.plain), `subscriber ${m.subscriber.id}`).toBe(true);
    const mail = await simpleParser(messages[6]!.raw);
    const token = recipientFor(config, subscribers[6]!).preferencesUrl.split('/p/')[1]!;
    PAPERS.forEach((id, i) => {
      expect(mail.html).toContain(`href="https://news.example.org/more/${token}/${i}"`);
      expect(mail.text).toContain(`More like ${id}: https://news.example.org/more/${token}/${i}`);
    });
  });

  it('is refused when it ends in Url and is not an http(s) link', () => {
    const values = [...READER_VALUES, { key: 'archiveUrl', valueFor: () => 'javascript:alert(1)' }] satisfies ReaderValueDefinition[];
    const compiled = issueWith('<a href="{{recipient.archiveUrl}}">archive</a>', '{{recipient.archiveUrl}}');
    expect(() => personalizeIssue(compiled, recipientFor(config, sub(1, 'Ada'), values))).toThrow(InputError);
    expect(() => personalizeIssue(compiled, recipientFor(config, sub(1, 'Ada'), values))).toThrow(/archiveUrl must be an absolute http\(s\) URL/);
  });
});
