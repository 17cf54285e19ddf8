/**
 * GET /healthz (issue #22, "Also found"): 200 with the running version when the database
 * answers, 503 when it does not (closed under the server, a PostgreSQL nobody listens on, or
 * one that accepts the connection and never answers), with no detail of the failure in the
 * response.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { fixtureConfig, freePort, ROOT } from './support/start-web-fixture.js';

const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A web server on a fresh app over `env`; what it logs goes to `logs`. */
async function serve(env: Record<string, string> = {}): Promise<{ app: App; server: WebServer; logs: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-healthz-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const app = createApp(fixtureConfig(dir, env));
  cleanup.push(() => app.close());
  const logs: string[] = [];
  const server = await startWebServer(app, { port: 0, host: '127.0.0.1', log: (line) => void logs.push(line) });
  cleanup.push(() => server.close());
  return { app, server, logs };
}

describe('/healthz', () => {
  it('answers 200 JSON with the version when the database answers', async () => {
    const { server } = await serve();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', version: VERSION, database: 'ok' });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers 503 once the database is gone, and logs why', async () => {
    const { app, server, logs } = await serve();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await app.close();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', version: VERSION, database: 'failing' });
    expect(logs.join('\n')).toMatch(/\/healthz: the database did not answer/);
  });

  it('answers 503 when PostgreSQL does not answer, without naming it or its password', async () => {
    const port = await freePort();
    const { server, logs } = await serve({ DATABASE_URL: `postgres://paperpost:hunter2-secret@127.0.0.1:${port}/paperpost` });
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ status: 'unavailable', version: VERSION, database: 'failing' });
    expect(body).not.toContain(String(port));
    expect(logs.join('\n')).toMatch(/\/healthz: the database did not answer/);
    expect(logs.join('\n')).not.toContain('hunter2-secret');
  });

  it('answers 503 within about 5 seconds when the database accepts and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      silent.close(() => resolve());
    }));
    const { port } = silent.address() as { port: number };
    const { server, logs } = await serve({ DATABASE_URL: `postgres://paperpost:pw@127.0.0.1:${port}/paperpost` });
    const started = Date.now();
    const res = await fetch(`${server.url}/healthz`);
    const took = Date.now() - started;
    expect(res.status).toBe(503);
    expect(took).toBeGreaterThanOrEqual(4_900);
    expect(took).toBeLessThan(8_000);
    expect(logs.join('\n')).toContain('no answer within 5 s');
  }, 20_000);
});
