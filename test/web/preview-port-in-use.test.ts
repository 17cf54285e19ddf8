/**
 * `paperpost preview --port N` when N is taken: one line, exit 2, and the process ends. It used
 * to print the line and stay alive (the server's keep-alive timer ran on), so an operator's
 * terminal or a script hung on a preview that never started.
 */
import { createServer, type Server } from 'node:net';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT, runCliAsync } from '../helpers/run-cli.js';

let blocker: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

it('says the port is in use in one line and exits 2', async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-preview-port-'));
  cpSync(path.join(ROOT, 'test/fixtures/web/digests/paperpost-2025-12-10.json'), path.join(dir, 'digest.json'));
  const run = await runCliAsync(['preview', 'digest.json', '--port', String(port)], { cwd: dir, env: { DATABASE_URL: 'sqlite::memory:' } });
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trim().split('\n')).toEqual([`error: cannot listen on 127.0.0.1:${port}: the port is in use — choose another --port (0 picks a free one)`]);
}, 60_000);
