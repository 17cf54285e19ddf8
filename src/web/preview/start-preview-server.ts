/**
 * `paperpost preview`'s HTTP server, on 127.0.0.1 only (the page shows subscribers' copies
 * with their signed links). Requests whose Host is not this machine are refused, so a web page
 * elsewhere cannot reach it through DNS rebinding.
 *
 * - GET /            the page (render-preview-page.ts), for `?as=<address>`
 * - GET /panel       the side panel alone, fetched after each build
 * - GET /frame       the email's HTML, `?scheme=dark` with dark mode emulated, under a
 *                    sandboxing policy (no scripts, no forms, its own origin)
 * - GET /events      Server-Sent Events: `reload` after each build, `panel` when link results
 *                    come in; the current build is sent on connecting
 * - GET /preview.js, /preview.css   the page's script and stylesheet
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../errors.js';
import { isLoopbackHost } from '../security/is-loopback-host.js';
import type { PreviewSession } from './create-preview-session.js';
import { emulateColorScheme } from './emulate-color-scheme.js';
import { PREVIEW_CSS, PREVIEW_JS } from './preview-assets.js';
import { renderPreviewPage } from './render-preview-page.js';
import { renderPreviewPanel } from './render-preview-panel.js';

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; font-src data:; form-action 'none'; base-uri 'none'; sandbox allow-popups allow-popups-to-escape-sandbox; frame-ancestors 'self'";

/** Where the preview's page and data come from. */
export interface PreviewServerOptions {
  session: PreviewSession;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The digest source, as the page names it. */
  source: string;
  /** A few subscribers' addresses to offer in the "Preview as" field. */
  subscribers: () => Promise<string[]>;
}

/** A running preview server. */
export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, csp = PAGE_CSP): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': csp === FRAME_CSP ? 'SAMEORIGIN' : 'DENY',
  });
  res.end(body);
}

/** Starts the server on 127.0.0.1:`port`. Throws ConfigError when the port cannot be bound. */
export async function startPreviewServer(o: PreviewServerOptions): Promise<PreviewServer> {
  const { session } = o;
  const streams = new Set<ServerResponse>();
  const stopListening = session.listen((event, version) => {
    for (const res of streams) res.write(`event: ${event}\ndata: ${version}\n\n`);
  });
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': still here\n\n');
  }, 15_000);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!isLoopbackHost(host)) return send(res, 403, 'text/plain', 'The preview answers only requests for this machine (127.0.0.1 or localhost).\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Only GET.\n');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const as = (url.searchParams.get('as') ?? '').trim();
    switch (url.pathname) {
      case '/':
        return send(res, 200, 'text/html', String(renderPreviewPage(await session.view(as), { as, source: o.source, subscribers: await o.subscribers() })));
      case '/panel':
        return send(res, 200, 'text/html', String(renderPreviewPanel(await session.view(as))));
      case '/frame': {
        const v = await session.view(as);
        const scheme = url.searchParams.get('scheme') === 'dark' ? 'dark' : 'light';
        const html = v.copy ? emulateColorScheme(v.copy.copy.html, scheme) : `<!doctype html><html lang="en"><body><p>${v.error ? 'The templates do not compile: see the panel.' : 'No copy for this reader.'}</p></body></html>`;
        return send(res, 200, 'text/html', html, FRAME_CSP);
      }
      case '/events':
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
        res.write(`retry: 500\nevent: reload\ndata: ${session.version()}\n\n`);
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      case '/preview.js':
        return send(res, 200, 'text/javascript', PREVIEW_JS);
      case '/preview.css':
        return send(res, 200, 'text/css', PREVIEW_CSS);
      default:
        return send(res, 404, 'text/plain', 'Not found.\n');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `The preview failed: ${(e as Error).message}\n`);
      else res.end();
    });
  });
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // Nothing of the server may keep the process alive once it cannot listen.
      clearInterval(keepAlive);
      stopListening();
      server.close();
      reject(new ConfigError([`cannot listen on 127.0.0.1:${o.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : error.message}`], 'choose another --port (0 picks a free one)'));
    });
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      clearInterval(keepAlive);
      stopListening();
      for (const res of streams) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
