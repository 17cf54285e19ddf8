import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchBytes } from '../../src/ingest/fetch-bytes.js';
import { ingestDigest } from '../../src/ingest/ingest-digest.js';
import { MAX_DIGEST_BYTES } from '../../src/ingest/parse-context.js';
import { expectDigestError, fixture, REAL_API } from './fixtures.js';

/** A local stand-in for huggingface.co and arxiv.org, with a few bad behaviours on demand. */
let server: Server;
let base: string;
const hits = new Map<string, number>();
const requests: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x');
  requests.push(req.url ?? '');
  const n = (hits.get(url.pathname) ?? 0) + 1;
  hits.set(url.pathname, n);
  const send = (status: number, body: string | Buffer, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  switch (url.pathname) {
    case '/api/daily_papers':
    case '/ok.json':
      return send(200, fixture(REAL_API));
    case '/feed.xml':
      return send(200, fixture('arxiv-api-2025-01-06.atom.xml'), 'application/atom+xml');
    case '/flaky.json':
      return n <= 2 ? send(503, 'busy') : send(200, fixture(REAL_API));
    case '/always-500.json':
      return send(500, 'broken');
    case '/limited.json':
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '0' });
        return res.end();
      }
      return send(200, fixture(REAL_API));
    case '/missing.json':
      return send(404, 'not found', 'text/plain');
    case '/bad-request.json':
      return send(400, JSON.stringify({ error: '"date" must be a valid date' }));
    case '/forbidden.json':
      return send(403, 'no', 'text/plain');
    case '/slow.json':
      return; // never answers
    case '/slow-body.json':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      return; // headers, then silence
    case '/huge.json': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 60 && res.write(chunk)) sent++;
        if (sent < 60) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => undefined);
      return pump();
    }
    case '/declared-huge.json':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_DIGEST_BYTES + 1) });
      return res.end();
    case '/html':
      return send(200, '<!doctype html><html><body>Daily Papers</body></html>', 'text/html');
    default:
      return send(404, 'no route', 'text/plain');
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  hits.clear();
  requests.length = 0;
});

/** A fetch that sends huggingface.co requests to the local server and records what was asked. */
function redirectingFetch(asked: string[]): typeof fetch {
  return (input, init) => {
    const url = new URL(String(input));
    asked.push(url.href);
    return fetch(`${base}${url.pathname}${url.search}`, init);
  };
}

