/**
 * TRUST_PROXY over real HTTP: whose address keys the rate limits and the login limit, and
 * whether the admin pages' loopback rule holds behind a reverse proxy. Without TRUST_PROXY the
 * forwarded headers are ignored; with it, only a trusted peer's headers count, X-Forwarded-For
 * and RFC 7239 Forwarded alike, and a forged header never opens anything.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createClientAddressReader } from '../../src/web/security/read-client-address.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { fixtureConfig, startWebFixture, type WebFixture, type WebFixtureOptions } from './support/start-web-fixture.js';

const A = '203.0.113.10';
const B = '203.0.113.20';
let serial = 0;

/** One subscribe attempt from a fresh browser, with `headers` on the POST; the status. */
async function subscribeStatus(f: WebFixture, headers: Record<string, string> = {}): Promise<number> {
  const client = createHttpClient(f.url);
  const csrf = csrfIn(await (await client.get('/')).text(), '/subscribe');
  const res = await client.post('/subscribe', { csrf, email: `p${++serial}@example.org`, scope: 'all' }, headers);
  return res.status;
}

/** Runs `test` against a fixture whose per-client subscribe limit is 2. */
async function withFixture(options: WebFixtureOptions, test: (f: WebFixture) => Promise<void>) {
  const f = await startWebFixture({ rateLimits: { subscribePerClient: { limit: 2, windowMs: 3_600_000 } }, ...options });
  try {
    await test(f);
  } finally {
    await f.close();
  }
}

describe('TRUST_PROXY in the configuration', () => {
  const trustOf = (value: string) => fixtureConfig('/tmp/pp-never', { TRUST_PROXY: value }).trustProxy;

  it('is off when unset or false, and reads a hop count or a list of addresses, ranges and presets', () => {
    expect(fixtureConfig('/tmp/pp-never', {}).trustProxy).toBeUndefined();
    expect(trustOf('false')).toBeUndefined();
    expect(trustOf('0')).toBeUndefined();
    expect(trustOf('1')).toBe(1);
    expect(trustOf(' loopback, 10.0.0.0/8 ,fd00::/8 ')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
  });

  it('refuses anything else with one problem, "true" (trust every hop) included', () => {
    for (const bad of ['true', 'banana', '10.0.0.0/99', '1.2.3', '-1', '*']) {
      let error: unknown;
      try {
        trustOf(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^TRUST_PROXY must be a hop count such as 1, or proxy addresses/)]);
    }
  });
});

