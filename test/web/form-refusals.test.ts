/**
 * A refused form says what happened (issue #22, "Also found": the 403 for a missing CSRF token
 * or a cross-site post said "This form has expired"). Each reason has its own heading: a post
 * from another site, a form without its check field, a missing cookie, a field that does not
 * match. Over real HTTP, on the subscribe form, a subscriber page and the admin login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/subscribers/sign-token.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { SECRET_KEY, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

/** The page's heading and text, for one refused post. */
async function refusal(res: Response): Promise<string> {
  expect(res.status).toBe(403);
  const html = await res.text();
  expect(html).not.toContain('expired');
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? html;
}

describe('a refused form post', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture({ adminToken: 'admin-token-' + 'r'.repeat(24), subscribers: [{ email: 'reader@example.org' }] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('on the subscribe form, says which check failed', async () => {
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get('/')).text(), '/subscribe');
    expect(await refusal(await client.post('/subscribe', { csrf, email: 'a@example.org' }, { 'sec-fetch-site': 'cross-site' }))).toBe('Sent from another site');
    expect(await refusal(await client.post('/subscribe', { csrf, email: 'a@example.org' }, { origin: 'https://evil.example' }))).toBe('Sent from another site');
    expect(await refusal(await client.post('/subscribe', { email: 'a@example.org' }))).toBe('The form is incomplete');
    const noCookie = await fetch(`${f.url}/subscribe`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(csrf)}&email=a%40example.org` });
    const noCookieHtml = await noCookie.clone().text();
    expect(await refusal(noCookie)).toBe('Your browser did not send its cookie');
    expect(noCookieHtml).toContain('allow cookies for this site');
    expect(await refusal(await client.post('/subscribe', { csrf: csrf.slice(0, -2) + 'xx', email: 'a@example.org' }))).toBe('This form could not be checked');
  });

  it('on a subscriber page and the admin login too', async () => {
    const s = (await f.app.store().getSubscriberByEmail('reader@example.org'))!;
    const prefs = `/p/${signToken(SECRET_KEY, 'preferences', s.id)}`;
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get(prefs)).text(), prefs);
    expect(await refusal(await client.post(prefs, { csrf, scope: 'all' }, { 'sec-fetch-site': 'cross-site' }))).toBe('Sent from another site');
    expect(await refusal(await client.post(prefs, { scope: 'all' }))).toBe('The form is incomplete');
    expect(await refusal(await client.post(prefs, { csrf: 'forged', scope: 'all' }))).toBe('This form could not be checked');

    const login = createHttpClient(f.url);
    const loginCsrf = csrfIn(await (await login.get('/admin/login')).text());
    expect(await refusal(await login.post('/admin/login', { csrf: loginCsrf, token: 'x' }, { origin: 'https://evil.example' }))).toBe('Sent from another site');
    expect(await refusal(await login.post('/admin/login', { token: 'x' }))).toBe('The form is incomplete');
    login.cookies.delete('pp_csrf');
    expect(await refusal(await login.post('/admin/login', { csrf: loginCsrf, token: 'x' }))).toBe('Your browser did not send its cookie');
  });
});
