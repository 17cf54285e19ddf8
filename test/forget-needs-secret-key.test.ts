/**
 * Forgetting a reader needs a real SECRET_KEY (marking-key.ts): the mark that stays is a hash
 * keyed by it, and one keyed by the development key (printed in the source) could be computed
 * by anyone and would not be recognised once the real key is set. Checked with the real CLI on
 * both stores (exit 2, one line, nothing erased; and no development-key mark is ever written),
 * and the preferences page's "delete my data" when serve runs without a key (refused, nothing
 * changed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { DEV_SECRET_KEY } from '../src/config.js';
import { signToken } from '../src/subscribers/sign-token.js';
import { runCli } from './helpers/run-cli.js';
import { connectAdmin, createTestDatabase } from './store/store-backends.js';
import { createHttpClient, csrfIn } from './web/support/create-http-client.js';
import { startWebFixture } from './web/support/start-web-fixture.js';

const REAL_KEY = 'a-real-secret-key-0123456789abcdef';
const devMark = (email: string) => createHmac('sha256', DEV_SECRET_KEY).update(`forgotten-address:${email}`).digest('hex');

let admin: pg.Client;
let pgDb: { url: string; drop: () => Promise<void> };
const dir = mkdtempSync(path.join(tmpdir(), 'pp-forget-key-'));
beforeAll(async () => {
  admin = await connectAdmin();
  pgDb = await createTestDatabase(admin, 'forgetkey');
});
afterAll(async () => {
  await pgDb?.drop();
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['SQLite', () => `sqlite:${path.join(dir, 'list.db')}`],
  ['PostgreSQL', () => pgDb.url],
])('subscribers forget without SECRET_KEY (%s)', (_name, url) => {
  it('refuses with exit 2 and one line, erases nothing, and the real key then forgets for good', () => {
    const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { DATABASE_URL: url(), ...env } });
    expect(cli(['subscribers', 'add', 'devkey@example.com'], { SECRET_KEY: REAL_KEY }).code).toBe(0);

    const refused = cli(['subscribers', 'forget', 'devkey@example.com']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: forgetting a subscriber needs SECRET_KEY/)]);
    expect(refused.stdout).toBe('');
    // Nothing changed: the reader is there, and no development-key mark was written.
    expect(cli(['subscribers', 'list'], { SECRET_KEY: REAL_KEY }).stdout).toMatch(/devkey@example\.com\tactive/);
    const list = cli(['suppress', 'list'], { SECRET_KEY: REAL_KEY });
    expect(list.stdout).not.toContain(devMark('devkey@example.com'));

    // With the real key, forgetting works and an add cannot bring the address back.
    expect(cli(['subscribers', 'forget', 'devkey@example.com'], { SECRET_KEY: REAL_KEY }).code).toBe(0);
    const again = cli(['subscribers', 'add', 'devkey@example.com'], { SECRET_KEY: REAL_KEY });
    expect(again.code).toBe(2);
    expect(cli(['subscribers', 'list'], { SECRET_KEY: REAL_KEY }).stdout).not.toContain('devkey@example.com');
  });
});

describe('"delete my data" when serve runs without SECRET_KEY', () => {
  it('refuses with a clear page and changes nothing', async () => {
    const f = await startWebFixture({ withoutSecretKey: true, subscribers: [{ email: 'keep@example.org', name: 'Keep' }] });
    try {
      const id = (await f.app.store().getSubscriberByEmail('keep@example.org'))!.id;
      const prefs = `/p/${signToken(DEV_SECRET_KEY, 'preferences', id)}`;
      const client = createHttpClient(f.url);
      const page = await (await client.get(prefs)).text();
      for (const confirm of [undefined, 'yes']) {
        const res = await client.post(`${prefs}/delete`, { csrf: csrfIn(page, `${prefs}/delete`), ...(confirm ? { confirm } : {}) });
        expect(res.status).toBe(503);
        const html = await res.text();
        expect(html).toContain('Your data cannot be deleted right now');
        expect(html).toContain('Nothing was changed.');
      }
      expect((await f.app.store().getSubscriberById(id))?.status).toBe('active');
      const marks = [];
      for await (const s of f.app.store().listSuppressions()) marks.push(s.pattern);
      expect(marks).toEqual([]);
    } finally {
      await f.close();
    }
  });
});
