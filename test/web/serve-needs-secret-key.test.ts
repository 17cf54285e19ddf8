/**
 * `serve` on an address others reach (0.0.0.0) used to start with the public development
 * SECRET_KEY when SECRET_KEY was unset (a warning only): anyone could sign a reader's
 * unsubscribe or preferences link. `bounces serve` likewise checked bounce addresses against
 * that key, so anyone could forge a bounce for any reader. Both now refuse such a host
 * without SECRET_KEY: exit 2, one line, nothing listening. On loopback both still start (a
 * development machine). The built CLI, real sockets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/run-cli.js';
import { freePort } from './support/start-web-fixture.js';

/** Runs the CLI; stops it (SIGTERM) once it prints `ready`, or after 10 s. */
function runUntil(args: string[], env: Record<string, string>, ready: string): Promise<{ code: number | null; stdout: string; stderr: string; started: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-secret-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: `sqlite:${path.join(dir, 'paperpost.db')}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!started && stdout.includes(ready)) {
        started = true;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, started });
    });
  });
}

const TOKEN = { ADMIN_TOKEN: 'a'.repeat(32) };

describe('serve without SECRET_KEY', () => {
  it('on 0.0.0.0: exit 2, one line naming SECRET_KEY, never listening', async () => {
    const port = await freePort();
    const r = await runUntil(['serve', '--host', '0.0.0.0', '--port', String(port)], { ...TOKEN, PUBLIC_URL: 'https://news.example.org' }, 'serving on');
    expect(r.started).toBe(false);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: SECRET_KEY must be set to serve on 0\.0\.0\.0: links would be signed with the public development key/);
  });

  it('on 0.0.0.0 with SECRET_KEY, and on loopback without it, starts as before', async () => {
    const open = await runUntil(['serve', '--host', '0.0.0.0', '--port', String(await freePort())], { ...TOKEN, SECRET_KEY: 's'.repeat(32), PUBLIC_URL: 'https://news.example.org' }, 'serving on');
    expect(open.started, open.stderr).toBe(true);
    const local = await runUntil(['serve', '--port', String(await freePort())], { PUBLIC_URL: 'https://news.example.org' }, 'serving on');
    expect(local.started, local.stderr).toBe(true);
  });
});

describe('bounces serve without SECRET_KEY', () => {
  it('on 0.0.0.0: exit 2, one line naming SECRET_KEY, never listening; on loopback it starts', async () => {
    const r = await runUntil(['bounces', 'serve', '--host', '0.0.0.0', '--port', String(await freePort())], { BOUNCE_DOMAIN: 'bounces.example.org' }, 'taking bounces');
    expect(r.started).toBe(false);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: SECRET_KEY must be set to take bounces on 0\.0\.0\.0/);
    const local = await runUntil(['bounces', 'serve', '--port', String(await freePort())], { BOUNCE_DOMAIN: 'bounces.example.org' }, 'taking bounces');
    expect(local.started, local.stderr).toBe(true);
  });
});
