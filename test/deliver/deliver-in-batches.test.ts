/**
 * The claim loop of a shared send (deliver-in-batches.ts) in one process, on a real
 * PostgreSQL database and the real pg-boss queue, with a transport that only records: two
 * loops at once send each subscriber one copy; a loop stopped by --limit gives its batch back
 * and the next loop finishes it; only the loop that finds no batch left marks the issue sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/postgres/create-postgres-store.js';
import { createPgBossSendQueue } from '../../src/deliver/create-pg-boss-send-queue.js';
import { deliverInBatches } from '../../src/deliver/deliver-in-batches.js';
import type { Transport } from '../../src/deliver/transport.js';
import type { Store } from '../../src/store/store.js';
import type { SendQueue } from '../../src/deliver/send-queue.js';
import { connectAdmin, createTestDatabase } from '../store/store-backends.js';

const ISSUE = '2026-03-02';

/** A transport that takes every message after a tick and keeps who got which Message-ID. */
function recordingTransport(received: { to: string; messageId: string }[]): Transport {
  return {
    name: 'recording',
    concurrency: 3,
    async send(m) {
      await m.beforeData?.();
      await new Promise((r) => setImmediate(r));
      received.push({ to: m.to, messageId: m.messageId });
      return { response: '250 ok' };
    },
    async close() {},
  };
}

describe('deliverInBatches on PostgreSQL', () => {
  let admin: pg.Client;
  let database: { url: string; drop: () => Promise<void> };
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    admin = await connectAdmin();
    database = await createTestDatabase(admin, 'batches');
  });
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
    // pg's Pool.end() resolves before its sockets have closed: let them, before the database goes.
    await new Promise((r) => setTimeout(r, 300));
    await database?.drop();
    await admin?.end();
  });

  const open = (): { store: Store; queue: SendQueue } => {
    const store = createPostgresStore(new pg.Pool({ connectionString: database.url, max: 3 }));
    const queue = createPgBossSendQueue({ connectionString: database.url, batchSize: 100, leaseSeconds: 5 });
    opened.push(store, queue);
    return { store, queue };
  };
  const run = (p: { store: Store; queue: SendQueue }, received: { to: string; messageId: string }[], limit?: number) =>
    deliverInBatches({
      store: p.store,
      queue: p.queue,
      transport: recordingTransport(received),
      issueId: ISSUE,
      from: 'news@example.org',
      compose: (s) => ({ raw: Buffer.from(`To: ${s.email}\r\n\r\nhi\r\n`), subject: 'Issue', html: '' }) as never,
      messageIdFor: (s) => `<${ISSUE}.${s.id}@example.org>`,
      maxAttempts: 2,
      limit,
      pollMs: 100,
    });

  it('shares one issue between two loops, gives a stopped batch back, and marks the issue sent once nothing is left', async () => {
    const a = open();
    const b = open();
    await a.store.importSubscribers(Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
    await a.store.freezeIssue(ISSUE, '{}');
    const received: { to: string; messageId: string }[] = [];

    // 1. --limit 150: one batch done, the second given back half sent; the issue is not sent.
    const first = await run(a, received, 150);
    expect(first).toMatchObject({ sent: 150, stoppedEarly: true, complete: false });
    expect((await a.store.getIssue(ISSUE))!.sentAt).toBeNull();
    expect(await a.queue.pending(ISSUE)).toBe(9);

    // 2. Two loops at once finish the round between them.
    const [x, y] = await Promise.all([run(a, received), run(b, received)]);
    expect(x.sent + y.sent).toBe(850);
    expect(x.complete && y.complete).toBe(true);
    expect(x.sent > 0 && y.sent > 0).toBe(true);
    expect((await a.store.getIssue(ISSUE))!.sentAt).not.toBeNull();
    expect(await a.store.countDeliveries(ISSUE)).toEqual({ queued: 0, sent: 1000, deferred: 0, failed: 0 });
    const per = new Map<string, number>();
    for (const r of received) per.set(r.to, (per.get(r.to) ?? 0) + 1);
    expect(per.size).toBe(1000);
    expect([...per.values()].every((n) => n === 1)).toBe(true);

    // 3. A later run starts a new round and finds everyone done.
    const again = await run(b, received);
    expect(again).toMatchObject({ sent: 0, alreadyDone: 1000, complete: true });
    expect(received).toHaveLength(1000);
  }, 60_000);
});
