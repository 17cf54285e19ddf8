/**
 * What only the PostgreSQL store has: migrations that several processes start at once, and a
 * server that may be down, refuse the login or lack the database. Each such failure is one
 * PaperpostError line (exit 1) in the API and through the CLI, never a password or a stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/postgres/create-postgres-store.js';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { PaperpostError } from '../../src/errors.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { TEST_POSTGRES_URL, connectAdmin, createTestDatabase, withDatabase } from './store-backends.js';

const PASSWORD = 'wrong-password-planted-7c1e';

/** `url` with another password. */
const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

/** The error a store's first call rejects with. */
async function firstError(url: string): Promise<unknown> {
  const store = createPostgresStore(new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000 }));
  try {
    await store.countSubscribers();
    return undefined;
  } catch (e) {
    return e;
  } finally {
    await store.close();
  }
}

let admin: pg.Client;
const drops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  admin = await connectAdmin();
});
afterAll(async () => {
  for (const drop of drops) await drop();
  await admin?.end();
});

describe('PostgreSQL migrations', () => {
  it('migrate a fresh database once when four processes start at the same moment', async () => {
    const db = await createTestDatabase(admin, 'migrate');
    drops.push(db.drop);
    const stores = Array.from({ length: 4 }, () => createPostgresStore(new pg.Pool({ connectionString: db.url, max: 2 })));
    try {
      // Each store starts migrating when it is created; all four race for the advisory lock.
      const added = await Promise.all(stores.map((s, i) => s.upsertSubscriber({ email: `p${i}@example.org` })));
      expect(added.every((a) => a.created)).toBe(true);
      expect(await stores[3]!.countSubscribers()).toBe(4);
    } finally {
      for (const s of stores) await s.close();
    }
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      const versions = await check.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      const tables = await check.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'confirmations', 'deliveries', 'follows', 'issue_papers', 'issue_stats', 'issues', 'locks', 'mail_events', 'meta', 'rate_limits', 'rated_papers', 'ratings', 'runs', 'schema_migrations', 'subscriber_status_days', 'subscribers', 'suppressions', 'topic_followers',
      ]);
    } finally {
      await check.end();
    }
    // A later start finds nothing to do and keeps the data.
    const again = createPostgresStore(new pg.Pool({ connectionString: db.url }));
    expect(await again.countSubscribers()).toBe(4);
    await again.close();
  });
});

describe('PostgreSQL that cannot be used', () => {
  it('is a one-line DATABASE error when the server is not there', async () => {
    const e = await firstError(`postgres://x:${PASSWORD}@127.0.0.1:1/db`);
    expect(e).toBeInstanceOf(PaperpostError);
    expect(e).toMatchObject({ code: 'DATABASE', exitCode: 1 });
    expect((e as Error).message).toBe('cannot reach PostgreSQL at x@127.0.0.1:1/db (ECONNREFUSED)');
    expect((e as PaperpostError).hint).toMatch(/running/);
  });

  it('is a one-line DATABASE error when the login is refused, naming the user but not the password', async () => {
    const e = await firstError(withPassword(TEST_POSTGRES_URL, PASSWORD));
    expect(e).toMatchObject({ code: 'DATABASE', exitCode: 1 });
    expect((e as Error).message).toMatch(/^PostgreSQL refused the login at .*password authentication failed/);
    expect((e as Error).message).not.toContain(PASSWORD);
    expect((e as PaperpostError).hint).toMatch(/user name and password/);
  });

  it('says that a missing database must be created first', async () => {
    const e = await firstError(withDatabase(TEST_POSTGRES_URL, 'pp_test_no_such_database'));
    expect(e).toMatchObject({ code: 'DATABASE', exitCode: 1 });
    expect((e as Error).message).toMatch(/^the PostgreSQL database "pp_test_no_such_database" does not exist/);
    expect((e as PaperpostError).hint).toMatch(/createdb pp_test_no_such_database/);
  });

  it('tries again on the next call once the database is there', async () => {
    const name = `pp_test_later_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    const store = createPostgresStore(new pg.Pool({ connectionString: withDatabase(TEST_POSTGRES_URL, name) }));
    try {
      await expect(store.countSubscribers()).rejects.toMatchObject({ code: 'DATABASE' });
      await admin.query(`CREATE DATABASE ${name}`);
      drops.push(async () => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
      expect(await store.countSubscribers()).toBe(0);
    } finally {
      await store.close();
    }
  });

  describe('through the CLI', () => {
    const cli = (url: string) => runCliAsync(['subscribers', 'list'], { env: { DATABASE_URL: url } });
    const oneLine = (stderr: string) => {
      expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
      expect(stderr).not.toMatch(/^\s+at /m);
    };

    it('a refused login: one line, exit 1, no password', async () => {
      const r = await cli(withPassword(withDatabase(TEST_POSTGRES_URL, 'x'), PASSWORD));
      expect(r.code).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/^error: PostgreSQL refused the login at .* — check the user name and password in DATABASE_URL/);
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    });

    it('a server that is down: one line, exit 1', async () => {
      const r = await cli('postgres://x:y@127.0.0.1:1/db');
      expect(r.code).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/^error: cannot reach PostgreSQL at x@127\.0\.0\.1:1\/db \(ECONNREFUSED\) — /);
    });

    it('a malformed URL: one line, exit 2, password masked', async () => {
      for (const url of [`postgres://u:${PASSWORD}@host:notaport/db`, `postgres://u:${PASSWORD}@host:5432`, 'postgresql://']) {
        const r = await cli(url);
        expect(r.code, url).toBe(2);
        oneLine(r.stderr);
        expect(r.stderr).toMatch(/^error: DATABASE_URL must be sqlite:PATH .* or postgres:\/\//);
        expect(r.stderr).not.toContain(PASSWORD);
      }
    });
  });
});

