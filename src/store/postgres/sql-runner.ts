/**
 * How every PostgreSQL role module talks to the database: one statement on the pool, or a
 * transaction on one connection, each once the schema is ready, with bigint read as numbers
 * and server trouble turned into a PaperpostError (to-database-error.ts).
 *
 * Start-up: migrations are asynchronous here, so the runner starts them when it is created
 * and every statement awaits that one `ready` promise first; app.store() stays synchronous.
 * If they fail (server down, login refused), each call rejects with the same PaperpostError,
 * and the next call tries again, so a long-running process recovers when the server comes
 * back.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { CustomTypesConfig, Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { migratePostgres } from './migrations.js';
import { toDatabaseError } from './to-database-error.js';

/** bigint (ids, counts) read as a JS number, as SQLite gives them: ids stay far below 2^53. */
const INT8 = 20;
// pg is loaded when the first value is read, not when a SQLite process imports the stores (start-up, issue #23).
let pgTypes: typeof pg.types | undefined;
export const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (v: string) => Number(v)
      : (pgTypes ??= (createRequire(import.meta.url)('pg') as typeof pg).types).getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** The pool, or one connection inside a transaction. */
export type On = Pool | PoolClient;

/**
 * A statement PostgreSQL parses once per connection, not at every call (a named prepared
 * statement): for the few a send runs per message or per batch, where parsing and planning were
 * a fifth of the server's CPU per ledger write. `name` must be unique per text.
 *
 * It is still planned at every call, with the call's values (plan_cache_mode, set on each of the
 * runner's connections): left to itself, PostgreSQL switches a named statement to one generic
 * plan after five calls and keeps it for the connection's life. A send's first calls come when
 * the deliveries table holds a batch or two, so that plan scanned every delivery of the issue
 * for each write: 1.6 ms a call at 20,000 rows against 0.13 ms planned per call, and the
 * server's CPU per message 0.87 ms against 0.34 (bench/senders.bench.mjs, one sender).
 */
export interface NamedSql {
  name: string;
  text: string;
}

/** A statement: its text, or a named one (NamedSql). */
export type Sql = string | NamedSql;

export interface SqlRunner {
  pool: Pool;
  now: () => Date;
  iso: () => string;
  /** Server trouble as a PaperpostError; anything else unchanged. */
  fail(e: unknown): unknown;
  /** Resolves once the schema is migrated (the one migration all calls wait for). */
  whenReady(): Promise<void>;
  /** The versions the migration at open applied. */
  appliedAtOpen: readonly number[];
  /** One statement on `on` (no wait for the schema: for use inside tx). */
  exec<R extends QueryResultRow = QueryResultRow>(on: On, text: Sql, values?: unknown[]): Promise<QueryResult<R>>;
  /** One statement on the pool, once the schema is ready. */
  q<R extends QueryResultRow = QueryResultRow>(text: Sql, values?: unknown[]): Promise<QueryResult<R>>;
  /** The first row of one statement on `on`. */
  one<R extends QueryResultRow>(on: On, text: Sql, values?: unknown[]): Promise<R | undefined>;
  /** The first row of one statement on the pool, once the schema is ready. */
  first<R extends QueryResultRow>(text: Sql, values?: unknown[]): Promise<R | undefined>;
  /** Runs `fn` in one transaction on one connection: committed if it returns, rolled back if it throws. */
  tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T>;
  /** Waits for a migration under way, then ends the pool (once). */
  close(): Promise<void>;
}

/** Set on every connection of the runner's pool: plan each call with its values (see NamedSql). */
export const PLAN_EACH_CALL = 'SET plan_cache_mode = force_custom_plan';

export function createSqlRunner(pool: Pool, now: () => Date): SqlRunner {
  const fail = (e: unknown) => toDatabaseError(e, pool.options);
  // Set on each new connection before the pool hands it out (pg-pool's onConnect hook, awaited;
  // a query from the 'connect' event would run beside the first caller's, which pg deprecates
  // with a warning on stderr). It is a plan choice, not a guarantee: a refusal is let go.
  const onConnect = pool.options.onConnect;
  pool.options.onConnect = async (client) => {
    await onConnect?.(client);
    await client.query(PLAN_EACH_CALL).catch(() => undefined);
  };
  let ready: Promise<void> | undefined;
  const appliedAtOpen: number[] = [];
  const whenReady = () =>
    (ready ??= migratePostgres(pool, now).then(
      (applied) => void appliedAtOpen.push(...applied),
      (e: unknown) => {
        ready = undefined;
        throw fail(e);
      },
    ));
  // Started now, so a process that only opens the store learns early; its failure is reported to the first caller.
  whenReady().catch(() => undefined);

  const exec = async <R extends QueryResultRow = QueryResultRow>(on: On, sql: Sql, values: unknown[] = []) => {
    try {
      return await on.query<R>(typeof sql === 'string' ? { text: sql, values, types: TYPES } : { name: sql.name, text: sql.text, values, types: TYPES });
    } catch (e) {
      throw fail(e);
    }
  };
  const q = async <R extends QueryResultRow = QueryResultRow>(text: Sql, values: unknown[] = []) => {
    await whenReady();
    return exec<R>(pool, text, values);
  };
  let closed = false;

  return {
    pool,
    now,
    iso: () => now().toISOString(),
    fail,
    whenReady,
    appliedAtOpen,
    exec,
    q,
    one: async <R extends QueryResultRow>(on: On, text: Sql, values: unknown[] = []): Promise<R | undefined> => (await exec<R>(on, text, values)).rows[0],
    first: async <R extends QueryResultRow>(text: Sql, values: unknown[] = []): Promise<R | undefined> => (await q<R>(text, values)).rows[0],
    async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
      await whenReady();
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw fail(e);
      }
      let broken: Error | undefined;
      try {
        await exec(client, 'BEGIN');
        const result = await fn(client);
        await exec(client, 'COMMIT');
        return result;
      } catch (e) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('ROLLBACK').catch((r: Error) => (broken = r));
        throw e;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // A migration under way finishes (or fails) before its connection goes.
      await ready?.catch(() => undefined);
      await pool.end();
    },
  };
}
