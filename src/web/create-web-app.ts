/**
 * The web app (Hono): subscriber pages (preferences, unsubscribe, the feedback links' pages),
 * archive and feeds, the operator's /admin pages and
 * /healthz for supervisors, all server-rendered with no scripts and no external assets.
 * Every response gets the security headers of its kind (set-security-headers.ts); errors
 * never show details.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { App } from '../app.js';
import { createWebContext, type WebAppOptions, type WebEnv } from './create-web-context.js';
import { mountAdminRoutes } from './routes/mount-admin-routes.js';
import { mountHealthRoute } from './routes/mount-health-route.js';
import { mountArchiveRoutes } from './routes/mount-archive-routes.js';
import { mountSubscribeRoutes } from './routes/mount-subscribe-routes.js';
import { mountSubscriberRoutes } from './routes/mount-subscriber-routes.js';
import { mountReaderSignalRoutes } from './routes/mount-reader-signal-routes.js';
import { mountFeedbackRoutes } from './routes/mount-feedback-routes.js';
import { mountWebhookRoutes } from './routes/mount-webhook-routes.js';
import { notFoundPage, renderStatusPage } from './views/render-status-page.js';
import { setSecurityHeaders } from './security/set-security-headers.js';
import type { FastLane } from './cache/create-fast-lane.js';

export type { WebAppOptions } from './create-web-context.js';

/** Largest request body accepted (forms only; no uploads). */
export const MAX_BODY_BYTES = 32 * 1024;

/** The Hono app, plus a way to wait for the emails it sends after responding. */
export type WebApp = Hono<WebEnv> & {
  /** Resolves once every background task (confirmation emails) has settled. */
  idle(): Promise<void>;
  /** What the server answers before the framework runs (cache/create-fast-lane.ts). */
  lane: FastLane;
};

/**
 * Builds the web app for `app`. `options.loopback` says whether the server is bound to a
 * loopback address; without ADMIN_TOKEN it must be (ConfigError otherwise). Call `fetch`
 * in-process or serve it (startWebServer).
 */
export function createWebApp(app: App, options: WebAppOptions): WebApp {
  const ctx = createWebContext(app, options);
  const hono = new Hono<WebEnv>();

  hono.use(async (c, next) => {
    c.set('policy', 'page');
    await next();
    setSecurityHeaders(c.res.headers, c.get('policy') ?? 'page');
  });

  // Every form here is a few fields; nothing reads a body before this cap applies. Provider
  // webhooks (a batch of events) have a cap of their own.
  const formLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('Request body too large', 413) });
  hono.use((c, next) => (c.req.path.startsWith('/webhooks/') ? next() : formLimit(c, next)));

  mountHealthRoute(hono, ctx);
  mountAdminRoutes(hono, ctx);
  mountSubscribeRoutes(hono, ctx);
  mountSubscriberRoutes(hono, ctx);
  mountReaderSignalRoutes(hono, ctx);
  mountFeedbackRoutes(hono, ctx);
  mountArchiveRoutes(hono, ctx);
  mountWebhookRoutes(hono, ctx, options.webhooks);

  hono.notFound((c) => notFoundPage(c));
  hono.onError((error, c) => {
    ctx.log(`web: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${error.stack ?? error.message}`);
    c.set('policy', 'page');
    return renderStatusPage(c, 500, 'Something went wrong', 'The page could not be made. The operator can find the reason in the server log.');
  });

  return Object.assign(hono, { idle: () => ctx.idle(), lane: ctx.lane });
}
