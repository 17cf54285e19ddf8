/**
 * The public pages over real HTTP: subscribe with double opt-in (the confirmation email
 * arrives at a real SMTP server), no enumeration, rate limits, CSRF, the RFC 8058 one-click
 * unsubscribe, preferences, and forged tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, verifyConfirmToken } from '../../src/subscribers/sign-token.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { SECRET_KEY, startWebFixture, waitFor, type WebFixture } from './support/start-web-fixture.js';

let f: WebFixture;

beforeAll(async () => {
  f = await startWebFixture({
    sentIssue: true,
    subscribers: [{ email: 'reader@example.org', name: 'Reader' }],
    rateLimits: { subscribePerClient: { limit: 40, windowMs: 3_600_000 } },
  });
});
afterAll(async () => {
  await f?.close();
});

const store = () => f.app.store();
const mailTo = (address: string) => f.smtp.received.filter((m) => m.envelopeTo.includes(address));
const linkIn = (text: string, path: string) => {
  const m = new RegExp(`${f.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path}/[A-Za-z0-9._-]+`).exec(text);
  if (!m) throw new Error(`no ${path} link in ${text}`);
  return m[0].slice(f.url.length);
};

/** Loads the form and submits it like a browser. */
async function subscribe(email: string, extra: Record<string, string | string[]> = {}, client = createHttpClient(f.url)) {
  const form = await client.get('/');
  const csrf = csrfIn(await form.text(), '/subscribe');
  return client.post('/subscribe', { csrf, email, name: 'New Person', scope: 'all', ...extra });
}

