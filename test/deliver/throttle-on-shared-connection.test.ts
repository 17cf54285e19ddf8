/**
 * A throttle closes the connection it came on (a 421 does), and with PIPELINING other
 * domains' messages ride on that connection. Those failed only because the connection went:
 * they must go again at once on another connection and slow no domain; only the message the
 * server refused itself pauses its own domain. Issue #23's test, on one pipelined connection:
 * - the other domain finishes at full speed (every message sent, none deferred, no error of
 *   the throttled domain recorded against it);
 * - the throttled domain gets no retry sooner than asked;
 * - no message goes twice.
 * Real SMTP server (smtp-server, every RCPT reply a little slow, so a second message is
 * always waiting on the connection when the 421 comes), real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-04';
const GMAIL = 4;
const OTHERS = 30;
let db: Database.Database;
let store: Store;
let server: TestSmtpServer;
beforeEach(async () => {
  db = new Database(':memory:');
  store = createSqliteStore(db);
  const emails = [...Array.from({ length: GMAIL }, (_, i) => `g${i}@gmail.com`), ...Array.from({ length: OTHERS }, (_, i) => `n${i}@example.net`)];
  // The throttled domain's readers spread through the list: g0 first, the others every few.
  emails.sort((a, b) => Number(/\d+/.exec(a)![0]) * (a.startsWith('g') ? 8 : 1) - Number(/\d+/.exec(b)![0]) * (b.startsWith('g') ? 8 : 1));
  await store.importSubscribers(emails.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await server?.close();
  await store.close();
});

const rows = () =>
  db
    .prepare('SELECT s.email, d.status, d.attempts, d.response FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.issue_id = ?')
    .all(ISSUE) as { email: string; status: string; attempts: number; response: string | null }[];

async function run(reply: string, retryMaxMs: number, o: { onceEach?: boolean; delayMs?: number } = {}) {
  const rcpts = new Map<string, number[]>();
  const started = performance.now();
  server = await startSmtpServer({
    delayMs: () => o.delayMs ?? 15,
    onRcptTo: (a) => {
      rcpts.set(a.address, [...(rcpts.get(a.address) ?? []), performance.now() - started]);
      const refuse = a.address.endsWith('@gmail.com') && (!o.onceEach || rcpts.get(a.address)!.length === 1);
      return refuse ? smtpError(421, reply) : undefined;
    },
  });
  // One connection: whatever rides along with a gmail.com message shares its 421.
  const transport = sinkPool(server.port, 1);
  const summary = await deliverOneLineIssue({
    store,
    transport,
    issueId: ISSUE,
    maxAttempts: 3,
    retryBaseMs: 50,
    retryMaxMs,
  });
  return { summary, rcpts, elapsed: performance.now() - started };
}

describe('a 421 to one domain on a pipelined connection', () => {
  it('fails only the message it answered: the others go again at once, and their domain is not paused', async () => {
    // Two minutes asked, one second allowed: gmail.com waits for the next run, example.net must not.
    const { summary, rcpts } = await run('4.7.28 try again in 2 minutes', 1000);
    const others = rows().filter((r) => r.email.endsWith('@example.net'));
    expect(others).toHaveLength(OTHERS);
    for (const r of others) {
      expect(r.status, r.email).toBe('sent');
      expect(r.response ?? '', r.email).not.toMatch(/421|4\.7\.28|longer wait/);
    }
    expect(summary).toMatchObject({ sent: OTHERS, failed: 0 });
    // gmail.com: refused once, never again in this run (it asked for two minutes).
    const gmail = [...rcpts].filter(([a]) => a.endsWith('@gmail.com'));
    expect(gmail.length).toBeGreaterThanOrEqual(1);
    for (const [a, times] of gmail) expect(times, a).toHaveLength(1);
    for (const r of rows().filter((r) => r.email.endsWith('@gmail.com'))) expect(r.status).not.toBe('sent');
    // Nothing twice.
    const ids = server.received.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(OTHERS);
  });

  it('lets the other domain finish before the throttled one is retried, no sooner than asked', async () => {
    const asked = 1500;
    const { summary, rcpts } = await run(`4.7.28 try again in ${asked / 1000} seconds`, 60_000, { onceEach: true, delayMs: 3 });
    // Each gmail.com message is refused once (each refusal pauses the queue), then taken.
    expect(summary).toMatchObject({ sent: OTHERS + GMAIL, deferred: 0, failed: 0 });
    const otherDone = Math.max(...[...rcpts].filter(([a]) => a.endsWith('@example.net')).map(([, t]) => Math.max(...t)));
    const gmail = [...rcpts].filter(([a]) => a.endsWith('@gmail.com'));
    const retries = gmail.flatMap(([, t]) => t.slice(1));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(otherDone).toBeLessThan(Math.min(...retries));
    for (const [a, t] of gmail) for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!, a).toBeGreaterThanOrEqual(asked - 5);
    const ids = server.received.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(OTHERS + GMAIL);
  });
});
