/**
 * SIGTERM in the middle of a scheduled send: the scheduler takes no new work, lets the
 * messages in flight finish and records them, releases the lock and exits 0; the next run
 * sends the rest, and nobody gets two copies.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import path from 'node:path';
import { CLI, runCli, runCliAsync } from '../helpers/run-cli.js';
import { startSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest } from './helpers.js';

describe('paperpost schedule under SIGTERM', () => {
  it('exits cleanly mid-send, and the next run sends the rest exactly once', async () => {
    const server = await startSmtpServer({ delayMs: () => 40 });
    try {
      const s = scratch({ SMTP_URL: server.url, SMTP_POOL_SIZE: '2', CRON_SCHEDULE: '*/2 * * * * *', CATCH_UP_HOURS: '0' });
      writeDigest(s, '2026-03-02', [paper('kv', 1, 5), paper('kv', 2, 4), paper('distill', 3, 3)]);
      const csv = path.join(s.dir, 'list.csv');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(csv, 'email,name,themes\n' + Array.from({ length: 60 }, (_, i) => `r${i}@example.org,R ${i},`).join('\n') + '\n');
      expect(runCli(['subscribers', 'import', csv], { env: s.env, cwd: s.dir }).code).toBe(0);

      const child = spawn(process.execPath, [CLI, 'schedule'], { cwd: s.dir, env: { PATH: process.env.PATH ?? '', ...s.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      // Wait until some messages have been accepted, then ask it to stop.
      const deadline = Date.now() + 30_000;
      while (server.received.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(server.received.length).toBeGreaterThanOrEqual(5);
      const termAt = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      const stopMs = Date.now() - termAt;
      expect(code, output).toBe(0);
      expect(stopMs).toBeLessThan(10_000);
      const acceptedBeforeStop = server.received.length;
      expect(acceptedBeforeStop).toBeLessThan(60);
      // JSON lines when not on a terminal, one of them the run's summary.
      const lines = output.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
      expect(lines.some((l) => /run finished: incomplete/.test(l.msg))).toBe(true);
      expect(lines.at(-1)!.msg).toBe('stopped');

      const db = new Database(path.join(s.dir, 'paperpost.db'), { readonly: true });
      const ledger = db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as { status: string; n: number }[];
      const locks = db.prepare('SELECT count(*) AS n FROM locks').get() as { n: number };
      db.close();
      expect(ledger.find((r) => r.status === 'queued')).toBeUndefined(); // in-flight messages were recorded
      expect(ledger.find((r) => r.status === 'sent')!.n).toBe(acceptedBeforeStop);
      expect(locks.n).toBe(0);

      const next = await runCliAsync(['schedule', '--once'], { env: s.env, cwd: s.dir });
      expect(next.code, next.stdout + next.stderr + JSON.stringify(ledgerNow(s.dir))).toBe(0);
      const perRecipient = new Map<string, number>();
      for (const m of server.received) perRecipient.set(m.envelopeTo[0]!, (perRecipient.get(m.envelopeTo[0]!) ?? 0) + 1);
      expect(perRecipient.size).toBe(60);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await server.close();
    }
  }, 90_000);
});

function ledgerNow(dir: string) {
  const db = new Database(path.join(dir, 'paperpost.db'), { readonly: true });
  try {
    return {
      deliveries: db.prepare('SELECT status, count(*) AS n, max(response) AS r FROM deliveries GROUP BY status').all(),
      runs: db.prepare('SELECT * FROM runs').all(),
    };
  } finally {
    db.close();
  }
}
