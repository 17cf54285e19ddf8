/**
 * The admin pages over real HTTP: who gets in (loopback bind without a token, Host checks,
 * ADMIN_TOKEN by bearer or login cookie, refusal to start on a public address without one),
 * CSRF on admin forms, the preview (draft re-rendered from the templates on each request,
 * frozen issue as stored, per-subscriber copies), and "send a test" through real SMTP.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import { startWebServer } from '../../src/web/start-web-server.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { fixtureConfig, startWebFixture, waitFor, type WebFixture } from './support/start-web-fixture.js';

const TOKEN = 'admin-token-' + 'z'.repeat(24);

/** fetch cannot set Host; node:http can. */
function statusWithHost(base: string, path: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { ...headers, host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startWebServer on a non-loopback host', () => {
  it('refuses to start without ADMIN_TOKEN (ConfigError naming the host)', async () => {
    const app = createApp(fixtureConfig('/tmp/pp-web-never', { DATABASE_URL: 'sqlite::memory:' }));
    try {
      const started = startWebServer(app, { port: 0, host: '0.0.0.0' });
      await expect(started).rejects.toBeInstanceOf(ConfigError);
      await expect(startWebServer(app, { port: 0, host: '0.0.0.0' })).rejects.toThrow('ADMIN_TOKEN must be set to serve on 0.0.0.0');
      await expect(startWebServer(app, { port: 0, host: '192.0.2.1' })).rejects.toThrow(/ADMIN_TOKEN/);
    } finally {
      await app.close();
    }
  });
});

