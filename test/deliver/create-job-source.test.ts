/**
 * The job source (create-job-source.ts) on a real SQLite store and ledger writer: it reads
 * LEDGER_BATCH subscribers at a time, leaves out the suppressed, those the ledger has as
 * done and those the issue has nothing for, queues the rest before handing them out, keeps
 * an interrupted row's Message-ID, stops at `limit`, and reads only `idRange` when given.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createJobSource, LEDGER_BATCH, type Job, type JobSourceOptions } from '../../src/deliver/create-job-source.js';
import { createLedgerWriter } from '../../src/deliver/create-ledger-writer.js';
import type { DeliveryProgress } from '../../src/deliver/delivery-progress.js';
import type { ComposedMessage } from '../../src/deliver/create-issue-composer.js';
import { IO_SLICE } from '../../src/yield-to-io.js';

const ISSUE = '2026-03-02';
const N = 300;
let store: Store;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(Array.from({ length: N }, (_, i) => ({ line: i + 2, input: { email: `r${i + 1}@example.org`, name: i === 9 ? 'Nothing for me' : null } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await store.close();
});

const zero = (): DeliveryProgress => ({ total: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, suppressed: 0, alreadyDone: 0, leftMeanwhile: 0, resent: 0, lastError: null });
const mid = (id: number) => `<${ISSUE}.${id}@example.org>`;

function source(over: Partial<JobSourceOptions> = {}) {
  const progress = zero();
  const errors: unknown[] = [];
  const s = createJobSource({
    store,
    ledger: createLedgerWriter(store, ISSUE, (e) => errors.push(e)),
    issueId: ISSUE,
    compose: (sub, messageId) => (sub.name === 'Nothing for me' ? null : ({ raw: [Buffer.from(`Message-ID: ${messageId}\r\n\r\nhi\r\n`)], subject: 'Issue', html: () => '' } satisfies ComposedMessage)),
    messageIdFor: (sub) => mid(sub.id),
    now: () => new Date('2026-03-02T06:00:00Z'),
    progress,
    onError: (e) => errors.push(e),
    ...over,
  });
  return { s, progress, errors };
}

/** Takes every job as a worker does: the next one, or wait for a batch while any is coming. */
async function takeAll(s: ReturnType<typeof createJobSource>, each?: (job: Job) => Promise<void>) {
  const jobs: Job[] = [];
  for (;;) {
    let job = s.take();
    while (!job && s.pending()) {
      await s.fill();
      job = s.take();
    }
    if (!job) return jobs;
    jobs.push(job);
    await each?.(job);
  }
}

describe('createJobSource', () => {
  it('counts, skips the suppressed, the done and the empty, and queues the rest batch by batch', async () => {
    await store.addSuppressions([{ pattern: 'r5@example.org', reason: 'complaint' }]);
    // r1 was sent and r2 failed by an earlier run; r3 was interrupted (queued) under its Message-ID.
    const byEmail = async (e: string) => (await store.getSubscriberByEmail(e))!.id;
    const [r1, r2, r3] = [await byEmail('r1@example.org'), await byEmail('r2@example.org'), await byEmail('r3@example.org')];
    for (const id of [r1, r2, r3]) await store.beginDelivery(ISSUE, id, id === r3 ? '<earlier@example.org>' : mid(id));
    await store.finishDelivery(ISSUE, r1, 'sent', '250 ok');
    await store.finishDelivery(ISSUE, r2, 'failed', '550 no');

    const { s, progress, errors } = source();
    expect(await s.count()).toEqual({ total: N, suppressed: 1 });

    const queuedWhenTaken = new Set<string>();
    const seen = await takeAll(s, async (job) => void queuedWhenTaken.add((await store.getDelivery(ISSUE, job.sub.id))!.status));
    await s.close();

    expect(errors).toEqual([]);
    expect(progress).toMatchObject({ alreadyDone: 2, skipped: 1 });
    expect(seen).toHaveLength(N - 1 - 2 - 1);
    expect(seen.map((j) => j.sub.email)).not.toContain('r5@example.org');
    expect([...queuedWhenTaken]).toEqual(['queued']);
    const interrupted = seen.find((j) => j.sub.id === r3)!;
    expect(interrupted.messageId).toBe('<earlier@example.org>');
    expect(interrupted.previous).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await store.countDeliveries(ISSUE)).toEqual({ queued: N - 4, sent: 1, failed: 1, deferred: 0 });
    expect(s.limited()).toBe(false);
  });

  it('reads LEDGER_BATCH subscribers at a time, and the next batch ahead once fewer than a batch are left', async () => {
    const { s } = source();
    expect(s.take()).toBeUndefined();
    await s.fill();
    // The first batch, less subscriber 10 (nothing for them), is queued; nothing more is read yet.
    const queued = async () => (await store.countDeliveries(ISSUE)).queued;
    expect(await queued()).toBe(LEDGER_BATCH - 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await queued()).toBe(LEDGER_BATCH - 1);
    // Taking one leaves fewer than a batch: the next is read (and composed) while these are sent.
    expect(s.take()).toBeDefined();
    expect(s.pending()).toBe(true);
    await s.fill();
    expect(await queued()).toBe(2 * LEDGER_BATCH - 1);
    expect(s.drain()).toHaveLength(2 * LEDGER_BATCH - 2);
    await s.close();
  });

  it('answers I/O while it composes a batch: the event loop turns every few copies', async () => {
    let turns = 0;
    let composing = true;
    const tick = () => {
      if (!composing) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const { s } = source();
    await s.fill();
    composing = false;
    // One batch of LEDGER_BATCH copies, composed IO_SLICE at a time: the loop turned in between
    // (computed in one go, it would turn a couple of times at most, around the store's reads).
    expect(IO_SLICE).toBeLessThanOrEqual(8);
    expect(turns).toBeGreaterThanOrEqual(LEDGER_BATCH / 8);
    await s.close();
  });

  it('takes no more than the limit, and hands back the jobs not taken', async () => {
    const { s } = source({ limit: 200 });
    expect(await takeAll(s)).toHaveLength(200);
    expect(s.limited()).toBe(true);
    expect((await store.countDeliveries(ISSUE)).queued).toBe(200);
    await s.close();
  });

  it('hands back the jobs queued and not taken', async () => {
    const { s } = source({ limit: 10 });
    await s.fill();
    expect(s.take()).toBeDefined();
    expect(s.drain()).toHaveLength(9);
    expect(s.take()).toBeUndefined();
    await s.close();
  });

  it('reads only the ids of its range (one claimed batch of a shared send)', async () => {
    const { s, progress } = source({ idRange: { from: 101, to: 151 } });
    expect(await s.count()).toEqual({ total: 50, suppressed: 0 });
    const jobs = await takeAll(s);
    await s.close();
    expect(jobs.map((j) => j.sub.id)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(progress.skipped).toBe(0);
  });
});
