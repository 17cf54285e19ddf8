import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { simpleParser } from 'mailparser';
import { createIssueComposer } from '../../src/deliver/create-issue-composer.js';
import { recipientFor as buildRecipient, type Recipient } from '../../src/subscribers/recipient.js';
import { createMessageBuilder } from '../../src/deliver/build-message.js';
import type { Subscriber } from '../../src/types.js';

// A stand-in for personalizeIssue: theme sections, a greeting, escaped values, a name helper.
const template = Handlebars.compile(
  [
    '<!doctype html><html><body>',
    '<p>{{#if name}}Hi {{name}},{{else}}Hello,{{/if}}</p>',
    '{{#each sections}}<h2>{{this}}</h2>\n<p>' + 'Long static paper text with = signs and ünïcode. '.repeat(4) + '</p>\n{{/each}}',
    '<a href="{{preferencesUrl}}">Preferences</a> · <a href="{{unsubscribeUrl}}">Unsubscribe</a>',
    '</body></html>',
  ].join('\n'),
);
const THEMES = ['KV Cache Compression', 'Knowledge Distillation', 'Intrinsic Dimension'];
const personalize = (r: Recipient) => {
  const sections = r.themes === null ? THEMES : THEMES.filter((t) => r.themes!.some((x) => x.toLowerCase() === t.toLowerCase()));
  if (sections.length === 0) return null;
  const html = template({ ...r, sections });
  return { subject: `Trending papers: ${sections.join(', ')}`, html, text: `Hi ${r.name ?? 'there'}\n${sections.join('\n')}\nUnsubscribe: ${r.unsubscribeUrl}\n` };
};
// Every value the open list makes, with links of a shape the test can read.
const recipientFor = (s: Subscriber): Recipient => ({
  ...buildRecipient({ publicUrl: 'https://news.example.org', secretKey: 'test-secret' }, s),
  unsubscribeUrl: `https://news.example.org/u/${s.id}.tok${s.id}`,
  preferencesUrl: `https://news.example.org/p/${s.id}.tok${s.id}`,
});
const sub = (id: number, name: string | null, themes: string[] | null = null): Subscriber => ({
  id, email: `s${id}@example.org`, name, status: 'active', themes, createdAt: '', confirmedAt: null, unsubscribedAt: null,
});
const options = { issueId: '2025-12-11', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org' };
const date = new Date('2025-12-11T07:00:00Z');

/** The reference: the whole message encoded from a plain render. */
function plain(s: Subscriber) {
  const v = recipientFor(s);
  const c = personalize(v)!;
  return createMessageBuilder(options)({ to: s.email, toName: s.name, subject: c.subject, html: c.html, text: c.text, messageId: `<${s.id}@x>`, unsubscribeUrl: v.unsubscribeUrl, date });
}

describe('createIssueComposer', () => {
  it('produces byte-for-byte the message a plain render and encode would, for every variant', () => {
    const compose = createIssueComposer({ ...options, personalize, recipientFor });
    const subs = [
      sub(1, 'Ada Lovelace'),
      sub(2, null),
      sub(3, 'Grace', ['knowledge distillation']),
      sub(4, "Zoë O'Brien-Núñez", ['Intrinsic Dimension', 'KV Cache Compression']),
      sub(5, 'Alan'),
      sub(6, 'Ada <script>alert(1)</script>'), // not simple: takes the plain path
      sub(7, 'x'.repeat(70)),
    ];
    for (const s of subs) expect(Buffer.concat(compose(s, `<${s.id}@x>`, date)!.raw).equals(plain(s)), `subscriber ${s.id}`).toBe(true);
  });

  it('renders once per variant, not once per subscriber, on the fast path', () => {
    let calls = 0;
    const counting = (r: Recipient) => (calls++, personalize(r));
    const compose = createIssueComposer({ ...options, personalize: counting, recipientFor });
    for (let i = 1; i <= 100; i++) compose(sub(i, `Reader ${i}`), `<${i}@x>`, date);
    expect(calls).toBe(2); // the sentinel copy and the one check
    for (let i = 101; i <= 150; i++) compose(sub(i, null, ['KV Cache Compression']), `<${i}@x>`, date);
    expect(calls).toBe(4);
  });

  it('returns null for a subscriber who follows none of the issue\'s themes', () => {
    const compose = createIssueComposer({ ...options, personalize, recipientFor });
    expect(compose(sub(8, 'Ada', ['Robotics']), '<8@x>', date)).toBeNull();
  });

  it('still gives the right message when a template treats values in a way sentinels cannot follow', async () => {
    // This template upper-cases the name: the sentinel no longer matches, so the check fails.
    const shouting = (r: Recipient) => {
      const c = personalize(r);
      return c && { ...c, html: c.html.replace(/Hi ([^,]+),/, (_, n: string) => `Hi ${n.toUpperCase()},`) };
    };
    const compose = createIssueComposer({ ...options, personalize: shouting, recipientFor });
    const mail = await simpleParser(Buffer.concat(compose(sub(9, 'Ada'), '<9@x>', date)!.raw));
    expect(mail.html).toContain('Hi ADA,');
    expect(mail.html).toContain('https://news.example.org/u/9.tok9');
  });

  it('escapes values in the HTML part as the template would', async () => {
    const compose = createIssueComposer({ ...options, personalize, recipientFor });
    const mail = await simpleParser(Buffer.concat(compose(sub(10, "D'Arcy"), '<10@x>', date)!.raw));
    expect(mail.html).toContain('Hi D&#x27;Arcy,');
    expect(mail.text).toContain("Hi D'Arcy");
  });
});
