/**
 * Items of issue #11 that a user meets at the command line:
 * - 4: no error, log line or message shows a password, SECRET_KEY or ADMIN_TOKEN;
 * - 6: a read-only command on a mistyped DATABASE_URL says so and creates nothing;
 * - 7: a dead mail server stops the run within seconds, the rest kept for the next run;
 * - small ones: internationalised domains, a bad .env line, a `;`-separated import.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli, runCliAsync } from './helpers/run-cli.js';
import { startSmtpServer } from './helpers/start-smtp-server.js';

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-safety-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  return dir;
}

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const PASSWORD = 's3cretpw-planted-9f2c';
const SECRET = 'planted-secret-key-0123456789abcdef';
const TOKEN = 'planted-admin-token-fedcba9876543210';

describe('secrets never print', () => {
  it('keeps a planted password, SECRET_KEY and ADMIN_TOKEN out of every error path', async () => {
    const dir = scratch();
    const port = await closedPort();
    const base = { SECRET_KEY: SECRET, ADMIN_TOKEN: TOKEN, SEND_RETRY_BASE_MS: '1', SUBSCRIBERS_SEED: 'off' };
    expect(runCli(['subscribers', 'add', 'ada@example.org'], { cwd: dir, env: base }).code).toBe(0);
    const runs = [
      runCli(['subscribers', 'list'], { cwd: dir, env: { ...base, SMTP_URL: `smtp://user:${PASSWORD}@host:notaport` } }),
      runCli(['subscribers', 'list'], { cwd: dir, env: { ...base, SMTP_URL: `smtps://user:${PASSWORD}@` } }),
      runCli(['subscribers', 'list'], { cwd: dir, env: { ...base, SECRET_KEY: 'short-' + PASSWORD.slice(0, 5) } }),
      runCli(['subscribers', 'list'], { cwd: dir, env: { ...base, ADMIN_TOKEN: PASSWORD.slice(0, 10) } }),
      runCli(['subscribers', 'list'], { cwd: dir, env: { ...base, DATABASE_URL: `postgres://u:${PASSWORD}@db/x` } }),
      await runCliAsync(['send', 'content/digests'], { cwd: dir, env: { ...base, SMTP_URL: `smtp://user:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}` } }),
      await runCliAsync(['send', 'content/digests', '--to', 'me@example.org'], { cwd: dir, env: { ...base, SMTP_URL: `smtp://user:${PASSWORD}@127.0.0.1:${port}` } }),
      await runCliAsync(['schedule', '--once'], { cwd: dir, env: { ...base, SMTP_URL: `smtp://user:${PASSWORD}@127.0.0.1:${port}` } }),
      runCli(['serve', '--host', '0.0.0.0', '--port', 'x'], { cwd: dir, env: { ...base } }),
    ];
    for (const r of runs) {
      const all = r.stdout + r.stderr;
      expect(r.code, r.stdout + r.stderr).not.toBe(0);
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain(SECRET);
      expect(all).not.toContain(TOKEN);
    }
    expect(runs[0]!.stderr).toContain('smtp://user:***@host:notaport');
    // The CLI says what went wrong without the secret: the SMTP run still names the server.
    expect(runs[5]!.stderr).toMatch(/^error: smtp:\/\/127\.0\.0\.1:\d+: cannot reach the mail server/m);
  }, 60_000);
});

describe('a mistyped DATABASE_URL', () => {
  it('is an error for read-only commands, and creates neither the directory nor a database', () => {
    const dir = scratch();
    const url = `sqlite:${path.join(dir, 'nonexistent/dir/x.db')}`;
    for (const args of [['subscribers', 'list'], ['subscribers', 'export'], ['subscribers', 'remove', 'a@example.org'], ['suppress', 'list'], ['send', 'content/digests', '--dry-run']]) {
      const r = runCli(args, { cwd: dir, env: { DATABASE_URL: url } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: there is no database at .*nonexistent\/dir\/x\.db \(DATABASE_URL\) — check DATABASE_URL/m);
    }
    expect(existsSync(path.join(dir, 'nonexistent'))).toBe(false);
    // render works before any database exists, as a preview.
    expect(runCli(['render', 'content/digests', '--out', 'preview'], { cwd: dir, env: { DATABASE_URL: url } }).code).toBe(0);
    expect(existsSync(path.join(dir, 'nonexistent'))).toBe(false);
    // Commands that start a list create it.
    expect(runCli(['subscribers', 'add', 'a@example.org'], { cwd: dir, env: { DATABASE_URL: url } }).code).toBe(0);
    expect(existsSync(path.join(dir, 'nonexistent/dir/x.db'))).toBe(true);
  });
});

describe('a dead mail server', () => {
  it('stops the run after a few failed connections, exits 1 within seconds, and the next run sends everyone once', async () => {
    const dir = scratch();
    const port = await closedPort();
    const env = { SECRET_KEY: SECRET, SUBSCRIBERS_SEED: 'off' };
    writeFileSync(path.join(dir, 'list.csv'), 'email\n' + Array.from({ length: 100 }, (_, i) => `r${i}@example.org`).join('\n') + '\n');
    expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: dir, env }).code).toBe(0);
    const started = Date.now();
    const r = await runCliAsync(['send', 'content/digests'], { cwd: dir, env: { ...env, SMTP_URL: `smtp://127.0.0.1:${port}` } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([expect.stringMatching(/cannot reach the mail server: .*ECONNREFUSED.*; 0 sent before it stopped — check SMTP_URL and that the mail server is up/)]);
    const db = new Database(path.join(dir, 'data/paperpost.db'), { readonly: true });
    const rows = db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as { status: string; n: number }[];
    db.close();
    // Only the messages tried are recorded (deferred); nobody was given up on. At most one per
    // connection (5) for each of the failures in a row that stop the run (UNREACHABLE_LIMIT, 3):
    // with per-domain queues (issue #23) a worker may take the next job of the queue while
    // another's connection is failing.
    expect(rows.every((x) => x.status === 'deferred')).toBe(true);
    expect(rows.reduce((n, x) => n + x.n, 0)).toBeLessThanOrEqual(15);

    const smtp = await startSmtpServer();
    try {
      const again = await runCliAsync(['send', 'content/digests'], { cwd: dir, env: { ...env, SMTP_URL: smtp.url } });
      expect(again.code, again.stderr).toBe(0);
      expect(new Set(smtp.received.map((m) => m.envelopeTo[0])).size).toBe(100);
      expect(smtp.received).toHaveLength(100);
    } finally {
      await smtp.close();
    }
  }, 60_000);
});

describe('small ones', () => {
  it('keeps an internationalised domain in its ASCII form, and refuses a non-ASCII name before the @ with the reason', () => {
    const dir = scratch();
    expect(runCli(['subscribers', 'add', 'user@Bücher.example'], { cwd: dir }).stdout).toContain('added user@xn--bcher-kva.example');
    const r = runCli(['subscribers', 'add', 'jürgen@example.org'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs SMTPUTF8/);
  });

  it('names a .env line that is not NAME=value, without printing it', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, '.env'), `# settings\nPUBLIC_URL=http://127.0.0.1:8080\nSECRET_KEY ${SECRET}\nMULTI="a\nb"\n`);
    const r = runCli(['subscribers', 'list'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: \.env:3: not NAME=value/);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('imports a CSV separated by semicolons', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'semi.csv'), 'email;name;themes\nsemi@example.org;Semi Colon;Efficient Inference\n\n');
    const r = runCli(['subscribers', 'import', 'semi.csv'], { cwd: dir });
    expect(r.stdout).toMatch(/1 added/);
    expect(JSON.parse(runCli(['subscribers', 'list', '--json'], { cwd: dir }).stdout)).toEqual([expect.objectContaining({ email: 'semi@example.org', name: 'Semi Colon', themes: ['efficient-inference'] })]);
  });
});
