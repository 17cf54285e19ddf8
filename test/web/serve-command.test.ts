/**
 * `paperpost serve` as an operator starts it (the built CLI, dist/cli.js): one warning line
 * when PUBLIC_URL, which every link in an email starts with, would not lead to this server,
 * and a bad TRUST_PROXY stops it at start-up with one line (exit 2). Run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/run-cli.js';
import { freePort } from './support/start-web-fixture.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-serve-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const baseEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  DATABASE_URL: `sqlite:${path.join(dir, 'paperpost.db')}`,
  SECRET_KEY: 's'.repeat(32),
});

/** What the last `serve` printed on stdout. */
let lastStdout = '';

/** Starts `serve` with `args` and `env`, waits until it says it is serving, stops it; its stderr lines. */
function serveStderr(args: string[], env: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: dir, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('serving on')) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      lastStdout = stdout;
      if (!stdout.includes('serving on')) reject(new Error(`serve did not start: ${stderr}`));
      // What it printed while stopping (SIGTERM: ...) is not about PUBLIC_URL.
      else resolve(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('SIGTERM')));
    });
  });
}

describe('serve and PUBLIC_URL', () => {
  it('warns in one line when PUBLIC_URL names another port than --port', async () => {
    const [port, other] = [await freePort(), await freePort()];
    const lines = await serveStderr(['--port', String(port)], { PUBLIC_URL: `http://127.0.0.1:${other}` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^warning: PUBLIC_URL names port ${other} but serve listens on port ${port}, so links in emails .* point to port ${other}`));
  });

  it('counts the default port of an http URL, and says nothing when they agree', async () => {
    const port = await freePort();
    expect(await serveStderr(['--port', String(port)], { PUBLIC_URL: `http://127.0.0.1:${port}` })).toEqual([]);
    expect(await serveStderr(['--port', String(port)], { PUBLIC_URL: 'http://localhost' })).toEqual([expect.stringContaining('PUBLIC_URL names port 80 ')]);
    // Behind a reverse proxy PUBLIC_URL is the public https address, on its default port.
    expect(await serveStderr(['--port', String(port)], { PUBLIC_URL: 'https://news.example.org' })).toEqual([]);
  });

  it('warns in one line when PUBLIC_URL names this machine but --host serves others', async () => {
    const port = await freePort();
    const lines = await serveStderr(['--port', String(port), '--host', '0.0.0.0'], { PUBLIC_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: 't'.repeat(24) });
    expect(lines).toEqual([expect.stringMatching(/^warning: PUBLIC_URL names this machine \(127\.0\.0\.1\) but serve listens on 0\.0\.0\.0 for others/)]);
    // It says it listens on every address, not on 127.0.0.1 alone.
    expect(lastStdout).toContain(`serving on every address (0.0.0.0), port ${port}: http://127.0.0.1:${port} from this machine`);
  });
});

describe('serve with a bad TRUST_PROXY', () => {
  it('stops with exit 2 and one line naming the variable', () => {
    for (const value of ['banana', 'true', '10.0.0.0/40']) {
      const r = runCli(['serve', '--port', '0'], { cwd: dir, env: { ...baseEnv(), TRUST_PROXY: value } });
      expect(r.code, value).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, value).toHaveLength(1);
      expect(lines[0]).toContain('TRUST_PROXY must be a hop count such as 1, or proxy addresses such as loopback or 10.0.0.0/8');
    }
  });
});

describe('bounces serve on a port in use', () => {
  it('says so in one line (exit 2), not once more as a log line', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = runCli(['bounces', 'serve', '--port', String(port)], { cwd: dir, env: { ...baseEnv(), BOUNCE_DOMAIN: 'bounces.example.org' } });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`error: cannot listen on 127.0.0.1:${port}: the port is in use — choose another --port or --host`]);
    } finally {
      blocker.close();
    }
  });
});
