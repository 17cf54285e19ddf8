/**
 * `--check-links` against a real HTTP server on 127.0.0.1 (never the internet): each distinct
 * link is fetched once, HEAD first and GET when the server does not do HEAD (405, 501), with a
 * timeout and a small concurrency; 4xx and 5xx are errors, no answer is a warning.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinkStatus, fetchLinkStatuses } from '../../src/deliver/check-link-status.js';
import { formatProblem } from '../../src/render/checks/check-problem.js';

let server: Server;
let base: string;
const requests: string[] = [];
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    res.on('close', () => inFlight--);
    const reply = (status: number) => setTimeout(() => res.writeHead(status).end(req.method === 'GET' ? 'body' : undefined), 30);
    switch (req.url) {
      case '/ok': return reply(200);
      case '/gone': return reply(404);
      case '/broken': return reply(500);
      case '/no-head': return reply(req.method === 'HEAD' ? 405 : 200);
      case '/no-head-missing': return reply(req.method === 'HEAD' ? 501 : 410);
      case '/moved': res.writeHead(301, { location: '/gone' }).end(); return;
      case '/slow': return; // never answers
      default: return reply(200);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('checkLinkStatus', () => {
  it('reports 4xx and 5xx, follows redirects, falls back to GET on 405 and 501, and fetches each link once', async () => {
    requests.length = 0;
    const urls = ['/ok', '/gone', '/broken', '/no-head', '/no-head-missing', '/moved', '/ok', '/gone'].map((p) => base + p);
    const problems = await checkLinkStatus(urls, { timeoutMs: 5000 });
    expect(problems.map(formatProblem)).toEqual([
      `error: link-status: ${base}/gone: answers 404`,
      `error: link-status: ${base}/broken: answers 500`,
      `error: link-status: ${base}/no-head-missing: answers 410`,
      `error: link-status: ${base}/moved: answers 404`,
    ]);
    expect(requests.sort()).toEqual(
      ['HEAD /ok', 'HEAD /gone', 'HEAD /broken', 'HEAD /no-head', 'GET /no-head', 'HEAD /no-head-missing', 'GET /no-head-missing', 'HEAD /moved', 'HEAD /gone'].sort(),
    );
  });

  it('gives up on a link that does not answer in time, as a warning, and keeps to its concurrency', async () => {
    mostInFlight = 0;
    const started = Date.now();
    const urls = [base + '/slow', ...Array.from({ length: 8 }, (_, i) => `${base}/page-${i}`)];
    const statuses = await fetchLinkStatuses(urls, { timeoutMs: 400, concurrency: 2 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(statuses[0]).toMatchObject({ url: base + '/slow', status: null, error: 'no answer in 0.4 s' });
    expect(statuses.slice(1).every((s) => s.status === 200)).toBe(true);
    expect(mostInFlight).toBeLessThanOrEqual(2);
    expect((await checkLinkStatus([base + '/slow'], { timeoutMs: 300 })).map(formatProblem)).toEqual([`warning: link-status: ${base}/slow: could not be fetched (no answer in 0.3 s)`]);
  });
});
