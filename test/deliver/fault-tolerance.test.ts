/**
 * The sender against a hostile SMTP server, killed with SIGKILL at random points and rerun
 * until a run completes: in the end every active subscriber has their copy, copies beyond
 * the first share its Message-ID (so receivers can drop them), and 550 addresses bounced.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, ROOT, runCli } from '../helpers/run-cli.js';
import { smtpError, startSmtpServer } from '../helpers/start-smtp-server.js';

/** A small seeded generator, so a failing run can be replayed from its printed seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('delivery under faults', () => {
  it('ends with exactly one copy per active subscriber (plus same-Message-ID resends), bounces marked, nothing lost', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
    const rand = prng(seed);
    const bad = new Set(['nobody1@example.org', 'nobody2@example.org', 'nobody3@example.org']);
    let drops = 0;
    const server = await startSmtpServer({
      delayMs: () => Math.floor(rand() * 15),
      onRcptTo: (a) => {
        if (bad.has(a.address)) return smtpError(550, '5.1.1 No such user');
        const r = rand();
        if (r < 0.08) return smtpError(451, '4.3.0 Try again later');
        if (r < 0.12) return smtpError(421, '4.7.0 Too busy, come back later');
        return undefined;
      },
      onMessage: () => {
        const r = rand();
        if (r < 0.08) return smtpError(451, '4.3.0 Queue busy');
        if (r < 0.12) {
          drops++;
          return 'drop';
        }
        return undefined;
      },
    });
    try {
      const cwd = mkdtempSync(path.join(tmpdir(), 'pp-fault-'));
      cpSync(path.join(ROOT, 'content/digests/hf-papers-2025-12-11.txt'), path.join(cwd, 'digests/hf-papers-2025-12-11.txt'));
      const emails = [...Array.from({ length: 57 }, (_, i) => `reader${i}@example.org`), ...bad];
      writeFileSync(path.join(cwd, 'list.csv'), 'email,name,themes\n' + emails.map((e, i) => `${e},Reader ${i},`).join('\n') + '\n');
      const env = {
        DATABASE_URL: 'sqlite:data.db',
        SMTP_URL: server.url,
        SECRET_KEY: 'fault-test-secret-key-0123456789',
        DIGEST_SOURCE: 'digests',
        TEMPLATES_DIR: path.join(ROOT, 'templates'),
        MAIL_FROM: 'paperpost <news@example.org>',
        SMTP_POOL_SIZE: '3',
        SEND_RETRY_BASE_MS: '10',
        SEND_MAX_ATTEMPTS: '3',
      };
      expect(runCli(['subscribers', 'import', 'list.csv'], { cwd, env }).code).toBe(0);

      let kills = 0;
      let finished = false;
      let lastOutput = '';
      const hungRuns: string[] = [];
      for (let run = 0; run < 12 && !finished; run++) {
        const child = spawn(process.execPath, [CLI, 'send'], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stderr.on('data', (d) => (output += d));
        child.stdout.on('data', (d) => (output += d));
        // Kill the first runs mid-send, after a random number of further messages arrived; then let runs finish.
        const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
        let timer: NodeJS.Timeout | undefined;
        if (run < 5) {
          const target = server.received.length + 1 + Math.floor(rand() * 8);
          const poll = () => {
            if (server.received.length >= target) child.kill('SIGKILL');
            else timer = setTimeout(poll, 2);
          };
          poll();
        }
        // A run that stalls is a bug (say, a connection waited on forever): fail, do not wait it out.
        const hung = setTimeout(() => {
          hungRuns.push(`run ${run}: ${output}`);
          child.kill('SIGKILL');
        }, 20_000);
        const code = await exited;
        clearTimeout(hung);
        clearTimeout(timer);
        lastOutput = output;
        if (code === null) kills++;
        else if (code === 0) finished = true;
        else expect(output, `run ${run} (seed ${seed})`).toMatch(/^error: |deferred [1-9]/m);
      }
      expect(hungRuns, `seed ${seed}`).toEqual([]);
      expect(finished, `seed ${seed}: no run completed; the last said: ${lastOutput}`).toBe(true);

      const byRecipient = new Map<string, string[]>();
      for (const m of server.received) {
        const to = m.envelopeTo[0]!;
        byRecipient.set(to, [...(byRecipient.get(to) ?? []), m.parsed.messageId ?? '']);
      }
      const active = emails.filter((e) => !bad.has(e));
      let duplicates = 0;
      for (const e of active) {
        const ids = byRecipient.get(e) ?? [];
        expect(ids.length, `${e} (seed ${seed})`).toBeGreaterThanOrEqual(1);
        expect(new Set(ids).size, `${e}: copies must share one Message-ID`).toBe(1);
        duplicates += ids.length - 1;
      }
      for (const e of bad) expect(byRecipient.has(e)).toBe(false);
      // A copy can only repeat where the sender could not know: a dropped reply, or a kill
      // (which can catch each of the 3 pooled connections between the data and the reply).
      expect(duplicates).toBeLessThanOrEqual(drops + kills * 3);

      const db = new Database(path.join(cwd, 'data.db'), { readonly: true });
      const statuses = db.prepare('SELECT status, count(*) AS n FROM subscribers GROUP BY status').all();
      const ledger = db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all();
      db.close();
      expect(statuses).toEqual(expect.arrayContaining([{ status: 'active', n: 57 }, { status: 'bounced', n: 3 }]));
      expect(ledger).toEqual(expect.arrayContaining([{ status: 'sent', n: 57 }, { status: 'failed', n: 3 }]));
      console.log(`fault run (seed ${seed}): ${kills} SIGKILLs, ${drops} dropped replies, ${duplicates} duplicate copies (same Message-ID), ${server.received.length} messages received`);
    } finally {
      await server.close();
    }
  }, 240_000);
});