describe('the subscribe limit per client', () => {
  it('without TRUST_PROXY ignores X-Forwarded-For and Forwarded: every client shares the peer address', async () => {
    await withFixture({}, async (f) => {
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': B })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
      expect(await subscribeStatus(f, { forwarded: 'for=198.51.100.2' })).toBe(429);
    });
  });

  it('with TRUST_PROXY=1 gives each forwarded client its own limit, and a client cannot choose its address', async () => {
    await withFixture({ trustProxy: '1' }, async (f) => {
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(429);
      expect(await subscribeStatus(f, { 'x-forwarded-for': B })).toBe(200);
      // What A sent itself comes first; the proxy appends the address it saw.
      expect(await subscribeStatus(f, { 'x-forwarded-for': `198.51.100.77, ${A}` })).toBe(429);
      expect(await subscribeStatus(f, { 'x-forwarded-for': `${B}, ${A}` })).toBe(429);
      expect(await subscribeStatus(f, { 'x-forwarded-for': B })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': B })).toBe(429);
    });
  });

  it('with TRUST_PROXY=loopback reads X-Forwarded-For and Forwarded from the proxy on this machine', async () => {
    await withFixture({ trustProxy: 'loopback' }, async (f) => {
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(429);
      expect(await subscribeStatus(f, { forwarded: `for=${A};proto=https` })).toBe(429);
      expect(await subscribeStatus(f, { forwarded: `for=${B};proto=https;by=127.0.0.1` })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': B })).toBe(200);
      expect(await subscribeStatus(f, { forwarded: `for="${B}:4711"` })).toBe(429);
    });
  });

  it('ignores a forged X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    // The proxy is 192.0.2.1; these requests come straight from 127.0.0.1.
    await withFixture({ trustProxy: '192.0.2.1' }, async (f) => {
      expect(await subscribeStatus(f, { 'x-forwarded-for': A })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': B, forwarded: `for=${B}` })).toBe(200);
      expect(await subscribeStatus(f, { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
      expect(await subscribeStatus(f, {})).toBe(429);
    });
  });
});

describe('the login limit per client', () => {
  it('counts failed logins per forwarded client with TRUST_PROXY', async () => {
    const f = await startWebFixture({ adminToken: 'admin-token-' + 'q'.repeat(24), trustProxy: 'loopback', rateLimits: { loginPerClient: { limit: 2, windowMs: 900_000 } } });
    try {
      const attempt = async (from: string) => {
        const client = createHttpClient(f.url);
        const csrf = csrfIn(await (await client.get('/admin/login')).text());
        return (await client.post('/admin/login', { csrf, token: 'wrong-wrong-wrong-wrong' }, { 'x-forwarded-for': from })).status;
      };
      expect([await attempt(A), await attempt(A), await attempt(A)]).toEqual([401, 401, 429]);
      expect(await attempt(B)).toBe(401);
    } finally {
      await f.close();
    }
  });
});

describe('the admin pages without ADMIN_TOKEN on loopback', () => {
  const status = async (f: WebFixture, headers: Record<string, string>) => {
    const res = await fetch(`${f.url}/admin`, { redirect: 'manual', headers });
    return { status: res.status, text: await res.text() };
  };

  it('with TRUST_PROXY, refuse a request the proxy forwarded for another machine, however it is forged', async () => {
    await withFixture({ trustProxy: 'loopback' }, async (f) => {
      expect((await status(f, {})).status).toBe(200);
      expect((await status(f, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
      const remote = await status(f, { 'x-forwarded-for': A });
      expect(remote.status).toBe(403);
      expect(remote.text).toContain('came through the reverse proxy from another machine');
      // The client's own "127.0.0.1" is followed by the address the proxy saw.
      expect((await status(f, { 'x-forwarded-for': `127.0.0.1, ${A}` })).status).toBe(403);
      expect((await status(f, { forwarded: `for=${A}` })).status).toBe(403);
      expect((await status(f, { forwarded: 'for="[2001:db8::1]"' })).status).toBe(403);
      expect((await status(f, { forwarded: 'for=_hidden' })).status).toBe(403);
      // A second header naming another client makes the client unknown, not local.
      expect((await status(f, { 'x-forwarded-for': A, forwarded: 'for=127.0.0.1' })).status).toBe(403);
      expect((await status(f, { 'x-forwarded-for': '127.0.0.1', forwarded: `for=${A}` })).status).toBe(403);
    });
  });

  it('with TRUST_PROXY set to another proxy, or unset, headers change nothing', async () => {
    for (const trustProxy of ['192.0.2.1', undefined]) {
      await withFixture({ trustProxy }, async (f) => {
        expect((await status(f, { 'x-forwarded-for': A })).status).toBe(200);
        expect((await status(f, { forwarded: `for=${A}` })).status).toBe(200);
      });
    }
  });

  it('a forged loopback address never lets a request past ADMIN_TOKEN', async () => {
    const f = await startWebFixture({ adminToken: 'admin-token-' + 'q'.repeat(24), trustProxy: '1' });
    try {
      const forged: Record<string, string>[] = [{ 'x-forwarded-for': '127.0.0.1' }, { forwarded: 'for=127.0.0.1' }, { 'x-forwarded-for': '::1', forwarded: 'for="[::1]"' }];
      for (const headers of forged) {
        expect((await status(f, headers)).status).toBe(303);
      }
    } finally {
      await f.close();
    }
  });
});

describe('the client address reader behind a real server', () => {
  let server: Server;
  let base: string;
  let readers: Record<string, (c: Parameters<ReturnType<typeof createClientAddressReader>>[0]) => string>;
  beforeAll(async () => {
    readers = { off: createClientAddressReader(undefined), one: createClientAddressReader(1), two: createClientAddressReader(2), loopback: createClientAddressReader(['loopback', '10.0.0.0/8']) };
    const hono = new Hono();
    hono.get('/:trust', (c) => c.text(readers[c.req.param('trust')]!(c)));
    server = createAdaptorServer({ fetch: hono.fetch }) as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const read = async (trust: string, headers: Record<string, string> = {}) => (await fetch(`${base}/${trust}`, { headers })).text();

  it('is the socket peer without trust, or without forwarded headers', async () => {
    expect(await read('off', { 'x-forwarded-for': A, forwarded: `for=${A}` })).toBe('127.0.0.1');
    expect(await read('one')).toBe('127.0.0.1');
    expect(await read('loopback')).toBe('127.0.0.1');
  });

  it('walks X-Forwarded-For back through the trusted hops', async () => {
    expect(await read('one', { 'x-forwarded-for': `${B}, ${A}` })).toBe(A);
    expect(await read('two', { 'x-forwarded-for': `${B}, ${A}` })).toBe(B);
    expect(await read('two', { 'x-forwarded-for': A })).toBe(A);
    expect(await read('loopback', { 'x-forwarded-for': `${B}, ${A}, 10.1.2.3` })).toBe(A);
  });

  it('reads RFC 7239 Forwarded: quoted values, ports, IPv6, several elements and header lines', async () => {
    expect(await read('one', { forwarded: `for=${B}, for="${A}:8080";proto=https` })).toBe(A);
    expect(await read('one', { forwarded: 'For="[2001:db8:cafe::17]:4711"' })).toBe('2001:db8:cafe::17');
    expect(await read('two', { forwarded: `for=${B};by=x, proto=https;for=10.0.0.9` })).toBe(B);
    expect(await read('loopback', { forwarded: `for=${B}, for=10.0.0.9;host="a,b"` })).toBe(B);
    expect(await read('one', { forwarded: 'proto=https' })).toBe('unknown');
    expect(await read('one', { forwarded: 'for="1.2.3.4,5.6.7.8"' })).toBe('unknown');
  });

  it('calls the client unknown when the two headers name different clients', async () => {
    expect(await read('one', { 'x-forwarded-for': A, forwarded: `for=${A}` })).toBe(A);
    expect(await read('one', { 'x-forwarded-for': A, forwarded: `for=${B}` })).toBe('unknown');
    expect(await read('one', { 'x-forwarded-for': '127.0.0.1', forwarded: `for=${B}` })).toBe('unknown');
  });
});
