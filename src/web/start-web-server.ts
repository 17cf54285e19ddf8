/**
 * web/ owns the HTTP side: routes/ (what each URL does), views/ (the HTML they answer with),
 * security/ (admin access, CSRF, same-origin posts, rate limits, headers), and at the top the
 * server, the app, the shared context, the draft index and the archive of sent issues. It
 * builds previews through issue/ and never imports schedule/ or cli/.
 *
 * `paperpost serve`: the web app on a real HTTP server. Bound to 127.0.0.1 by default; on any
 * other address it refuses to start without ADMIN_TOKEN, since the admin pages would be open
 * to the network, and without SECRET_KEY, since links signed with the public development key
 * can be forged by anyone. The decision rests on the bind address alone.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { App } from '../app.js';
import { ConfigError } from '../errors.js';
import { createWebApp, type WebAppOptions } from './create-web-app.js';
import { isLoopbackHost } from './security/is-loopback-host.js';

/** Where and how to listen. */
export interface WebServerOptions extends Omit<WebAppOptions, 'loopback'> {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Bind address (127.0.0.1, ::1, localhost, 0.0.0.0, ...). */
  host: string;
}

/** A running server. */
export interface WebServer {
  /** Where to reach it from this machine, e.g. http://127.0.0.1:8080 (a wildcard bind reports loopback). */
  url: string;
  /** Stops accepting connections, ends open ones, and waits for emails still being sent. */
  close(): Promise<void>;
}

/**
 * Starts the server. Throws ConfigError when `host` is not loopback and ADMIN_TOKEN or
 * SECRET_KEY is unset, and when the port cannot be bound (in use, not permitted).
 */
export async function startWebServer(app: App, options: WebServerOptions): Promise<WebServer> {
  const loopback = isLoopbackHost(options.host);
  const missing: string[] = [];
  if (!loopback && !app.config.adminToken) missing.push(`ADMIN_TOKEN must be set to serve on ${options.host}: the admin pages would be open to the network`);
  // The development key is public: with it anyone could sign a reader's unsubscribe or preferences link.
  if (!loopback && app.config.secretKeyIsDefault) {
    missing.push(`SECRET_KEY must be set to serve on ${options.host}: links would be signed with the public development key, so anyone could forge a reader's unsubscribe or preferences link`);
  }
  if (missing.length) {
    throw new ConfigError(
      missing,
      `set ${missing.map((m) => m.split(' ')[0]).join(' and ')} (openssl rand -hex 32; SECRET_KEY the same as the sends use), or serve on 127.0.0.1 behind a reverse proxy`,
    );
  }
  const { port, host, ...rest } = options;
  const web = createWebApp(app, { ...rest, loopback });
  // Kept pages (the archive, the feeds, the subscribe form's shell) are answered before the framework runs (cache/create-fast-lane.ts).
  const lane = web.lane;
  const framework = getRequestListener(async (request: Request, env: unknown) => {
    // env carries the node request and its socket (the client's address is read from it).
    const response = await web.fetch(request, env);
    lane.note(request, response);
    return response;
  });
  const server = createServer((req, res) => {
    if (!lane.serve(req, res)) void framework(req, res);
  });
  // Slow clients must not hold sockets for ever.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new ConfigError(
          [`cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : error.message}`],
          'choose another --port or --host',
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const shownHost = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await web.idle();
      })();
      return closing;
    },
  };
}