describe('with ADMIN_TOKEN on 0.0.0.0', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture({ host: '0.0.0.0', adminToken: TOKEN, subscribers: [{ email: 'reader@example.org' }] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('sends a browser without the token to the login page, and a script to 401', async () => {
    const res = await fetch(`${f.url}/admin`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login?next=%2Fadmin');
    const wrong = await fetch(`${f.url}/admin`, { redirect: 'manual', headers: { authorization: 'Bearer not-the-token-at-all-000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const frame = await fetch(`${f.url}/admin/issues/2025-12-10/frame`, { redirect: 'manual' });
    expect(frame.status).toBe(303);
    const post = await fetch(`${f.url}/admin/issues/2025-12-10/test`, { method: 'POST', redirect: 'manual' });
    expect(post.status).toBe(401);
  });

  it('lets the bearer token in', async () => {
    const res = await fetch(`${f.url}/admin`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Issues</h1>');
  });

  it('ignores X-Forwarded-For and Host when deciding', async () => {
    expect(await statusWithHost(f.url, '/admin', '127.0.0.1', { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' })).toBe(303);
  });

  it('logs in with the token (cookie), refuses a wrong one, and guards admin forms with CSRF', async () => {
    const client = createHttpClient(f.url);
    const login = await client.get('/admin/login?next=%2Fadmin%2Fissues%2F2025-12-10');
    const csrf = csrfIn(await login.text());
    const bad = await client.post('/admin/login?next=%2Fadmin', { csrf, token: 'wrong-token-wrong-token' });
    expect(bad.status).toBe(401);
    expect(client.cookies.has('pp_admin')).toBe(false);
    expect((await client.post('/admin/login', { token: TOKEN })).status).toBe(403);
    const ok = await client.post('/admin/login?next=%2Fadmin%2Fissues%2F2025-12-10', { csrf, token: TOKEN });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/issues/2025-12-10');
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('pp_admin='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin/i);

    const page = await client.get('/admin/issues/2025-12-10');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Log out');

    // Cookie-authenticated POSTs need the admin CSRF field.
    expect((await client.post('/admin/issues/2025-12-10/test', { to: 'ops@example.org' })).status).toBe(403);
    expect((await client.post('/admin/issues/2025-12-10/test', { to: 'ops@example.org', csrf: 'forged' })).status).toBe(403);
    const sent = await client.post('/admin/issues/2025-12-10/test', { to: 'ops@example.org', csrf: csrfIn(html, '/admin/issues/2025-12-10/test') });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/admin/issues/2025-12-10?tested=ops%40example.org');

    // An open redirect through ?next= is not possible.
    const evil = await client.post('/admin/login?next=https%3A%2F%2Fevil.example%2F', { csrf, token: TOKEN });
    expect(evil.headers.get('location')).toBe('/admin');

    // The session ends after 12 hours.
    f.clock.advance(13 * 60 * 60_000);
    expect((await client.get('/admin')).status).toBe(303);
  });

  it('limits login attempts per client (429)', async () => {
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get('/admin/login')).text());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.post('/admin/login', { csrf, token: `guess-${i}-xxxxxxxxxxxxxxxx` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Even the right token waits out the window.
    expect((await client.post('/admin/login', { csrf, token: TOKEN })).status).toBe(429);
    f.clock.advance(16 * 60_000);
    expect((await client.post('/admin/login', { csrf, token: TOKEN })).status).toBe(303);
  });

  it('sends a test with a bearer token, without CSRF (no browser sends that header by itself)', async () => {
    const before = f.smtp.received.length;
    const res = await fetch(`${f.url}/admin/issues/2025-12-10/test`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'to=bearer-test%40example.org',
    });
    expect(res.status).toBe(303);
    const mail = await waitFor(() => f.smtp.received.slice(before).find((m) => m.envelopeTo.includes('bearer-test@example.org')));
    expect(mail.parsed.subject).toMatch(/^\[TEST\] /);
  });
});

describe('loopback without ADMIN_TOKEN', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture({
      sentIssue: true,
      draft: true,
      copyTemplates: true,
      subscribers: [{ email: 'all@example.org', name: 'All <Themes>' }, { email: 'kv@example.org', themes: ['efficient-inference'] }, { email: 'none@example.org', themes: ['No Such Theme'] }],
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('is open to a loopback Host, and refuses any other Host (DNS rebinding)', async () => {
    expect((await fetch(`${f.url}/admin`)).status).toBe(200);
    for (const host of ['evil.example', 'evil.example:80', '10.0.0.5', '127.0.0.1.evil.example']) {
      expect(await statusWithHost(f.url, '/admin', host), host).toBe(403);
    }
    expect(await statusWithHost(f.url, '/admin', `localhost:${new URL(f.url).port}`)).toBe(200);
    expect(await statusWithHost(f.url, '/admin', `[::1]:${new URL(f.url).port}`)).toBe(200);
    // The public pages do not care about Host.
    expect(await statusWithHost(f.url, '/archive', 'evil.example')).toBe(200);
    expect((await fetch(`${f.url}/admin/login`, { redirect: 'manual' })).headers.get('location')).toBe('/admin');
  });

  it('lists drafts from DIGEST_SOURCE and sent issues with their deliveries', async () => {
    const html = await (await fetch(`${f.url}/admin`)).text();
    const row = (id: string) => new RegExp(`<tr><td><a href="/admin/issues/${id}">${id}</a></td>(.*?)</tr>`).exec(html)?.[1] ?? '';
    expect(row('2025-12-11')).toContain('draft');
    expect(row('2025-12-11')).toContain('<td>39</td>');
    expect(row('2025-12-10')).toContain('tag sent');
    // none@example.org follows no theme of this issue, so two of three active subscribers got it.
    expect(row('2025-12-10')).toContain('2 sent · 0 deferred · 0 failed');
    // Five sections (topics) and ten papers.
    expect(row('2025-12-10')).toContain('<td>5</td><td>10</td>');
    expect(html).toContain('3 active');
  });

  it('previews a draft from the templates as they are on each request', async () => {
    const page = await (await fetch(`${f.url}/admin/issues/2025-12-11`)).text();
    expect(page).toContain('Rendered from the templates (TEMPLATES_DIR) just now');
    expect(page).toMatch(/<dt>HTML size<\/dt><dd><meter[^>]*value="\d+"/);
    expect(page).toContain("of Gmail's 102.0 KB clip line");
    expect(page).toContain('<h2>Render warnings</h2>');
    expect(page).toMatch(/<iframe class="desktop" src="\/admin\/issues\/2025-12-11\/frame"[^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(page).toMatch(/<iframe class="phone" src="\/admin\/issues\/2025-12-11\/frame"/);
    const csp = (await fetch(`${f.url}/admin/issues/2025-12-11`)).headers.get('content-security-policy')!;
    expect(csp).toContain("frame-src 'self'");

    const frame = await fetch(`${f.url}/admin/issues/2025-12-11/frame`);
    expect(frame.headers.get('content-security-policy')).toMatch(/sandbox allow-popups allow-popups-to-escape-sandbox/);
    expect(frame.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(frame.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const before = await frame.text();
    expect(before).toContain('Trending ML papers');

    const header = path.join(f.templatesDir, 'partials/header.mjml.hbs');
    const original = readFileSync(header, 'utf8');
    writeFileSync(header, original.replace('Trending ML papers', 'Trending ML papers, edited'));
    try {
      const after = await (await fetch(`${f.url}/admin/issues/2025-12-11/frame`)).text();
      expect(after).toContain('Trending ML papers, edited');
      // A frozen issue does not change with the templates.
      const frozen = await (await fetch(`${f.url}/admin/issues/2025-12-10/frame`)).text();
      expect(frozen).not.toContain('edited');
      const frozenPage = await (await fetch(`${f.url}/admin/issues/2025-12-10`)).text();
      expect(frozenPage).toContain('editing the templates does not change it');
      expect(frozenPage).not.toContain('their picks may differ');
    } finally {
      writeFileSync(header, original);
    }
  });

  it('shows a template error on the page instead of failing, and recovers on reload', async () => {
    const file = path.join(f.templatesDir, 'issue.mjml.hbs');
    const original = readFileSync(file, 'utf8');
    appendFileSync(file, '\n{{#if issue}}\n');
    try {
      const res = await fetch(`${f.url}/admin/issues/2025-12-11`);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('The issue does not render');
    } finally {
      writeFileSync(file, original);
    }
    expect((await fetch(`${f.url}/admin/issues/2025-12-11`)).status).toBe(200);
  });

  it("says on a subscriber's page that the draft does not render, and why, rather than that there is none", async () => {
    const page = async () => (await fetch(`${f.url}/admin/subscribers?email=kv%40example.org`)).text();
    expect(await page()).toContain('<h2>Their copy of 2025-12-11</h2>');
    const file = path.join(f.templatesDir, 'subject.txt.hbs');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, '{{#if date}}<b>Hot');
    try {
      const broken = await page();
      expect(broken).not.toContain('No draft to show');
      const alert = /<p class="problem" role="alert">([^\n]*?)<\/p>/.exec(broken)?.[1] ?? '';
      expect(alert).toMatch(/^The draft <a href="\/admin\/issues\/2025-12-11">2025-12-11<\/a> does not render, so their copy cannot be shown: /);
      // Whole, in one line, and escaped: the file, where, and what.
      expect(alert).toContain(`${f.templatesDir}/subject.txt.hbs: Parse error on line 1, after &quot;{{#if date}}&lt;b&gt;Hot&quot;, at the end: Expecting &#39;OPEN_INVERSE_CHAIN&#39;`);
      expect(broken).not.toContain('<b>Hot');
      expect(broken).toContain('<dt>Status</dt><dd>active</dd>');
    } finally {
      writeFileSync(file, original);
    }
    expect(await page()).toContain('<h2>Their copy of 2025-12-11</h2>');
  });

  it('previews as a chosen subscriber: their themes, name and links', async () => {
    const kv = (await f.app.store().getSubscriberByEmail('kv@example.org'))!;
    const page = await (await fetch(`${f.url}/admin/issues/2025-12-10?as=kv%40example.org`)).text();
    expect(page).toContain('Showing the copy for kv@example.org, topics: efficient-inference');
    // 2025-12-10 is frozen: the issue is what went out, a reader's copy of it is laid out as they are now.
    expect(page).toContain('This is the issue exactly as it went out');
    expect(page).toContain('their picks may differ from the ones they were sent');
    expect(page).toContain('src="/admin/issues/2025-12-10/frame?as=kv%40example.org"');
    const frame = await (await fetch(`${f.url}/admin/issues/2025-12-10/frame?as=kv%40example.org`)).text();
    expect(frame).toContain('Paged KV Cache Serving');
    expect(frame).not.toContain('Fast Video Diffusion');
    expect(frame).toContain(`/u/${kv.id.toString(36)}.`);

    const all = await (await fetch(`${f.url}/admin/issues/2025-12-10?as=all%40example.org`)).text();
    expect(all).toContain('all@example.org (All &lt;Themes&gt;), every topic');
    const none = await (await fetch(`${f.url}/admin/issues/2025-12-10?as=none%40example.org`)).text();
    expect(none).toContain('follows none of this issue&#39;s topics');
    expect(none).not.toContain('<iframe');
    const unknown = await (await fetch(`${f.url}/admin/issues/2025-12-10?as=%3Cscript%3E%40x.org`)).text();
    expect(unknown).toContain('No subscriber has the address &lt;script&gt;@x.org');
  });

  it('sends a test copy of a draft through the configured SMTP server', async () => {
    const client = createHttpClient(f.url);
    const page = await (await client.get('/admin/issues/2025-12-11')).text();
    const res = await client.post('/admin/issues/2025-12-11/test', { to: 'operator@example.org', csrf: csrfIn(page, '/admin/issues/2025-12-11/test') });
    expect(res.status).toBe(303);
    const mail = await waitFor(() => f.smtp.received.find((m) => m.envelopeTo.includes('operator@example.org')));
    expect(mail.parsed.subject).toMatch(/^\[TEST\] /);
    const shown = await (await client.get(res.headers.get('location')!)).text();
    expect(shown).toContain('A test copy went to operator@example.org');
    // A test copy is outside the ledger: the draft is still a draft.
    expect(await f.app.store().getIssue('2025-12-11')).toBeNull();

    const bad = await client.post('/admin/issues/2025-12-11/test', { to: 'not an address', csrf: csrfIn(page, '/admin/issues/2025-12-11/test') });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The test was not sent');
  });

  it('refuses an admin form from another site even with a valid-looking session', async () => {
    const client = createHttpClient(f.url);
    const page = await (await client.get('/admin/issues/2025-12-11')).text();
    const csrf = csrfIn(page, '/admin/issues/2025-12-11/test');
    const res = await client.post('/admin/issues/2025-12-11/test', { to: 'x@example.org', csrf }, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    const noCookie = await fetch(`${f.url}/admin/issues/2025-12-11/test`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `to=x%40example.org&csrf=${encodeURIComponent(csrf)}`,
    });
    expect(noCookie.status).toBe(403);
  });

  it('answers 404 for an unknown issue', async () => {
    expect((await fetch(`${f.url}/admin/issues/2020-01-01`)).status).toBe(404);
    expect((await fetch(`${f.url}/admin/issues/2020-01-01/frame`)).status).toBe(404);
  });
});
