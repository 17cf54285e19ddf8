import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createMessageBuilder, sanitizeHeaderValue } from '../../src/deliver/build-message.js';

const build = createMessageBuilder({ issueId: '2025-12-11', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org', unsubscribeMailto: 'unsub@example.org' });
const parts = (over: Partial<Parameters<typeof build>[0]> = {}) => ({
  to: 'ada@example.org',
  toName: 'Ada Lovelace',
  subject: 'Trending papers, Dec 11: KV Cache Compression',
  html: '<!doctype html>\n<html lang="en"><body>\n<p>Hello Ada — ünïcödé = fine</p>\n<a href="https://news.example.org/u/TOKEN">Unsubscribe</a>\n</body></html>',
  text: 'Hello Ada\n\nUnsubscribe: https://news.example.org/u/TOKEN\n',
  messageId: '<2025-12-11.abc@example.org>',
  unsubscribeUrl: 'https://news.example.org/u/TOKEN',
  date: new Date('2025-12-11T07:00:00Z'),
  ...over,
});

describe('createMessageBuilder', () => {
  it('builds a message mail clients parse back into the same headers and both parts', async () => {
    const mail = await simpleParser(build(parts()));
    expect(mail.from?.value[0]).toEqual({ address: 'news@example.org', name: 'paperpost' });
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : null).toEqual({ address: 'ada@example.org', name: 'Ada Lovelace' });
    expect(mail.subject).toBe('Trending papers, Dec 11: KV Cache Compression');
    expect(mail.messageId).toBe('<2025-12-11.abc@example.org>');
    expect(mail.date?.toISOString()).toBe('2025-12-11T07:00:00.000Z');
    expect(mail.headers.get('list')).toEqual({
      id: { name: 'paperpost', id: 'paperpost.example.org' },
      unsubscribe: { url: 'https://news.example.org/u/TOKEN', mail: 'unsub@example.org?subject=unsubscribe' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    const lines = mail.headerLines.map((h) => h.line);
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.text).toBe('Hello Ada\n\nUnsubscribe: https://news.example.org/u/TOKEN\n');
    expect(mail.html).toContain('Hello Ada — ünïcödé = fine');
  });

  it('keeps CR and LF from data out of the headers', async () => {
    const raw = build(parts({ subject: 'Evil\r\nBcc: victim@example.org', toName: 'Mallory\r\nX-Injected: yes' })).toString();
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^Bcc:/im);
    expect(head).not.toMatch(/^X-Injected:/im);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Evil Bcc: victim@example.org');
    expect(mail.bcc).toBeUndefined();
  });

  it('encodes non-ASCII subjects and names so they survive 7-bit transports', async () => {
    const raw = build(parts({ subject: 'Trending papers: Schrödinger Bridges 🚀 and שלום', toName: 'Zoë' }));
    const head = raw.toString().slice(0, raw.indexOf('\r\n\r\n'));
    expect(/^[\x20-\x7e\r\n\t]*$/.test(head)).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Trending papers: Schrödinger Bridges 🚀 and שלום');
  });

  it('wraps body lines at 76 characters even for a one-line HTML body', async () => {
    const html = '<p>' + 'word '.repeat(5000) + '</p>';
    const raw = build(parts({ html })).toString();
    const body = raw.slice(raw.indexOf('\r\n\r\n'));
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect((await simpleParser(raw)).html).toContain('word word');
  });

  it('sanitizes header values of every control character', () => {
    expect(sanitizeHeaderValue('a\u0000b\u2028c\td')).toBe('a b c d');
  });
});
