/**
 * Beyond one machine (issue #16): several paperpost processes on one PostgreSQL database.
 *
 * - Two web instances: subscribe on one, confirm on the other; the subscribe rate limit holds
 *   across both (it is counted in the database, not in each process).
 * - Two schedulers with a fake clock: each daily tick runs once, whichever fires first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { runScheduler } from '../src/schedule/run-scheduler.js';
import type { DailyJobResult } from '../src/schedule/run-daily-job.js';
import { startWebServer, type WebServer } from '../src/web/start-web-server.js';
import { ROOT } from './helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/start-smtp-server.js';
import { paper, writeDigest, memoryLog } from './schedule/helpers.js';
import { connectAdmin, createTestDatabase } from './store/store-backends.js';
import { createHttpClient, csrfIn } from './web/support/create-http-client.js';

// PostgreSQL answers over real sockets: while timers are fake, the test still lets real time pass.
const realSetTimeout = setTimeout;
const realPause = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

let admin: pg.Client;
const drops: (() => Promise<void>)[] = [];
const apps: App[] = [];
beforeAll(async () => {
  admin = await connectAdmin();
});
afterEach(async () => {
  vi.useRealTimers();
  for (const a of apps.splice(0)) await a.close();
});
afterAll(async () => {
  for (const drop of drops) await drop();
  await admin?.end();
});

/** A fresh database and the environment of an installation on it. */
async function installation(label: string, extra: Record<string, string> = {}) {
  const db = await createTestDatabase(admin, label);
  drops.push(db.drop);
  const dir = mkdtempSync(path.join(tmpdir(), `pp-pg-${label}-`));
  const env = {
    DATABASE_URL: db.url,
    DIGEST_SOURCE: path.join(dir, 'digests'),
    OUTBOX_DIR: path.join(dir, 'outbox'),
    TEMPLATES_DIR: path.join(ROOT, 'templates'),
    THEMES_FILE: path.join(dir, 'no-themes.yml'),
    SECRET_KEY: 'instances-test-secret-0123456789abcdef',
    MAIL_FROM: 'paperpost <news@example.org>',
    TZ: 'UTC',
    ...extra,
  };
  const open = () => {
    const a = createApp(loadConfig(env, dir));
    apps.push(a);
    return a;
  };
  return { dir, env, open };
}

describe('two web instances on one PostgreSQL', () => {
  let smtp: TestSmtpServer;
  const servers: WebServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    await smtp?.close();
  });

  it('subscribe on one, confirm on the other; the rate limit holds across both', async () => {
    smtp = await startSmtpServer();
    const inst = await installation('web', { SMTP_URL: smtp.url, PUBLIC_URL: 'http://127.0.0.1:1' });
    const limits = { subscribePerClient: { limit: 3, windowMs: 3_600_000 } };
    const [one, two] = await Promise.all([0, 1].map(() => startWebServer(inst.open(), { port: 0, host: '127.0.0.1', rateLimits: limits })));
    servers.push(one!, two!);

    // Subscribe through instance one (a browser's cookie and CSRF token from that instance).
    const a = createHttpClient(one!.url);
    const subscribe = async (client: ReturnType<typeof createHttpClient>, email: string) => {
      const csrf = csrfIn(await (await client.get('/')).text(), '/subscribe');
      return client.post('/subscribe', { csrf, email, scope: 'all' }, { origin: 'http://127.0.0.1:1' });
    };
    expect((await subscribe(a, 'ann@example.org')).status).toBe(200);
    const mail = await (async () => {
      for (let i = 0; i < 100; i++) {
        const m = smtp.received.find((x) => x.envelopeTo.includes('ann@example.org'));
        if (m) return m;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no confirmation email');
    })();
    const confirmPath = /\/confirm\/[A-Za-z0-9._-]+/.exec(mail.parsed.text ?? '')![0];

    // Confirm on instance two: it shares the database, and CSRF tokens are keyed by SECRET_KEY.
    const b = createHttpClient(two!.url);
    const page = await (await b.get(confirmPath)).text();
    expect(page).toContain('Confirm my subscription');
    expect((await b.post(confirmPath, { csrf: csrfIn(page) }, { origin: 'http://127.0.0.1:1' })).status).toBe(303);
    expect((await inst.open().store().getSubscriberByEmail('ann@example.org'))!.status).toBe('active');

    // The same client (127.0.0.1) has 3 signups an hour, whichever instance it reaches.
    expect((await subscribe(b, 'bea@example.org')).status).toBe(200);
    expect((await subscribe(a, 'cid@example.org')).status).toBe(200);
    expect((await subscribe(b, 'dan@example.org')).status).toBe(429);
    expect((await subscribe(a, 'eve@example.org')).status).toBe(429);
  }, 60_000);
});

describe('two schedulers on one PostgreSQL', () => {
  it('run each daily tick once, whichever fires first', async () => {
    const inst = await installation('sched', { CRON_SCHEDULE: '0 7 * * *', CATCH_UP_HOURS: '0' });
    const s = { dir: inst.dir, digests: inst.env.DIGEST_SOURCE, env: inst.env, app: inst.open };
    const { mkdirSync } = await import('node:fs');
    mkdirSync(s.digests, { recursive: true });
    const seed = inst.open();
    await seed.store().importSubscribers(Array.from({ length: 4 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
    writeDigest(s, '2026-03-02', [paper('kv', 1, 5), paper('distill', 2, 4)]);

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: new Date('2026-03-02T06:59:00Z') });
    const start = (app: App) => {
      const controller = new AbortController();
      const results: DailyJobResult[] = [];
      const done = runScheduler(app, { log: memoryLog(), signal: controller.signal, onResult: (r) => void results.push(r) });
      return { results, stop: async () => (controller.abort(), await done) };
    };
    const one = start(inst.open());
    const two = start(inst.open());
    const settle = async (n: number) => {
      for (let i = 0; i < 600 && one.results.length + two.results.length < n; i++) {
        await realPause(20);
        await vi.advanceTimersByTimeAsync(50);
      }
    };
    await realPause(200);
    await vi.advanceTimersByTimeAsync(60_000); // 07:00, day 1
    await settle(2);
    writeDigest(s, '2026-03-03', [paper('robot', 3, 5), paper('robot', 4, 4)]);
    await vi.advanceTimersByTimeAsync(24 * 3600_000); // 07:00, day 2
    await settle(4);
    await one.stop();
    await two.stop();
    vi.useRealTimers();
    expect([...one.results, ...two.results].map((r) => r.outcome).sort()).toEqual(['sent', 'sent', 'skipped', 'skipped']);
    expect((await seed.store().countDeliveries('2026-03-02')).sent).toBe(4);
    expect((await seed.store().countDeliveries('2026-03-03')).sent).toBe(4);
  }, 120_000);
});
