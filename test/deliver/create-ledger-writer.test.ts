/**
 * The ledger writer (create-ledger-writer.ts) on a real SQLite store: batches queued in one
 * go, outcomes written behind in one transaction per turn of the event loop, `flush` as the
 * `beforeData` rule (a promise while outcomes are unwritten, nothing when all are), bounces,
 * rows put back as they were, and a failing write handed to onError instead of thrown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createLedgerWriter } from '../../src/deliver/create-ledger-writer.js';

const ISSUE = '2026-03-02';
let store: Store;
let ids: number[];
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(['ada', 'grace', 'alan'].map((n, i) => ({ line: i + 2, input: { email: `${n}@example.org` } })));
  await store.freezeIssue(ISSUE, '{}');
  ids = [];
  for await (const s of store.listSubscribers()) ids.push(s.id);
});
afterEach(async () => {
  await store.close().catch(() => undefined);
});

const turn = () => new Promise((r) => setImmediate(r));
const mid = (id: number) => `<${ISSUE}.${id}@example.org>`;

describe('createLedgerWriter', () => {
  it('queues a batch, records outcomes behind in one write per turn, and flush waits for them', async () => {
    // The real store, with its batch writes counted.
    let batchWrites = 0;
    const counted: Store = Object.create(store, { finishDeliveries: { value: (...a: Parameters<Store['finishDeliveries']>) => (batchWrites++, store.finishDeliveries(...a)) } });
    const errors: unknown[] = [];
    const ledger = createLedgerWriter(counted, ISSUE, (e) => errors.push(e));

    await ledger.queue(ids.map((id) => ({ subscriberId: id, messageId: mid(id) })));
    expect(await store.countDeliveries(ISSUE)).toMatchObject({ queued: 3 });
    expect(ledger.flush()).toBeUndefined();

    ledger.record(ids[0]!, 'sent', '250 ok a');
    ledger.record(ids[1]!, 'sent', '250 ok b');
    // Nothing is written within the turn that recorded them…
    expect((await store.getDelivery(ISSUE, ids[0]!))!.status).toBe('queued');
    // …but the next message's data waits for them (`beforeData`).
    const pending = ledger.flush();
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(await store.getDelivery(ISSUE, ids[0]!)).toMatchObject({ status: 'sent', attempts: 1, response: '250 ok a' });
    expect(await store.getDelivery(ISSUE, ids[1]!)).toMatchObject({ status: 'sent', response: '250 ok b' });
    expect(batchWrites).toBe(1);
    expect(ledger.flush()).toBeUndefined();

    // Left alone, outcomes are written at the end of the turn, together.
    ledger.record(ids[2]!, 'sent', '250 ok c');
    await turn();
    await ledger.flush();
    expect(await store.getDelivery(ISSUE, ids[2]!)).toMatchObject({ status: 'sent' });
    expect(batchWrites).toBe(2);
    expect(errors).toEqual([]);
  });

  it('writes the outcomes gathered while a write commits in one next write (group commit), and flush waits for it', async () => {
    // A store whose first write waits for its commit (the disk, a busy PostgreSQL) until released.
    const writes: number[][] = [];
    let release!: () => void;
    const slow: Store = Object.create(store, {
      finishDeliveries: {
        value: async (...a: Parameters<Store['finishDeliveries']>) => {
          writes.push(a[1].map((r) => r.subscriberId));
          if (writes.length === 1) await new Promise<void>((r) => (release = r));
          return store.finishDeliveries(...a);
        },
      },
    });
    const ledger = createLedgerWriter(slow, ISSUE, () => undefined);
    const [a, b, c] = ids as [number, number, number];
    await ledger.queue(ids.map((id) => ({ subscriberId: id, messageId: mid(id) })));

    ledger.record(a, 'sent', '250 ok a');
    const first = ledger.flush();
    await turn();
    // Two more connections' outcomes, in turns of their own, while the first write commits.
    ledger.record(b, 'sent', '250 ok b');
    const second = ledger.flush();
    await turn();
    ledger.record(c, 'sent', '250 ok c');
    const third = ledger.flush();
    await turn();
    expect(writes).toEqual([[a]]);
    // Neither waiting connection goes on before its outcome is written.
    let settled = false;
    void Promise.all([second, third]).then(() => (settled = true));
    await turn();
    expect(settled).toBe(false);

    release();
    await Promise.all([first, second, third]);
    expect(writes).toEqual([[a], [b, c]]);
    for (const id of [a, b, c]) expect((await store.getDelivery(ISSUE, id))!.status).toBe('sent');
  });

  it('queues a retry, finishes deferred, bounces, and puts never-tried rows back as they were', async () => {
    const ledger = createLedgerWriter(store, ISSUE, () => undefined);
    const [a, b, c] = ids as [number, number, number];
    // c was deferred by an earlier run.
    await store.beginDelivery(ISSUE, c, mid(c));
    await store.finishDelivery(ISSUE, c, 'deferred', '451 later');

    await ledger.queue([a, b, c].map((id) => ({ subscriberId: id, messageId: mid(id) })));
    await ledger.begin(a, mid(a));
    await ledger.finish(a, 'deferred', '421 busy');
    expect(await store.getDelivery(ISSUE, a)).toMatchObject({ status: 'deferred', attempts: 2, response: '421 busy' });

    await ledger.bounce(b, '550 no such user');
    expect(await store.getDelivery(ISSUE, b)).toMatchObject({ status: 'failed', response: '550 no such user' });
    expect((await store.getSubscriberById(b))!.status).toBe('bounced');

    expect(await store.getDelivery(ISSUE, c)).toMatchObject({ status: 'queued', attempts: 2 });
    await ledger.restore([{ subscriberId: c, previous: null }]);
    expect(await store.getDelivery(ISSUE, c)).toBeNull();
  });

  it('puts a row back to its earlier status and attempts', async () => {
    const ledger = createLedgerWriter(store, ISSUE, () => undefined);
    const c = ids[2]!;
    await store.beginDelivery(ISSUE, c, mid(c));
    await store.finishDelivery(ISSUE, c, 'deferred', '451 later');
    const previous = await store.getDelivery(ISSUE, c);
    await ledger.queue([{ subscriberId: c, messageId: mid(c) }]);
    await ledger.restore([{ subscriberId: c, previous }]);
    expect(await store.getDelivery(ISSUE, c)).toEqual(previous);
  });

  it('hands a failed write-behind to onError; flush still settles', async () => {
    const errors: unknown[] = [];
    const ledger = createLedgerWriter(store, ISSUE, (e) => errors.push(e));
    await store.close();
    ledger.record(ids[0]!, 'sent', '250 ok');
    await ledger.flush();
    expect(errors).toHaveLength(1);
    expect(ledger.flush()).toBeUndefined();
  });
});
