/**
 * Exit codes and what a run says (issue #11, item 11): `send` and `schedule --once` stopped
 * by SIGTERM finish the messages in flight, record them and exit 0, as the README promises;
 * the run that then finishes the issue says it finished it, rather than "nothing new".
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, runCli, runCliAsync } from '../helpers/run-cli.js';
import { startSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest } from '../schedule/helpers.js';

async function stopMidSend(args: string[]) {
  const server = await startSmtpServer({ delayMs: () => 40 });
  const s = scratch({ SMTP_URL: server.url, SMTP_POOL_SIZE: '2' });
  writeDigest(s, '2026-03-02', [paper('kv', 1, 5), paper('kv', 2, 4), paper('distill', 3, 3)]);
  const csv = path.join(s.dir, 'list.csv');
  writeFileSync(csv, 'email,name,themes\n' + Array.from({ length: 60 }, (_, i) => `r${i}@example.org,R ${i},`).join('\n') + '\n');
  expect(runCli(['subscribers', 'import', csv], { env: s.env, cwd: s.dir }).code).toBe(0);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: s.dir, env: { PATH: process.env.PATH ?? '', ...s.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (server.received.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const db = new Database(path.join(s.dir, 'paperpost.db'), { readonly: true });
  const queued = (db.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'queued'").get() as { n: number }).n;
  db.close();
  return { code, output, queued, server, s };
}

describe('SIGTERM mid-send', () => {
  it('send exits 0 with the messages in flight recorded', async () => {
    const r = await stopMidSend(['send']);
    try {
      expect(r.code, r.output).toBe(0);
      expect(r.queued).toBe(0);
      expect(r.output).toMatch(/SIGTERM: finishing the messages in flight/);
      expect(r.output).toMatch(/not tried yet: run it again to send the rest/);
      expect(r.server.received.length).toBeLessThan(60);
    } finally {
      await r.server.close();
    }
  }, 60_000);

  it('schedule --once exits 0, and the run that finishes the issue says so', async () => {
    const r = await stopMidSend(['schedule', '--once']);
    try {
      expect(r.code, r.output).toBe(0);
      expect(r.queued).toBe(0);
      const before = r.server.received.length;
      const next = await runCliAsync(['schedule', '--once'], { env: r.s.env, cwd: r.s.dir });
      expect(next.code, next.stderr).toBe(0);
      const lines = next.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; outcome?: string });
      const summary = lines.find((l) => l.outcome !== undefined)!;
      expect(summary.outcome).toBe('resumed');
      expect(summary.msg).toContain(`finished 2026-03-02 (${60 - before} sent)`);
      expect(summary.msg).not.toMatch(/^nothing new/);
    } finally {
      await r.server.close();
    }
  }, 60_000);
});
