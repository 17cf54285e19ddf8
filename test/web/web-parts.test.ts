/**
 * The small parts of src/web on their own: loopback detection, rate limiting, CSRF tokens,
 * input cleaning, theme choices, escaping of hostile paper data, the stylesheet's CSP hash,
 * and the app answering in-process.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import type { Paper, Subscriber } from '../../src/types.js';
import { hostnameOf } from '../../src/web/security/check-admin-access.js';
import { createCsrfGuard } from '../../src/web/security/create-csrf-guard.js';
import { createRateLimiter, type RateCounter } from '../../src/web/security/create-rate-limiter.js';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import { createWebApp } from '../../src/web/create-web-app.js';
import { isLoopbackHost } from '../../src/web/security/is-loopback-host.js';
import { maskEmail } from '../../src/web/views/mask-email.js';
import { cleanName } from '../../src/subscribers/clean-name.js';
import type { FormData } from '../../src/web/routes/read-form.js';
import { escapeText, renderIssueContent } from '../../src/web/views/render-issue-content.js';
import { renderLayout, STYLESHEET, STYLESHEET_HASH } from '../../src/web/views/render-layout.js';
import { renderHtml } from '../../src/web/views/render-html.js';
import { parseThemeChoices, renderThemeChoices, type TopicChoice } from '../../src/web/views/render-theme-choices.js';
import { composeSubscriptionMail } from '../../src/web/routes/send-subscription-mail.js';
import { fixtureConfig } from './support/start-web-fixture.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '', '128.0.0.1', '10.0.0.1', '192.168.1.1', 'example.org', '127.0.0.1.nip.io', 'localhost.example.org', '::ffff:10.0.0.1', '::2'])('%s is not', (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });
  it('reads hostnames out of Host headers', () => {
    expect(hostnameOf('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostnameOf('[::1]:8080')).toBe('::1');
    expect(hostnameOf('LocalHost')).toBe('localhost');
    expect(hostnameOf('a:b:c')).toBeNull();
    expect(hostnameOf(undefined)).toBeNull();
  });
});

describe('createRateLimiter', () => {
  // Counted in a real (in-memory) SQLite store, as the web app counts them.
  const store = createSqliteStore(new Database(':memory:'));
  const counter: RateCounter = (key, windowMs, nowMs) => store.hitRateLimit(key, windowMs, nowMs);
  it('allows `limit` hits per window and key, then says when to retry', async () => {
    let t = 0;
    const limiter = createRateLimiter('a-test', { limit: 2, windowMs: 60_000 }, () => new Date(t), counter);
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.hit('a')).allowed).toBe(true);
    t = 15_000;
    expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect((await limiter.hit('b')).allowed).toBe(true);
    t = 60_000;
    expect((await limiter.hit('a')).allowed).toBe(true);
  });
  it('shares counts between limiters of one name on one database (two web instances), and keeps names apart', async () => {
    const t = 1_000_000;
    const one = createRateLimiter('shared', { limit: 2, windowMs: 60_000 }, () => new Date(t), counter);
    const two = createRateLimiter('shared', { limit: 2, windowMs: 60_000 }, () => new Date(t), counter);
    const other = createRateLimiter('other', { limit: 2, windowMs: 60_000 }, () => new Date(t), counter);
    expect((await one.hit('client')).allowed).toBe(true);
    expect((await two.hit('client')).allowed).toBe(true);
    expect((await one.hit('client')).allowed).toBe(false);
    expect((await other.hit('client')).allowed).toBe(true);
  });
});

describe('createCsrfGuard', () => {
  const guard = createCsrfGuard('s'.repeat(32));
  it('accepts only the token of the same scope and binding', () => {
    const token = guard.tokenFor('subscribe', 'cookie-1');
    expect(guard.check('subscribe', 'cookie-1', token)).toBe(true);
    expect(guard.check('subscribe', 'cookie-2', token)).toBe(false);
    expect(guard.check('admin', 'cookie-1', token)).toBe(false);
    expect(guard.check('subscribe', undefined, token)).toBe(false);
    expect(guard.check('subscribe', 'cookie-1', undefined)).toBe(false);
    expect(guard.check('subscribe', 'cookie-1', token + 'x')).toBe(false);
    expect(createCsrfGuard('t'.repeat(32)).check('subscribe', 'cookie-1', token)).toBe(false);
  });
  it('makes distinct random cookie values', () => {
    expect(guard.newCookieValue()).not.toBe(guard.newCookieValue());
    expect(guard.newCookieValue()).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});

describe('input cleaning', () => {
  it('cleanName drops control characters, squeezes spaces and caps the length', () => {
    expect(cleanName('  Ada \u0000\r\n Lovelace  ')).toBe('Ada Lovelace');
    expect(cleanName('Ada\u202eecalevol')).toBe('Ada ecalevol');
    expect(cleanName('   ')).toBeNull();
    expect(cleanName(undefined)).toBeNull();
    expect(Array.from(cleanName('é'.repeat(300))!)).toHaveLength(100);
  });
  it('maskEmail shows the first letter and the domain', () => {
    expect(maskEmail('alice@example.org')).toBe('a•••@example.org');
    expect(maskEmail('😀x@example.org')).toBe('😀•••@example.org');
    expect(maskEmail('nonsense')).toBe('•••');
  });
});

describe('theme choices', () => {
  const form = (fields: Record<string, string[]>): FormData => ({ get: (n) => fields[n]?.[0], all: (n) => fields[n] ?? [] });
  const choice = (label: string): TopicChoice => ({ value: label, label, description: null, recent: null });
  const offered = ['KV Cache', 'Video Diffusion', 'More trending papers'].map(choice);
  it('reads all, a pick (offered labels only, case-insensitive, each once), or an error', () => {
    expect(parseThemeChoices(form({ scope: ['all'], theme: ['KV Cache'] }), offered)).toEqual({ themes: null });
    expect(parseThemeChoices(form({ scope: ['some'], theme: ['kv cache', 'KV Cache', 'Invented', 'Video Diffusion'] }), offered)).toEqual({ themes: ['KV Cache', 'Video Diffusion'] });
    expect(parseThemeChoices(form({ scope: ['some'] }), offered)).toHaveProperty('error');
    expect(parseThemeChoices(form({}), offered)).toEqual({ themes: null });
    expect(parseThemeChoices(form({ theme: ['Video Diffusion'] }), offered)).toEqual({ themes: ['Video Diffusion'] });
  });
  it('renders labels as text and ticks the current pick', () => {
    const html = String(renderThemeChoices(['<b>Bold</b> "Theme"', 'KV Cache'].map(choice), ['kv cache']));
    expect(html).toContain('value="&lt;b&gt;Bold&lt;/b&gt; &quot;Theme&quot;"');
    expect(html).not.toContain('<b>');
    expect(html).toMatch(/value="KV Cache" checked/);
    expect(html).toMatch(/value="some" checked/);
  });
});

describe('escaping', () => {
  const hostile: Paper = {
    id: 'x',
    title: '<script>alert(1)</script> ]]> "t"',
    abstract: '<img src=x onerror=alert(1)>',
    summary: null,
    authors: ['<b>Eve</b>'],
    authorCount: 1,
    publishedAt: null,
    upvotes: null,
    url: 'javascript:alert(1)',
    codeUrl: 'https://github.com/a/b?x="><script>',
    keywords: [],
  };
  it('renders hostile paper data as text, drops unsafe URLs, and never emits "]]>"', () => {
    const html = String(renderIssueContent([{ id: 't', label: '<i>Label</i>', keywords: [], other: false, papers: [hostile] }], { webUrl: 'https://news.example.org/archive/2025-12-10' }));
    expect(html).not.toMatch(/<script|<img|<b>|<i>|javascript:/);
    expect(html).not.toContain(']]>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('href="https://github.com/a/b?x=%22%3E%3Cscript%3E"');
    expect(escapeText('a < b & "c" ]]>')).toBe('a &lt; b &amp; &quot;c&quot; ]]&gt;');
  });
  it('renderHtml escapes interpolations and refuses a Promise', () => {
    expect(String(renderHtml`<p title="${'"x"'}">${"<a href='y'>"}</p>`)).toBe('<p title="&quot;x&quot;">&lt;a href=&#39;y&#39;&gt;</p>');
    expect(() => renderHtml`${Promise.resolve('x')}`).toThrow(/Promise/);
  });
  it('escapes the address in the subscription emails', () => {
    const app = createApp(fixtureConfig('/tmp/pp-web-never', { DATABASE_URL: 'sqlite::memory:' }));
    const sub: Subscriber = { id: 7, email: '"<b>x</b>"@example.org', name: null, status: 'pending', themes: null, createdAt: '', confirmedAt: null, unsubscribedAt: null };
    const mail = composeSubscriptionMail(app, sub, 'confirm', 'abcdefghijklmnop');
    expect(mail.html).not.toContain('<b>x</b>');
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.text).toContain('/confirm/7.');
  });
});

describe('the page shell', () => {
  it("names the inline stylesheet's exact hash in the CSP, so no 'unsafe-inline' is needed", () => {
    const page = String(renderLayout({ title: 'T', body: renderHtml`<h1>T</h1>` }));
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    expect(style).toBe(STYLESHEET);
    expect(STYLESHEET_HASH).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});

describe('createWebApp in-process', () => {
  it('answers fetch without a server, and refuses a non-loopback setup without ADMIN_TOKEN', async () => {
    const app = createApp(fixtureConfig('/tmp/pp-web-never', { DATABASE_URL: 'sqlite::memory:' }));
    try {
      const web = createWebApp(app, { loopback: true });
      const res = await web.request('http://127.0.0.1/manage');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain(STYLESHEET_HASH);
      expect((await web.request('http://127.0.0.1/nope')).status).toBe(404);
      expect(() => createWebApp(app, { loopback: false })).toThrow(ConfigError);
    } finally {
      await app.close();
    }
  });
});
