/**
 * What the operator reads when PostgreSQL cannot be used: a server that is down or
 * unreachable, a login it refuses, a database that does not exist, a role that may not create
 * tables, a connection lost mid-run. Each becomes a PaperpostError (code DATABASE, exit 1) with
 * one line and a hint, which the CLI prints without a stack trace; the password is never part
 * of it. Anything else (a constraint, a bug in a statement) is returned unchanged.
 */
import type { PoolConfig } from 'pg';
import { PaperpostError } from '../../errors.js';

/** Network errors of Node's sockets that mean "no server there" or "the connection went away". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/** Where the pool connects, as user@host:port/database, never with the password. */
function describeTarget(options: PoolConfig): string {
  let { user, host, port, database } = options;
  if (options.connectionString) {
    try {
      const url = new URL(options.connectionString);
      user = decodeURIComponent(url.username) || user;
      host = url.hostname || host;
      port = url.port ? Number(url.port) : port;
      database = decodeURIComponent(url.pathname.slice(1)) || database;
    } catch {
      // Not a URL (config.ts validates DATABASE_URL, so only a test's pool gets here).
    }
  }
  return `${user ? `${user}@` : ''}${host ?? 'localhost'}:${port ?? 5432}/${database ?? user ?? ''}`;
}

/** `e` as a PaperpostError when it is about reaching or using the server, else `e` itself. */
export function toDatabaseError(e: unknown, options: PoolConfig): unknown {
  if (e instanceof PaperpostError || !(e instanceof Error)) return e;
  const code = (e as { code?: string }).code ?? '';
  const target = describeTarget(options);
  const database = target.slice(target.lastIndexOf('/') + 1);
  const fail = (message: string, hint: string) => new PaperpostError('DATABASE', message, { hint, exitCode: 1, cause: e });

  if (UNREACHABLE.has(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(e.message)) {
    return fail(
      `cannot reach PostgreSQL at ${target} (${code || e.message.split('\n')[0]})`,
      'is the server running and reachable? check the host and port in DATABASE_URL',
    );
  }
  // pg's own words when the server asks for a password the URL does not give (SCRAM, or a cleartext/MD5 login).
  if (/client password must be a (?:non-empty )?string|Password must be a string/i.test(e.message)) {
    return fail(`PostgreSQL refused the login at ${target}: the server asks for a password and DATABASE_URL gives none`, 'put the password in DATABASE_URL: postgres://USER:PASSWORD@HOST[:PORT]/DATABASE');
  }
  if (code === '28P01' || code === '28000') {
    return fail(`PostgreSQL refused the login at ${target}: ${e.message}`, 'check the user name and password in DATABASE_URL');
  }
  if (code === '3D000') {
    return fail(
      `the PostgreSQL database "${database}" does not exist (${target})`,
      `paperpost creates its tables but not the database: create it first (createdb ${database}) or fix DATABASE_URL`,
    );
  }
  if (code === '42501') {
    return fail(`PostgreSQL: ${e.message} (${target})`, 'the role in DATABASE_URL must own the database or be allowed to create tables in it');
  }
  // Connection exceptions (08…), the server shutting down or starting (57P…), no free connections.
  if (code.startsWith('08') || code.startsWith('57P') || code === '53300' || /SSL|self[- ]signed|certificate/i.test(e.message)) {
    return fail(`PostgreSQL at ${target}: ${e.message}`, 'check that the server is up and accepts connections, and DATABASE_URL');
  }
  return e;
}