describe('subscribe', () => {
  it('adds a pending subscriber, mails a confirmation link, and activates only on the button', async () => {
    const res = await subscribe('new.person@Example.ORG');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    const s = await store().getSubscriberByEmail('new.person@example.org');
    expect(s).toMatchObject({ status: 'pending', name: 'New Person', themes: null });

    const [mail] = await waitFor(() => (mailTo('new.person@example.org').length ? mailTo('new.person@example.org') : null));
    expect(mail!.parsed.subject).toBe('Confirm your subscription to paperpost');
    expect(mail!.raw.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const confirmPath = linkIn(mail!.parsed.text ?? '', '/confirm');
    // The link names this request from the form, signed: it confirms that request only.
    expect(verifyConfirmToken(SECRET_KEY, confirmPath.slice('/confirm/'.length))).toMatchObject({ subscriberId: s!.id });
    expect(mail!.parsed.html).toContain(`href="${f.url}${confirmPath}"`);

    // A link scanner's GET must not confirm.
    const client = createHttpClient(f.url);
    const page = await client.get(confirmPath);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Confirm my subscription');
    expect((await store().getSubscriberById(s!.id))!.status).toBe('pending');

    expect((await client.post(confirmPath, {})).status).toBe(403);
    expect((await store().getSubscriberById(s!.id))!.status).toBe('pending');

    const done = await client.post(confirmPath, { csrf: csrfIn(html) });
    expect(done.status).toBe(303);
    expect((await store().getSubscriberById(s!.id))!.status).toBe('active');
    const after = await client.get(done.headers.get('location')!);
    expect(await after.text()).toContain('You are subscribed');
  });

  it('answers every address the same way, and only the owner learns the difference', async () => {
    await store().upsertSubscriber({ email: 'gone@example.org', status: 'unsubscribed', themes: ['Old Theme'] });
    await store().upsertSubscriber({ email: 'dead@example.org', status: 'bounced' });
    await store().upsertSubscriber({ email: 'angry@example.org', status: 'complained' });
    await store().upsertSubscriber({ email: 'happy@example.org', name: 'Happy', status: 'active', themes: ['Kv Cache'] });
    const pages = new Map<string, string>();
    for (const email of ['fresh@example.org', 'gone@example.org', 'dead@example.org', 'angry@example.org', 'happy@example.org']) {
      const res = await subscribe(email);
      expect(res.status).toBe(200);
      pages.set(email, (await res.text()).replaceAll(email, 'ADDRESS'));
    }
    expect(new Set(pages.values()).size).toBe(1);

    await waitFor(() => ['fresh', 'gone', 'happy', 'dead', 'angry'].every((n) => mailTo(`${n}@example.org`).length === 1));
    // Someone who left gets a fresh link, and stays as they are until they click it themselves.
    for (const [email, status] of [['gone@example.org', 'unsubscribed'], ['dead@example.org', 'bounced'], ['angry@example.org', 'complained']] as const) {
      expect(mailTo(email)[0]!.parsed.subject).toBe('Confirm your subscription to paperpost');
      expect((await store().getSubscriberByEmail(email))!.status).toBe(status);
    }
    const happy = mailTo('happy@example.org')[0]!;
    expect(happy.parsed.subject).toBe('You are already subscribed to paperpost');
    const happyRow = (await store().getSubscriberByEmail('happy@example.org'))!;
    expect(happy.parsed.text).toContain(`/p/${signToken(SECRET_KEY, 'preferences', happyRow.id)}`);
    // A stranger's form must not change an active subscription.
    expect(happyRow).toMatchObject({ status: 'active', name: 'Happy', themes: ['Kv Cache'] });
  });

  it('refuses a post without the CSRF field, with a forged one, or from another site (403)', async () => {
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get('/')).text(), '/subscribe');
    expect((await client.post('/subscribe', { email: 'csrf@example.org' })).status).toBe(403);
    expect((await client.post('/subscribe', { csrf: csrf.slice(0, -2) + 'xx', email: 'csrf@example.org' })).status).toBe(403);
    // The token is bound to this client's cookie: another client's token is worthless.
    const other = createHttpClient(f.url);
    await other.get('/');
    expect((await other.post('/subscribe', { csrf, email: 'csrf@example.org' })).status).toBe(403);
    expect((await client.post('/subscribe', { csrf, email: 'csrf@example.org' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await client.post('/subscribe', { csrf, email: 'csrf@example.org' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await store().getSubscriberByEmail('csrf@example.org')).toBeNull();
    expect((await client.post('/subscribe', { csrf, email: 'csrf@example.org' }, { origin: f.url })).status).toBe(200);
  });

  it('re-shows the form with a message for a bad address (400) and keeps what was typed, escaped', async () => {
    const res = await subscribe('not an address<script>', { name: '<b>Bob</b>' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enter an email address');
    expect(html).toContain('value="not an address&lt;script&gt;"');
    expect(html).toContain('value="&lt;b&gt;Bob&lt;/b&gt;"');
    expect(html).not.toContain('<b>Bob</b>');
  });

  it('limits attempts per address (429 with Retry-After), then lets them through after the window', async () => {
    for (let i = 0; i < 3; i++) expect((await subscribe('limited@example.org')).status).toBe(200);
    const blocked = await subscribe('limited@example.org');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await subscribe('Limited@example.org')).status).toBe(429);
    f.clock.advance(61 * 60_000);
    expect((await subscribe('limited@example.org')).status).toBe(200);
  });
});

describe('request size', () => {
  it('refuses a body over 32 KB (413) before reading it', async () => {
    const res = await fetch(`${f.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=' + 'a'.repeat(40_000),
    });
    expect(res.status).toBe(413);
  });
});

describe('rate limit per client', () => {
  it('answers 429 once one client has used its attempts, whatever the address', async () => {
    const g = await startWebFixture({ rateLimits: { subscribePerClient: { limit: 2, windowMs: 600_000 } } });
    try {
      const client = createHttpClient(g.url);
      const csrf = csrfIn(await (await client.get('/')).text(), '/subscribe');
      expect((await client.post('/subscribe', { csrf, email: 'a@example.org' })).status).toBe(200);
      expect((await client.post('/subscribe', { csrf, email: 'b@example.org' })).status).toBe(200);
      const third = await client.post('/subscribe', { csrf, email: 'c@example.org' });
      expect(third.status).toBe(429);
      expect(await third.text()).toContain('Too many attempts');
      expect(await g.app.store().getSubscriberByEmail('c@example.org')).toBeNull();
      // X-Forwarded-For is not trusted by default: a forged one does not reset the count.
      expect((await client.post('/subscribe', { csrf, email: 'd@example.org' }, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    } finally {
      await g.close();
    }
  });
});

describe('unsubscribe', () => {
  const fresh = async (email: string) => (await store().upsertSubscriber({ email, status: 'active' })).subscriber;

  it('unsubscribes at once on the RFC 8058 one-click POST, with no CSRF token', async () => {
    const s = await fresh('oneclick@example.org');
    const token = signToken(SECRET_KEY, 'unsubscribe', s.id);
    const res = await fetch(`${f.url}/u/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await store().getSubscriberById(s.id))!.status).toBe('unsubscribed');
  });

  it('answers a one-click POST on a forgotten reader\'s old link with 200, changing nothing; other posts there are 404', async () => {
    const s = await fresh('forgotten-oneclick@example.org');
    const token = signToken(SECRET_KEY, 'unsubscribe', s.id);
    expect(await store().forgetSubscriber(s.id)).toBe(true);
    const before = await store().countRows('subscribers');
    const res = await fetch(`${f.url}/u/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    expect(await store().countRows('subscribers')).toBe(before);
    expect(await store().getSubscriberById(s.id)).toBeNull();
    // Not a one-click body, or not a genuine link: nothing there.
    expect((await fetch(`${f.url}/u/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' })).status).toBe(404);
    expect((await fetch(`${f.url}/u/${token}x`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
  });

  it('accepts the one-click body as multipart/form-data too', async () => {
    const s = await fresh('multipart@example.org');
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(`${f.url}/u/${signToken(SECRET_KEY, 'unsubscribe', s.id)}`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect((await store().getSubscriberById(s.id))!.status).toBe('unsubscribed');
  });

  it('never unsubscribes on GET; the page posts with a CSRF token, then offers to resubscribe', async () => {
    const s = await fresh('pagey@example.org');
    const token = signToken(SECRET_KEY, 'unsubscribe', s.id);
    const client = createHttpClient(f.url);
    const page = await client.get(`/u/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('p•••@example.org');
    expect(html).not.toContain('pagey@example.org');
    await client.get(`/u/${token}`);
    expect((await store().getSubscriberById(s.id))!.status).toBe('active');

    expect((await client.post(`/u/${token}`, { other: 'field' })).status).toBe(403);
    expect((await store().getSubscriberById(s.id))!.status).toBe('active');

    const done = await client.post(`/u/${token}`, { csrf: csrfIn(html, `/u/${token}`) });
    expect(done.status).toBe(303);
    expect((await store().getSubscriberById(s.id))!.status).toBe('unsubscribed');
    const after = await (await client.get(`/u/${token}`)).text();
    expect(after).toContain('You are unsubscribed');

    // "Subscribe again" emails a fresh confirmation link; the status changes only on its click.
    const back = await client.post(`/u/${token}/resubscribe`, { csrf: csrfIn(after, `/u/${token}/resubscribe`) });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('Check your inbox');
    expect((await store().getSubscriberById(s.id))!.status).toBe('unsubscribed');
    const [mail] = await waitFor(() => (mailTo('pagey@example.org').length ? mailTo('pagey@example.org') : null));
    expect(mail!.parsed.subject).toBe('Confirm your subscription to paperpost');
    const confirmPath = linkIn(mail!.parsed.text ?? '', '/confirm');
    const confirmPage = await (await client.get(confirmPath)).text();
    expect((await client.post(confirmPath, { csrf: csrfIn(confirmPage) })).status).toBe(303);
    expect((await store().getSubscriberById(s.id))!.status).toBe('active');
  });

  it('leaves bounced and complained subscribers as they are', async () => {
    const { subscriber: s } = await store().upsertSubscriber({ email: 'bouncy@example.org', status: 'bounced' });
    const res = await fetch(`${f.url}/u/${signToken(SECRET_KEY, 'unsubscribe', s.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await store().getSubscriberById(s.id))!.status).toBe('bounced');
  });
});

describe('forged and unknown tokens', () => {
  it('get a bare 404 on every token route, and change nothing', async () => {
    const { subscriber: s } = await store().upsertSubscriber({ email: 'target@example.org', status: 'active' });
    const real = signToken(SECRET_KEY, 'unsubscribe', s.id);
    const tampered = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    const otherId = signToken('another-secret-key-entirely-0000', 'unsubscribe', s.id);
    const wrongPurpose = signToken(SECRET_KEY, 'preferences', s.id);
    const unknownId = signToken(SECRET_KEY, 'unsubscribe', 999_999);
    const bodies = new Set<string>();
    for (const token of [tampered, otherId, wrongPurpose, unknownId, 'x', '../admin', '1.aaaaaaaaaaaaaaaaaaaaaaaa']) {
      for (const path of [`/u/${encodeURIComponent(token)}`, `/p/${encodeURIComponent(token.replace(/^.*\./, '1.'))}`, `/confirm/${encodeURIComponent(token)}`]) {
        const get = await fetch(f.url + path, { redirect: 'manual' });
        expect(get.status, path).toBe(404);
        bodies.add(await get.text());
      }
      const post = await fetch(`${f.url}/u/${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(post.status).toBe(404);
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).not.toMatch(/token|signature|subscriber|target/i);
    expect((await store().getSubscriberById(s.id))!.status).toBe('active');
  });
});

describe('preferences', () => {
  it('saves a pick of themes and a name with a CSRF token, and refuses without one', async () => {
    const { subscriber: s } = await store().upsertSubscriber({ email: 'picky@example.org', name: 'Picky', status: 'active' });
    const token = signToken(SECRET_KEY, 'preferences', s.id);
    const client = createHttpClient(f.url);
    const page = await client.get(`/p/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const labels = [...html.matchAll(/name="theme" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(labels.length).toBeGreaterThan(1);

    expect((await client.post(`/p/${token}`, { name: 'Hacked', scope: 'all' })).status).toBe(403);
    expect((await store().getSubscriberById(s.id))!.name).toBe('Picky');

    const csrf = csrfIn(html, `/p/${token}`);
    const empty = await client.post(`/p/${token}`, { csrf, name: 'Picky', scope: 'some' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Tick at least one topic');

    const saved = await client.post(`/p/${token}`, { csrf, name: '  New\u0007 Name ', scope: 'some', theme: [labels[0]!, 'Not A Real Theme'] });
    expect(saved.status).toBe(303);
    expect(await store().getSubscriberById(s.id)).toMatchObject({ name: 'New Name', themes: [labels[0]] });
    const again = await (await client.get(saved.headers.get('location')!)).text();
    expect(again).toContain('Your preferences are saved');

    await client.post(`/p/${token}`, { csrf, name: '', scope: 'all' });
    expect(await store().getSubscriberById(s.id)).toMatchObject({ name: null, themes: null });
  });
});

describe('preferences after a validation error', () => {
  const checked = (html: string, name: string, value: string) =>
    new RegExp(`name="${name}" value="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" checked`).test(html);

  it('shows the form again as it was sent: the pick, the ticked boxes and the typed name (escaped)', async () => {
    // 55 themes on offer (their own, e.g. imported), 51 ticked: one more than may be picked.
    const themes = Array.from({ length: 55 }, (_, i) => `Theme ${String(i + 1).padStart(2, '0')}`);
    const { subscriber: s } = await store().upsertSubscriber({ email: 'many@example.org', name: 'Many', status: 'active', themes });
    const token = signToken(SECRET_KEY, 'preferences', s.id);
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get(`/p/${token}`)).text(), `/p/${token}`);
    const ticked = themes.slice(2, 53);
    const res = await client.post(`/p/${token}`, { csrf, name: '<b>Ann</b> & "co"', scope: 'some', theme: ticked });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Tick at most 50 topics, or choose all topics.');
    for (const label of themes) expect(checked(html, 'theme', label), label).toBe(ticked.includes(label));
    expect(checked(html, 'scope', 'some')).toBe(true);
    expect(checked(html, 'scope', 'all')).toBe(false);
    expect(html).toContain('value="&lt;b&gt;Ann&lt;/b&gt; &amp; &quot;co&quot;"');
    expect(html).not.toContain('<b>Ann</b>');
    // Nothing was saved, and nothing was cut short silently.
    expect(await store().getSubscriberById(s.id)).toMatchObject({ name: 'Many', themes });
  });

  it('keeps "only the themes I tick" chosen when none of the ticked themes is offered any more', async () => {
    const { subscriber: s } = await store().upsertSubscriber({ email: 'stale@example.org', name: 'Stale', status: 'active' });
    const token = signToken(SECRET_KEY, 'preferences', s.id);
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get(`/p/${token}`)).text(), `/p/${token}`);
    const res = await client.post(`/p/${token}`, { csrf, name: 'Still Me', scope: 'some', theme: 'A Theme From Last Month' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Tick at least one topic');
    expect(checked(html, 'scope', 'some')).toBe(true);
    expect(checked(html, 'scope', 'all')).toBe(false);
    expect(html).toContain('value="Still Me"');
    expect(await store().getSubscriberById(s.id)).toMatchObject({ name: 'Stale', themes: null });
  });
});

describe('headers', () => {
  it('sends a strict CSP, no-referrer and no framing on pages', async () => {
    for (const path of ['/', '/archive', '/manage', `/u/${signToken(SECRET_KEY, 'unsubscribe', 1)}`]) {
      const res = await fetch(f.url + path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('script-src');
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).not.toMatch(/<script|\son[a-z]+=|style="/i);
    }
  });
});
