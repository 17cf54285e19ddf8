/**
 * The end-of-run "N not tried yet" after a stop (here the hard-bounce guardrail) counts who is
 * really left to send: readers of the run's audience whom the ledger has no outcome (sent or
 * failed) for in this issue, and who were not tried in this run. It used to be worked out
 * from the run's counters alone, so readers who had the issue from an earlier run counted as
 * not tried whenever the run stopped before reading their batch. Real SMTP sink, real SQLite,
 * on one process's run and on the batches several senders share.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import { createPostgresStore } from '../../src/store/postgres/create-postgres-store.js';
import { createPgBossSendQueue } from '../../src/deliver/create-pg-boss-send-queue.js';
import { deliverInBatches } from '../../src/deliver/deliver-in-batches.js';
import { connectAdmin, createTestDatabase } from '../store/store-backends.js';
import type { Store } from '../../src/store/store.js';
import { describeSummary } from '../../src/cli/describe-summary.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-11';
const TOTAL = 500;
/** Readers (the last ids) who had the issue from an earlier run. */
const EARLIER = 200;
let store: Store;
let server: TestSmtpServer;
/** TOTAL readers, of whom an earlier run sent the issue to the last EARLIER. */
async function fill(store: Store) {
  await store.importSubscribers(Array.from({ length: TOTAL }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
  await store.freezeIssue(ISSUE, '{}');
  // An earlier run sent the issue to the last EARLIER readers: their batches come last.
  const done: { subscriberId: number; messageId: string }[] = [];
  for await (const sub of store.listSubscribers({})) if (Number(/\d+/.exec(sub.email)![0]) >= TOTAL - EARLIER) done.push({ subscriberId: sub.id, messageId: `<${ISSUE}.${sub.id}@example.org>` });
  await store.beginDeliveries(ISSUE, done);
  await store.finishDeliveries(ISSUE, done.map((d) => ({ subscriberId: d.subscriberId, status: 'sent' as const, response: '250 OK' })));
}
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await fill(store);
  // One address in eight is dead: 12.5%, over the 5% line once 100 outcomes are in.
  server = await startSmtpServer({ onRcptTo: (a) => (Number(/\d+/.exec(a.address)![0]) % 8 === 0 ? smtpError(550, '5.1.1 No such user') : undefined) });
});
afterEach(async () => {
  await server.close();
  await store.close();
});

/** Active readers whom the ledger has no sent or failed row for: the true figure, reader by reader. */
async function reallyLeft(store: Store) {
  let n = 0;
  for await (const sub of store.listSubscribers({ status: 'active', suppressed: false })) {
    const row = await store.getDelivery(ISSUE, sub.id);
    if (row?.status !== 'sent' && row?.status !== 'failed') n++;
  }
  return n;
}

describe('"not tried yet" after a guardrail stop', () => {
  it('counts only readers who do not have the issue yet, not those an earlier run sent it to', async () => {
    const summary = await deliverOneLineIssue({ store, transport: sinkPool(server.port, 2), issueId: ISSUE, maxAttempts: 2, retryBaseMs: 5 });
    expect(summary.stoppedBy).toMatch(/over MAX_HARD_BOUNCE_RATE/);
    // It stopped before reading the batches of those who had it already.
    expect(summary.alreadyDone).toBe(0);
    expect(summary.deferred).toBe(0);
    const left = await reallyLeft(store);
    expect(left).toBe(TOTAL - EARLIER - summary.sent - summary.failed);
    expect(describeSummary(ISSUE, summary)).toContain(`; ${left} not tried yet: run it again to send the rest`);
    expect(summary.notTried).toBe(left);
    console.log(`not-tried-count: ${summary.sent} sent, ${summary.failed} failed; ${left} not tried yet (the counters alone said ${summary.total - summary.sent - summary.failed})`);
  });
});

describe('"not tried yet" after a stop of a shared send (several senders on PostgreSQL)', () => {
  let admin: pg.Client;
  let database: { url: string; drop: () => Promise<void> };
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    admin = await connectAdmin();
    database = await createTestDatabase(admin, 'not_tried');
  });
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
    await new Promise((r) => setTimeout(r, 300));
    await database?.drop();
    await admin?.end();
  });

  it('counts, over the whole issue, only readers who do not have it yet', async () => {
    const pgStore = createPostgresStore(new pg.Pool({ connectionString: database.url, max: 3 }));
    const queue = createPgBossSendQueue({ connectionString: database.url, batchSize: 100, leaseSeconds: 5 });
    opened.push(pgStore, queue);
    await fill(pgStore);
    const transport = sinkPool(server.port, 2);
    let summary;
    try {
      summary = await deliverInBatches({
        store: pgStore,
        queue,
        transport,
        issueId: ISSUE,
        from: 'news@example.org',
        compose: (sub, messageId) => ({ raw: [Buffer.from(`Message-ID: ${messageId}\r\nTo: ${sub.email}\r\nSubject: Issue\r\n\r\nhi\r\n`)], subject: 'Issue', html: () => '' }),
        messageIdFor: (sub) => `<${ISSUE}.${sub.id}@example.org>`,
        maxAttempts: 2,
        retryBaseMs: 5,
        limit: 150,
        pollMs: 100,
      });
    } finally {
      await transport.close();
    }
    expect(summary.stoppedEarly).toBe(true);
    const left = await reallyLeft(pgStore);
    expect(left).toBe(TOTAL - EARLIER - summary.sent - summary.failed);
    expect(describeSummary(ISSUE, summary)).toContain(`; ${left} not tried yet: run it again to send the rest`);
    expect(summary.notTried).toBe(left);
  });
});
