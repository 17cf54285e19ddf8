/**
 * What every route needs, built once per web app: the App, the clock, CSRF and rate limits,
 * the client's address, the draft index and issue archive, and the queue of subscription
 * emails in flight.
 */
import type { WebhookConfig } from '../bounces/webhook-types.js';
import { redactSecrets } from '../redact-secrets.js';
import type { Context } from 'hono';
import type { App } from '../app.js';
import { ConfigError } from '../errors.js';
import { createCsrfGuard, type CsrfGuard } from './security/create-csrf-guard.js';
import { createDraftIndex, type DraftIndex } from './create-draft-index.js';
import { createIssueArchive, type IssueArchive } from './create-issue-archive.js';
import { createRateLimiter, type RateCounter, type RateLimiter, type RateRule } from './security/create-rate-limiter.js';
import type { ResponsePolicy } from './security/set-security-headers.js';
import type { AdminAccess } from './security/check-admin-access.js';
import { createClientAddressReader } from './security/read-client-address.js';
import { createPageCache, type PageCache } from './cache/create-page-cache.js';
import { createFastLane, type FastLane } from './cache/create-fast-lane.js';

/** How many rendered pages are kept at most. */
export const MAX_CACHED_PAGES = 256;

/** Rate limits of the public forms. */
export interface WebRateLimits {
  /** Subscribe attempts per client address. */
  subscribePerClient: RateRule;
  /** Subscribe attempts (and so emails) per email address. */
  subscribePerAddress: RateRule;
  /** Admin login attempts per client address. */
  loginPerClient: RateRule;
}

/** Defaults: generous for people, tight for scripts; one address gets at most 3 emails an hour. */
export const DEFAULT_RATE_LIMITS: WebRateLimits = {
  subscribePerClient: { limit: 10, windowMs: 60 * 60_000 },
  subscribePerAddress: { limit: 3, windowMs: 60 * 60_000 },
  loginPerClient: { limit: 10, windowMs: 15 * 60_000 },
};

/** Options of createWebApp. */
export interface WebAppOptions {
  /**
   * True when the server is bound to a loopback address (startWebServer decides it from the
   * bind host). Without ADMIN_TOKEN, the admin pages are only served when this is true.
   */
  loopback: boolean;
  /** The clock (rate-limit windows, login expiry, dates on pages); default the real one. */
  now?: () => Date;
  rateLimits?: Partial<WebRateLimits>;
  /** Where background problems (a confirmation email that failed) are reported; default stderr. */
  log?: (line: string) => void;
  /** Overrides of the webhooks' checks (tests: a signing certificate served locally). */
  webhooks?: Partial<WebhookConfig>;
}

/** Hono's environment for these routes. */
export interface WebEnv {
  Variables: { policy: ResponsePolicy; adminAccess: AdminAccess };
}

/** Shared state of one web app. */
export interface WebContext {
  app: App;
  now: () => Date;
  csrf: CsrfGuard;
  limits: { subscribePerClient: RateLimiter; subscribePerAddress: RateLimiter; loginPerClient: RateLimiter };
  drafts: DraftIndex;
  archive: IssueArchive;
  /** Rendered archive pages and feeds (web/cache/): the routes fill it, the server's fast lane reads it. */
  pages: PageCache;
  /** What the server answers before the framework runs: kept pages, and the routes that add their own (cache/create-fast-lane.ts). */
  lane: FastLane;
  /** True when the admin pages need no token (loopback bind, ADMIN_TOKEN unset). */
  adminOpen: boolean;
  /**
   * The address of the client that sent a request (read-client-address.ts): the socket's
   * peer, or with TRUST_PROXY the client a trusted proxy names. Keys every rate limit.
   */
  clientAddress(c: Context<WebEnv>): string;
  /** Runs `task` without making the response wait for it; failures are logged. */
  background(what: string, task: () => Promise<void>): void;
  /** Resolves when every background task has settled. */
  idle(): Promise<void>;
  log(line: string): void;
}

/** Builds the context; throws ConfigError when the admin pages could not be protected. */
export function createWebContext(app: App, options: WebAppOptions): WebContext {
  if (!options.loopback && !app.config.adminToken) {
    throw new ConfigError(['ADMIN_TOKEN must be set to serve the admin pages on a non-loopback address (openssl rand -hex 24)']);
  }
  const now = options.now ?? (() => new Date());
  const rules = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  // Counted in the database: every instance on it shares the windows.
  const counter: RateCounter = (key, windowMs, nowMs) => app.store().hitRateLimit(key, windowMs, nowMs);
  const write = options.log ?? ((line: string) => void process.stderr.write(line.endsWith('\n') ? line : line + '\n'));
  // No log line carries a password or key, whatever failed.
  const log = (line: string) => write(redactSecrets(line));
  const pending = new Set<Promise<void>>();
  const pages = createPageCache({ maxEntries: MAX_CACHED_PAGES });
  return {
    app,
    now,
    csrf: createCsrfGuard(app.config.secretKey),
    limits: {
      subscribePerClient: createRateLimiter('subscribe-client', rules.subscribePerClient, now, counter),
      subscribePerAddress: createRateLimiter('subscribe-address', rules.subscribePerAddress, now, counter),
      loginPerClient: createRateLimiter('login-client', rules.loginPerClient, now, counter),
    },
    drafts: createDraftIndex(app, { now }),
    archive: createIssueArchive(app),
    pages,
    lane: createFastLane(pages),
    adminOpen: options.loopback && !app.config.adminToken,
    clientAddress: createClientAddressReader(app.config.trustProxy),
    background(what, task) {
      const p = task().catch((error: unknown) => log(`web: ${what} failed: ${(error as Error).message ?? String(error)}`));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    log,
  };
}
