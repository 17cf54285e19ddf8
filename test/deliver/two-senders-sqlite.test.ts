/**
 * On SQLite there is no send queue: two `paperpost send` processes started together on one
 * database still never send an issue twice. One takes the issue's lock and sends; the other
 * stops with "being sent by another process" (exit 1) or, if it starts after the first has
 * finished, finds nothing left to send.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, runCli } from '../helpers/run-cli.js';
import { startSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest } from '../schedule/helpers.js';

describe('two senders on SQLite', () => {
  it('send each subscriber one copy between them', async () => {
    const server = await startSmtpServer({ delayMs: () => 5 });
    try {
      const s = scratch({ SMTP_URL: server.url, SMTP_POOL_SIZE: '2' });
      writeDigest(s, '2026-03-02', [paper('kv', 1, 5), paper('kv', 2, 4), paper('distill', 3, 3)]);
      const csv = path.join(s.dir, 'list.csv');
      writeFileSync(csv, 'email,name,themes\n' + Array.from({ length: 150 }, (_, i) => `r${i}@example.org,R ${i},`).join('\n') + '\n');
      expect(runCli(['subscribers', 'import', csv], { env: s.env, cwd: s.dir }).code).toBe(0);

      const run = () =>
        new Promise<{ code: number | null; output: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI, 'send'], { cwd: s.dir, env: { PATH: process.env.PATH ?? '', HOME: s.dir, ...s.env }, stdio: ['ignore', 'pipe', 'pipe'] });
          let output = '';
          child.stdout.on('data', (d) => (output += d));
          child.stderr.on('data', (d) => (output += d));
          child.on('exit', (code) => resolve({ code, output }));
        });
      const results = await Promise.all([run(), run()]);
      const both = results.map((r) => r.output).join('\n---\n');
      // One of them sent it all; the other was refused by the lock or found nothing left.
      expect(results.filter((r) => r.code === 0).length, both).toBeGreaterThanOrEqual(1);
      for (const r of results) if (r.code !== 0) expect(r.output, both).toMatch(/being sent by another process/);

      const perRecipient = new Map<string, number>();
      for (const m of server.received) perRecipient.set(m.envelopeTo[0]!, (perRecipient.get(m.envelopeTo[0]!) ?? 0) + 1);
      expect(perRecipient.size).toBe(150);
      expect([...perRecipient.values()].every((n) => n === 1), both).toBe(true);
      const db = new Database(path.join(s.dir, 'paperpost.db'), { readonly: true });
      const issues = db.prepare('SELECT count(*) AS n, count(sent_at) AS sent FROM issues').get();
      db.close();
      expect(issues).toEqual({ n: 1, sent: 1 });
    } finally {
      await server.close();
    }
  }, 60_000);
});
