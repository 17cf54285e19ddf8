/**
 * A digest fetch that keeps failing is retried within the run, with growing waits, and the
 * run still sends when the source comes back; bad content is not retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src/app.js';
import { runDailyJob } from '../../src/schedule/run-daily-job.js';
import { DigestError } from '../../src/errors.js';
import { addSubscribers, memoryLog, paper, scratch } from './helpers.js';

const apps: App[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A local digest server that fails the first `failures` requests with 503. */
async function flakyServer(failures: number, body: string) {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    if (requests <= failures) {
      res.writeHead(503).end('busy');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/digest.json`, requests: () => requests };
}

describe('fetching the digest in a run', () => {
  it('retries a failing source with growing waits and sends once it answers', async () => {
    const digest = JSON.stringify({ date: '2026-03-02', source: 'test', papers: [paper('kv', 1, 3), paper('kv', 2, 2)] });
    // HTTP_RETRIES=1: each fetch makes 2 requests; 5 failures need the run's third attempt.
    const source = await flakyServer(5, digest);
    const s = scratch({ DIGEST_SOURCE: source.url, HTTP_RETRIES: '1', FETCH_ATTEMPTS: '3' });
    const app = s.app();
    apps.push(app);
    await addSubscribers(app, 1);
    const waits: number[] = [];
    const log = memoryLog();
    const result = await runDailyJob(app, { log, fetchRetryBaseMs: 100, sleep: async (ms) => void waits.push(ms) });
    expect(result).toMatchObject({ outcome: 'sent', issueId: '2026-03-02' });
    expect(waits).toEqual([100, 200]);
    expect(log.lines.filter((l) => l.level === 'warn' && /fetching the digest failed/.test(l.msg))).toHaveLength(2);
  });

  it('gives up after FETCH_ATTEMPTS and says why', async () => {
    const source = await flakyServer(100, '');
    const s = scratch({ DIGEST_SOURCE: source.url, HTTP_RETRIES: '0', FETCH_ATTEMPTS: '2' });
    const app = s.app();
    apps.push(app);
    await expect(runDailyJob(app, { log: memoryLog(), fetchRetryBaseMs: 1, sleep: async () => {} })).rejects.toBeInstanceOf(DigestError);
    expect(source.requests()).toBe(2);
    expect((await app.store().lastRuns(1))[0]).toMatchObject({ outcome: 'failed' });
  });

  it('does not retry content that cannot be read', async () => {
    const source = await flakyServer(0, '{"truncated": ');
    const s = scratch({ DIGEST_SOURCE: source.url, HTTP_RETRIES: '0', FETCH_ATTEMPTS: '3' });
    const app = s.app();
    apps.push(app);
    await expect(runDailyJob(app, { log: memoryLog(), sleep: async () => {} })).rejects.toThrow(/invalid JSON|truncated|JSON/i);
    expect(source.requests()).toBe(1);
  });
});
