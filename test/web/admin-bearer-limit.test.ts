/**
 * Admin bearer tokens are limited like the login form (issue #22, "Also found": 240 wrong
 * `Authorization: Bearer` attempts got 401 and never a 429). Wrong tokens count in the login
 * form's limiter, with its numbers; once over, the right token waits out the window too, so
 * guessing cannot go on; a right token on its own is never counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const TOKEN = 'admin-token-' + 'b'.repeat(24);

describe('bearer tokens with ADMIN_TOKEN set', () => {
  let f: WebFixture;
  beforeAll(async () => {
    f = await startWebFixture({ adminToken: TOKEN });
  });
  afterAll(async () => {
    await f?.close();
  });
  const bearer = (token: string, path = '/admin') => fetch(`${f.url}${path}`, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } });

  it('answers 429 after 10 wrong tokens in 15 minutes, even to the right one, until the window ends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await bearer(`guess-${i}-xxxxxxxxxxxxxxxxxxxx`, i % 2 ? '/admin/issues/2025-12-10' : '/admin')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const locked = await bearer(TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    // The login form shares the count: it is locked for this client too.
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get('/admin/login')).text());
    expect((await client.post('/admin/login', { csrf, token: TOKEN })).status).toBe(429);

    f.clock.advance(16 * 60_000);
    expect((await bearer(TOKEN)).status).toBe(200);
    expect((await bearer('guess-again-xxxxxxxxxxxxxxxxxxxx')).status).toBe(401);
  });

  it('never counts the right token: scripts may call as often as they need', async () => {
    f.clock.advance(16 * 60_000);
    for (let i = 0; i < 25; i++) expect((await bearer(TOKEN)).status).toBe(200);
    expect((await bearer('one-wrong-guess-xxxxxxxxxxxxxxxxxx')).status).toBe(401);
  });

  it('shares one count with the login form: wrong logins and wrong tokens add up', async () => {
    f.clock.advance(16 * 60_000);
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get('/admin/login')).text());
    for (let i = 0; i < 5; i++) expect((await client.post('/admin/login', { csrf, token: `wrong-${i}-xxxxxxxxxxxxxxxxxx` })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await bearer(`wrong-${i}-xxxxxxxxxxxxxxxxxx`)).status).toBe(401);
    expect((await bearer('eleventh-try-xxxxxxxxxxxxxxxxxxxxx')).status).toBe(429);
    // Locked by the form's count as much as by the tokens': the right token waits.
    expect((await bearer(TOKEN)).status).toBe(429);
  });
});