describe('PostgreSQL ledger writes', () => {
  it('prepare the write-behind of accepted messages once per connection (a named statement) and still record every outcome', async () => {
    const db = await createTestDatabase(admin, 'named');
    drops.push(db.drop);
    // One connection, so the statement prepared on it is the one looked at.
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const store = createPostgresStore(pool);
    try {
      await store.importSubscribers(['ada', 'grace'].map((n, i) => ({ line: i + 2, input: { email: `${n}@example.org` } })));
      await store.freezeIssue('2026-03-02', '{}');
      const ids: number[] = [];
      for await (const s of store.listSubscribers()) ids.push(s.id);
      await store.beginDeliveries('2026-03-02', ids.map((id) => ({ subscriberId: id, messageId: `<${id}@x>` })));
      await store.finishDeliveries('2026-03-02', [{ subscriberId: ids[0]!, status: 'sent', response: '250 ok' }]);
      await store.finishDeliveries('2026-03-02', [{ subscriberId: ids[1]!, status: 'sent', response: '250 ok', relay: 'a:25' }]);
      expect(await store.countDeliveries('2026-03-02')).toMatchObject({ sent: 2, queued: 0 });
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
      expect(rows.map((r) => r.name)).toContain('ledger_finish_all');
    } finally {
      await store.close();
    }
  });

  it('plan the write-behind at every call: on a table that grew since its first calls, a write looks its rows up by key, not by scanning the issue', async () => {
    const db = await createTestDatabase(admin, 'planned');
    drops.push(db.drop);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const store = createPostgresStore(pool);
    const issue = '2026-03-03';
    try {
      await store.importSubscribers(Array.from({ length: 3000 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
      await store.freezeIssue(issue, '{}');
      const ids: number[] = [];
      for await (const s of store.listSubscribers()) ids.push(s.id);
      // A send's first writes come while the table holds one batch: past the fifth, PostgreSQL
      // would keep one generic plan for the connection, made for that small table.
      await store.beginDeliveries(issue, ids.slice(0, 20).map((id) => ({ subscriberId: id, messageId: `<${id}@x>` })));
      for (const id of ids.slice(0, 8)) await store.finishDeliveries(issue, [{ subscriberId: id, status: 'sent', response: '250 ok' }]);
      await store.beginDeliveries(issue, ids.slice(20).map((id) => ({ subscriberId: id, messageId: `<${id}@x>` })));
      expect((await pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]!.plan_cache_mode).toBe('force_custom_plan');
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ledger_finish_all('${issue}', '{${ids[2999]}}', '{sent}', '{250 ok}', '2026-03-03T07:00:00Z', '{NULL}')`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan, plan).toMatch(/Index Cond: \(\(issue_id = '2026-03-03'::text\) AND \(subscriber_id = r\.subscriber_id\)\)/);
      expect(plan, plan).not.toMatch(/Seq Scan on deliveries|Bitmap Heap Scan on deliveries/);
      await store.finishDeliveries(issue, [{ subscriberId: ids[2999]!, status: 'sent', response: '250 ok' }]);
      expect(await store.countDeliveries(issue)).toMatchObject({ sent: 9, queued: 2991 });
    } finally {
      await store.close();
    }
  });
});