describe('ingestDigest over HTTP', () => {
  it('reads a 200 response and names the digest by its URL', async () => {
    const r = await ingestDigest(`${base}/ok.json`);
    expect(r.digest.source).toBe(`${base}/ok.json`);
    expect(r.digest.papers).toHaveLength(3);
    const feed = await ingestDigest(`${base}/feed.xml`);
    expect(feed.digest.papers[0]!.id).toBe('2501.01234');
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    const started = Date.now();
    const r = await ingestDigest(`${base}/flaky.json`, { retries: 3 });
    expect(r.digest.papers).toHaveLength(3);
    expect(hits.get('/flaky.json')).toBe(3);
    // Backoff 250 ms then 500 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it('retries a 429 (honouring Retry-After)', async () => {
    const r = await ingestDigest(`${base}/limited.json`, { retries: 1 });
    expect(r.digest.papers).toHaveLength(3);
    expect(hits.get('/limited.json')).toBe(2);
  });

  it('gives up on a 5xx after the retries: exit 1, URL and status named', async () => {
    await expectDigestError(() => fetchBytes(`${base}/always-500.json`, { retries: 2, backoffMs: 1 }), `${base}/always-500.json: HTTP 500 Internal Server Error (3 attempts)`, 1);
    expect(hits.get('/always-500.json')).toBe(3);
  });

  it('does not retry a 404 or 403: exit 2, URL and status named', async () => {
    await expectDigestError(() => ingestDigest(`${base}/missing.json`), `${base}/missing.json: HTTP 404 Not Found`, 2);
    expect(hits.get('/missing.json')).toBe(1);
    await expectDigestError(() => ingestDigest(`${base}/forbidden.json`), `${base}/forbidden.json: HTTP 403 Forbidden`, 2);
    await expectDigestError(() => ingestDigest(`${base}/bad-request.json`), `${base}/bad-request.json: HTTP 400 Bad Request ("\\"date\\" must be a valid date")`, 2);
  });

  it('times out a server that never answers, or stalls mid-body (exit 1)', async () => {
    await expectDigestError(() => ingestDigest(`${base}/slow.json`, { timeoutMs: 150, retries: 1 }), `${base}/slow.json: timed out after 150 ms (2 attempts)`, 1);
    expect(hits.get('/slow.json')).toBe(2);
    await expectDigestError(() => fetchBytes(`${base}/slow-body.json`, { timeoutMs: 150, retries: 0 }), `${base}/slow-body.json: timed out after 150 ms (1 attempt)`, 1);
  });

  it('reports a refused connection after the retries (exit 1)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectDigestError(() => fetchBytes(`http://127.0.0.1:${port}/d.json`, { retries: 1, backoffMs: 1 }), `http://127.0.0.1:${port}/d.json: connection refused (ECONNREFUSED) (2 attempts)`, 1);
  });

  it('stops reading a body past 50 MB, and refuses a declared length over it at once', async () => {
    await expectDigestError(() => ingestDigest(`${base}/huge.json`, { retries: 0 }), `${base}/huge.json: the digest is larger than 50 MB`);
    await expectDigestError(() => ingestDigest(`${base}/declared-huge.json`, { retries: 0 }), `${base}/declared-huge.json: the digest is larger than 50 MB`);
  });

  it('refuses an HTML page with a hint', async () => {
    const e = await expectDigestError(() => ingestDigest(`${base}/html`), `${base}/html: an HTML page, not a digest`);
    expect(e.hint).toMatch(/hf:YYYY-MM-DD/);
  });
});

describe('ingestDigest from hf: sources', () => {
  it('hf:DATE asks the real Hugging Face API URL for that date', async () => {
    const asked: string[] = [];
    const r = await ingestDigest('hf:2026-08-03', { fetch: redirectingFetch(asked) });
    expect(asked).toEqual(['https://huggingface.co/api/daily_papers?date=2026-08-03']);
    expect(requests).toEqual(['/api/daily_papers?date=2026-08-03']);
    expect(r.digest.source).toBe('hf:2026-08-03');
    expect(r.digest.date).toBe('2026-08-03');
    expect(r.digest.papers.map((p) => p.id)).toEqual(['2607.26654', '2607.28229', '2607.27851']);
  });

  it('hf:latest asks without a date', async () => {
    const asked: string[] = [];
    const r = await ingestDigest('hf:latest', { fetch: redirectingFetch(asked) });
    expect(asked).toEqual(['https://huggingface.co/api/daily_papers']);
    expect(r.digest.source).toBe('hf:latest');
  });

  it('names the huggingface.co URL when the API fails', async () => {
    const failing: typeof fetch = async () => new Response('nope', { status: 404, statusText: 'Not Found' });
    await expectDigestError(() => ingestDigest('hf:2025-12-13', { fetch: failing }), 'https://huggingface.co/api/daily_papers?date=2025-12-13: HTTP 404 Not Found');
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND huggingface.co'), { code: 'ENOTFOUND' }) });
    };
    await expectDigestError(
      () => ingestDigest('hf:latest', { fetch: down, retries: 0 }),
      'https://huggingface.co/api/daily_papers: host not found (ENOTFOUND) (1 attempt)',
      1,
    );
  });

  it('refuses an empty day', async () => {
    const empty: typeof fetch = async () => new Response('[]', { status: 200 });
    await expectDigestError(() => ingestDigest('hf:2025-12-13', { fetch: empty }), 'hf:2025-12-13: found no papers in the list');
  });
});
