/**
 * `paperpost send` opens its first SMTP connection right after reading the configuration,
 * while the application loads and the issue is prepared (issue #23, item 5: the server is
 * reached within 0.4 s; bench/startup.bench.mjs times it). What must hold whatever the timing:
 * a dry run never connects; a real run delivers through that connection's pool; a run that
 * finds nothing to send still closes the connection it opened, politely, and exits; and the
 * transport's module is loaded before the application's.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { CLI, ROOT, runCli, runCliAsync } from '../helpers/run-cli.js';

const PRELOAD = path.join(ROOT, 'test/cli/support/record-loads.mjs');

/** An SMTP server that counts connections opened and closed, and messages taken. */
async function countingServer() {
  const seen = { opened: 0, closed: 0, quit: 0, messages: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onConnect(_session, cb) {
      seen.opened++;
      cb();
    },
    onClose() {
      seen.closed++;
    },
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => {
        seen.messages++;
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  // QUIT is answered by smtp-server itself: count it from the commands it logs to the socket.
  const onConnection = (socket: import('node:net').Socket) => socket.on('data', (d: Buffer) => /^QUIT\r?$/m.test(d.toString('latin1')) && seen.quit++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  (server as unknown as { server: import('node:net').Server }).server.prependListener('connection', onConnection);
  const port = (server as unknown as { server: import('node:net').Server }).server.address() as { port: number };
  return { seen, url: `smtp://127.0.0.1:${port.port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function scratch(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-early-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const env = { HOME: dir, SECRET_KEY: 'early-connection-test-0123456789', SUBSCRIBERS_SEED: 'off', PAPERPOST_CACHE_DIR: path.join(dir, 'cache') };
  for (const a of ['ada@example.org', 'grace@example.org']) expect(runCli(['subscribers', 'add', a], { cwd: dir, env }).code).toBe(0);
  return { dir, env };
}

/** The dist/ files (relative to dist/) a run resolved, in the order it resolved them. */
function filesLoaded(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; files: string[] }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pp-early-loads-')), 'loads.txt');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env, RECORD_LOADS_FILE: file }, stdio: 'ignore' });
    child.on('exit', (code) => {
      const files = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      resolve({ code: code ?? -1, files: files.filter((f) => f.includes('/dist/')).map((f) => f.split('/dist/')[1]!) });
    });
  });
}

describe('send opens its SMTP connection early', () => {
  it('a dry run never connects; a send delivers; a send with nothing new closes the connection it opened with QUIT', async () => {
    const { dir, env } = scratch();
    const smtp = await countingServer();
    try {
      const dry = await runCliAsync(['send', '--dry-run'], { cwd: dir, env: { ...env, SMTP_URL: smtp.url } });
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('would go to 2 subscriber(s)');
      expect(smtp.seen.opened).toBe(0);

      const sent = await runCliAsync(['send'], { cwd: dir, env: { ...env, SMTP_URL: smtp.url } });
      expect(sent.code, sent.stderr).toBe(0);
      expect(smtp.seen.messages).toBe(2);

      const opened = smtp.seen.opened;
      const again = await runCliAsync(['send'], { cwd: dir, env: { ...env, SMTP_URL: smtp.url } });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('nothing new');
      expect(smtp.seen.messages).toBe(2);
      // The early connection was opened, and closed politely when the run found nothing to send.
      expect(smtp.seen.opened).toBe(opened + 1);
      await expect.poll(() => smtp.seen.closed, { timeout: 5000 }).toBe(smtp.seen.opened);
      expect(smtp.seen.quit).toBeGreaterThanOrEqual(2);
    } finally {
      await smtp.close();
    }
  }, 60_000);

  it('loads the SMTP transport before the application; a dry run only with it', async () => {
    const { dir, env } = scratch();
    const smtp = await countingServer();
    try {
      const send = await filesLoaded(['send'], dir, { ...env, SMTP_URL: smtp.url });
      expect(send.code).toBe(0);
      const transport = send.files.indexOf('smtp-transport.js');
      expect(transport).toBeGreaterThanOrEqual(0);
      expect(transport).toBeLessThan(send.files.indexOf('app.js'));
      const dry = await filesLoaded(['send', '--dry-run'], dir, { ...env, SMTP_URL: smtp.url });
      expect(dry.code).toBe(0);
      // Only as a part of the application (app.ts builds transports): nothing was opened ahead of it.
      expect(dry.files.indexOf('smtp-transport.js')).toBeGreaterThan(dry.files.indexOf('app.js'));
    } finally {
      await smtp.close();
    }
  }, 60_000);
});
