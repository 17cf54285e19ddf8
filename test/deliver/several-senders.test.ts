/**
 * Several senders on one issue (PostgreSQL): three `paperpost send` processes, each with its
 * own SMTP_URL, start together on 30,000 subscribers; one is killed with SIGKILL mid-send,
 * at a moment it holds a claimed batch with deliveries queued (seen in the database).
 * The survivors take over its batches once their lease (SEND_CLAIM_LEASE_SECONDS, short
 * here) runs out, and in the end every active subscriber has exactly one copy, except resends
 * under the same Message-ID of the messages the killed sender had in flight. Exactly one
 * process froze the issue.
 *
 * The SMTP servers only count: per recipient, the Message-IDs read from each message's header
 * block (no parser runs on 30,000 messages, and no message is kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { CLI } from '../helpers/run-cli.js';
import { paper, scratch, writeDigest } from '../schedule/helpers.js';
import { connectAdmin, createTestDatabase } from '../store/store-backends.js';
import { createPostgresStore } from '../../src/store/postgres/create-postgres-store.js';

const SUBSCRIBERS = 30_000;
const POOL = 3;
const DATE = '2026-03-02';

/** A sink that records, per recipient, the Message-ID of every message it accepts. */
async function startCountingSink(copies: Map<string, string[]>) {
  let accepted = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 0,
    onData(stream, session, cb) {
      // Only the header block is looked at; the body streams through.
      let head = '';
      let messageId: string | null = null;
      stream.on('data', (c: Buffer) => {
        if (messageId !== null || head.length > 16_384) return;
        head += c.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        const block = end >= 0 ? head.slice(0, end) : head;
        const m = /^message-id:\s*(<[^>\r\n]+>)/im.exec(block);
        if (m) messageId = m[1]!;
        else if (end >= 0) messageId = '';
      });
      stream.on('end', () => {
        accepted++;
        for (const r of session.envelope.rcptTo) copies.set(r.address, [...(copies.get(r.address) ?? []), messageId ?? '']);
        cb(null, 'OK');
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('several senders on one PostgreSQL', () => {
  let admin: pg.Client;
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    admin = await connectAdmin();
    database = await createTestDatabase(admin, 'senders');
  });
  afterAll(async () => {
    await database?.drop();
    await admin?.end();
  });

  it('three senders, one killed mid-send: one copy each (resends keep their Message-ID), the survivors finish its batches', async () => {
    // 1. 30,000 subscribers, imported through the store (one statement per 500 rows).
    const store = createPostgresStore(new pg.Pool({ connectionString: database.url, max: 2 }));
    const outcome = await store.importSubscribers(Array.from({ length: SUBSCRIBERS }, (_, i) => ({ line: i + 2, input: { email: `reader${i}@example.org` } })));
    expect(outcome.added).toBe(SUBSCRIBERS);
    await store.close();

    // 2. Three sinks (each sender its own SMTP_URL) that share one count.
    const copies = new Map<string, string[]>();
    const sinks = [await startCountingSink(copies), await startCountingSink(copies), await startCountingSink(copies)];
    const s = scratch({ DATABASE_URL: database.url, SMTP_POOL_SIZE: String(POOL), SEND_CLAIM_LEASE_SECONDS: '3', SEND_BATCH_SIZE: '500', SEND_RETRY_BASE_MS: '10' });
    writeDigest(s, DATE, [paper('kv', 1, 5), paper('kv', 2, 4), paper('distill', 3, 3)]);

    const outputs = ['', '', ''];
    const children: ChildProcess[] = [];
    const exits = sinks.map((sink, i) => {
      const child = spawn(process.execPath, [CLI, 'send'], { cwd: s.dir, env: { PATH: process.env.PATH ?? '', HOME: s.dir, ...s.env, SMTP_URL: sink.url }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      child.stdout!.on('data', (d) => (outputs[i] += d));
      child.stderr!.on('data', (d) => (outputs[i] += d));
      return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    });
    try {
      // 3. Kill the first sender once it is well into its share, and only while it holds a
      //    claimed, unfinished batch: it is frozen (SIGSTOP) while the database is asked whether
      //    it holds a batch's lock with rows still queued in that batch; if not, it goes on
      //    (SIGCONT) and is asked again a moment later. So the kill always leaves a batch for the
      //    survivors to take over (a kill between two batches would leave none, and prove nothing).
      //    (On a loaded machine the first 2,000 can take minutes; killed before its first message, the
      //    first sender's sink would have none, and the last check wants every sink used.)
      const deadline = Date.now() + 300_000;
      while (sinks[0]!.accepted() < 2_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const victim = children[0]!;
      const watch = new pg.Client({ connectionString: database.url });
      await watch.connect();
      let held: { name: string; queued: string } | undefined;
      let seen = '';
      try {
        const holdDeadline = Date.now() + 120_000;
        while (!held && Date.now() < holdDeadline) {
          victim.kill('SIGSTOP');
          held = (
            await watch.query<{ name: string; queued: string }>(
              `SELECT l.name, (SELECT count(*) FROM deliveries d WHERE d.issue_id = $1 AND d.status = 'queued'
                                 AND d.subscriber_id >= split_part(split_part(l.name, ':', 3), '-', 1)::bigint
                                 AND d.subscriber_id < split_part(split_part(l.name, ':', 3), '-', 2)::bigint) AS queued
               FROM locks l WHERE l.name LIKE $2 AND split_part(l.holder, ':', 2) = $3`,
              [DATE, `send:${DATE}:%`, String(victim.pid)],
            )
          ).rows.find((r) => Number(r.queued) > 0 && sinks[0]!.accepted() > 0);
          if (!held) {
            victim.kill('SIGCONT');
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        // What the database showed last, to say why if it never held one.
        if (!held) seen = JSON.stringify((await watch.query('SELECT name, holder FROM locks')).rows);
      } finally {
        await watch.end();
      }
      const acceptedAtKill = sinks.reduce((n, k) => n + k.accepted(), 0);
      victim.kill('SIGKILL');
      expect(held, `the first sender (pid ${victim.pid}) never held a batch with rows queued; locks: ${seen}; its output: ${outputs[0]}`).toBeDefined();
      expect(acceptedAtKill, outputs.join('\n')).toBeLessThan(SUBSCRIBERS * 0.8);

      // 4. The survivors finish, each with exit code 0.
      const [killed, a, b] = await Promise.all(exits);
      expect(killed!.signal).toBe('SIGKILL');
      expect(a!.code, outputs[1]).toBe(0);
      expect(b!.code, outputs[2]).toBe(0);
      // Nothing but paperpost's own lines: no library warning on stderr (pg's about a query beside another).
      expect(outputs.join('\n')).not.toMatch(/Warning/);
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const sink of sinks) await sink.close();
    }

    // 5. One copy per subscriber; any second copy shares the first one's Message-ID, and only
    //    the killed sender's messages in flight (one per connection) can have one.
    let duplicates = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ids = copies.get(`reader${i}@example.org`) ?? [];
      if (ids.length !== 1) {
        expect(ids.length, `reader${i}`).toBeGreaterThan(0);
        expect(new Set(ids).size, `reader${i}: copies must share one Message-ID`).toBe(1);
        expect(ids[0]).toMatch(/^<.+@.+>$/);
        duplicates += ids.length - 1;
      }
    }
    expect(copies.size).toBe(SUBSCRIBERS);
    expect(duplicates).toBeLessThanOrEqual(POOL);
    for (const sink of sinks) expect(sink.accepted()).toBeGreaterThan(0);

    // 6. The ledger and the queue: all sent, the issue marked sent, frozen once; batches the killed
    //    sender held were taken over after their lease (claimed again) and completed.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const ledger = await db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM deliveries GROUP BY status');
      expect(ledger.rows).toEqual([{ status: 'sent', n: String(SUBSCRIBERS) }]);
      const issues = await db.query<{ id: string; sent_at: string | null }>('SELECT id, sent_at FROM issues');
      expect(issues.rows).toHaveLength(1);
      expect(issues.rows[0]!.sent_at).not.toBeNull();
      const jobs = await db.query<{ state: string; taken_over: string; n: string }>(
        `SELECT state, count(*) FILTER (WHERE retry_count > 0) AS taken_over, count(*) AS n FROM pgboss.job WHERE name = $1 GROUP BY state`,
        [`paperpost-send-${DATE}`],
      );
      expect(jobs.rows.every((r) => r.state === 'completed' || r.state === 'cancelled'), JSON.stringify(jobs.rows)).toBe(true);
      expect(jobs.rows.reduce((n, r) => n + Number(r.n), 0)).toBe(SUBSCRIBERS / 500);
      expect(jobs.rows.reduce((n, r) => n + Number(r.taken_over), 0), JSON.stringify(jobs.rows)).toBeGreaterThanOrEqual(1);
    } finally {
      await db.end();
    }
    console.log(`several senders: ${duplicates} resent copies (same Message-ID); survivors: ${outputs[1]!.trim().split('\n').at(-1)} | ${outputs[2]!.trim().split('\n').at(-1)}`);
  }, 600_000);
});
