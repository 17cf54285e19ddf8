/**
 * A complete paperpost for web tests: a temp directory with digests, a real SQLite file, a
 * real SMTP server (smtp-server on 127.0.0.1), the App from createApp, and the web server from
 * startWebServer on a free loopback port that PUBLIC_URL names, so links in received mail open
 * as they would in production. Only the clock is fake.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { sendIssue } from '../../../src/issue/send-issue.js';
import { startWebServer, type WebServer } from '../../../src/web/start-web-server.js';
import type { WebRateLimits } from '../../../src/web/create-web-context.js';
import { freePort } from '../../helpers/free-port.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/start-smtp-server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** A small digest (10 papers, three clear themes, hostile strings) for the issue the fixture sends. */
export const SENT_DIGEST = path.join(ROOT, 'test/fixtures/web/digests/paperpost-2025-12-10.json');
/** The 39-paper sample page, left as a draft. */
export const DRAFT_DIGEST = path.join(ROOT, 'content/digests/hf-papers-2025-12-11.txt');
export const SECRET_KEY = 'k'.repeat(32);

/** A clock tests move by hand. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export interface WebFixture {
  dir: string;
  digestsDir: string;
  templatesDir: string;
  smtp: TestSmtpServer;
  app: App;
  server: WebServer;
  /** The base URL (PUBLIC_URL). */
  url: string;
  clock: TestClock;
  /** What the web app logged (background failures, 500s). */
  logs: string[];
  close(): Promise<void>;
}

export interface WebFixtureOptions {
  host?: string;
  adminToken?: string;
  /** Send SENT_DIGEST's issue to `subscribers` first, so the archive has an issue. */
  sentIssue?: boolean;
  /** Put DRAFT_DIGEST in the digests directory. */
  draft?: boolean;
  /** Active subscribers to add before anything else. */
  subscribers?: { email: string; name?: string; themes?: string[] | null }[];
  rateLimits?: Partial<WebRateLimits>;
  /** Copy templates/ into the fixture directory (for tests that edit them). */
  copyTemplates?: boolean;
  /** TRUST_PROXY, as an operator would set it. */
  trustProxy?: string;
  /** Run without SECRET_KEY (on the development key, mail to the outbox), as `serve` does when none is set. */
  withoutSecretKey?: boolean;
}

/** A free TCP port on 127.0.0.1 (closed again, then reused by the web server). */
export { freePort };

/** Builds the config an operator would have, pointing at the fixture's files. */
export function fixtureConfig(dir: string, env: Record<string, string>, options: { withoutSecretKey?: boolean } = {}) {
  const raw: Record<string, string> = {
    DATABASE_URL: `sqlite:${path.join(dir, 'paperpost.db')}`,
    SECRET_KEY,
    DIGEST_SOURCE: path.join(dir, 'digests'),
    TEMPLATES_DIR: path.join(ROOT, 'templates'),
    THEMES_FILE: path.join(dir, 'themes.yml'),
    OUTBOX_DIR: path.join(dir, 'outbox'),
    MAIL_FROM: 'paperpost <news@example.org>',
    ...env,
  };
  // Without a key paperpost mails only to the outbox (SMTP_URL needs SECRET_KEY).
  if (options.withoutSecretKey) {
    delete raw.SECRET_KEY;
    delete raw.SMTP_URL;
  }
  return loadConfig(raw, ROOT);
}

export async function startWebFixture(options: WebFixtureOptions = {}): Promise<WebFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-web-'));
  const digestsDir = path.join(dir, 'digests');
  mkdirSync(digestsDir);
  copyFileSync(SENT_DIGEST, path.join(digestsDir, path.basename(SENT_DIGEST)));
  if (options.draft) copyFileSync(DRAFT_DIGEST, path.join(digestsDir, path.basename(DRAFT_DIGEST)));
  let templatesDir = path.join(ROOT, 'templates');
  if (options.copyTemplates) {
    templatesDir = path.join(dir, 'templates');
    cpSync(path.join(ROOT, 'templates'), templatesDir, { recursive: true });
  }
  const smtp = await startSmtpServer();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = { SMTP_URL: smtp.url, PUBLIC_URL: url, TEMPLATES_DIR: templatesDir };
  if (options.adminToken) env.ADMIN_TOKEN = options.adminToken;
  if (options.trustProxy) env.TRUST_PROXY = options.trustProxy;
  const app = createApp(fixtureConfig(dir, env, { withoutSecretKey: options.withoutSecretKey }));
  let t = Date.parse('2025-12-10T08:00:00Z');
  const clock: TestClock = { now: () => new Date(t), advance: (ms) => void (t += ms) };

  for (const s of options.subscribers ?? []) await app.store().upsertSubscriber({ email: s.email, name: s.name ?? null, themes: s.themes ?? null, status: 'active' });
  if (options.sentIssue) await sendIssue(app, { source: path.join(digestsDir, path.basename(SENT_DIGEST)) });

  const logs: string[] = [];
  const server = await startWebServer(app, { port, host: options.host ?? '127.0.0.1', now: clock.now, rateLimits: options.rateLimits, log: (line) => void logs.push(line) });
  return {
    dir,
    digestsDir,
    templatesDir,
    smtp,
    app,
    server,
    url,
    clock,
    logs,
    async close() {
      await server.close();
      await app.close();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` returns a value (polling), or fails after `ms`. */
export async function waitFor<T>(check: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
