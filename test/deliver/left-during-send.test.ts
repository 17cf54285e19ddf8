/**
 * Readers who leave while a send is running are not mailed (create-job-source.ts, step 4): the
 * job source reads a batch of readers once, queues them, and checks the next few again, in one
 * query, just before they go out. Checked on both stores with a real ledger writer: after the
 * first reader is handed out, one later reader unsubscribes, one is suppressed (by @domain), one
 * is forgotten; none of them is handed out, their ledger rows are put back as they were (none
 * says sent or queued), and they count as leftMeanwhile. And the check is one query per group
 * of readers, not one per message.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { createJobSource, RECHECK_GROUP, type Job } from '../../src/deliver/create-job-source.js';
import { createLedgerWriter } from '../../src/deliver/create-ledger-writer.js';
import type { DeliveryProgress } from '../../src/deliver/delivery-progress.js';
import type { ComposedMessage } from '../../src/deliver/create-issue-composer.js';
import { STORE_BACKENDS } from '../store/store-backends.js';

const ISSUE = '2026-03-02';
const N = 300;
const SECRET = 'left-during-send-secret-0123456789';

describe.each(STORE_BACKENDS)('$name: readers who leave during a send', (backend) => {
  let store: Store;
  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    const open = await backend.fresh();
    store = open(undefined, { secretKey: SECRET });
    await store.importSubscribers(
      Array.from({ length: N }, (_, i) => ({ line: i + 2, input: { email: i === 199 ? 'r200@gone.example' : `r${i + 1}@example.org`, name: null } })),
    );
    await store.freezeIssue(ISSUE, '{}');
  });
  afterEach(() => backend.closeAll());

  it('are not handed out, their ledger rows are put back, and they are counted', async () => {
    const progress: DeliveryProgress = { total: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, suppressed: 0, alreadyDone: 0, leftMeanwhile: 0, resent: 0, lastError: null };
    const errors: unknown[] = [];
    let lists = 0;
    const counting: Store = Object.create(store) as Store;
    counting.listSubscribers = (filter) => (lists++, store.listSubscribers(filter));
    const s = createJobSource({
      store: counting,
      ledger: createLedgerWriter(store, ISSUE, (e) => errors.push(e)),
      issueId: ISSUE,
      compose: (_sub, messageId) => ({ raw: [Buffer.from(`Message-ID: ${messageId}\r\n\r\nhi\r\n`)], subject: 'Issue', html: () => '' }) satisfies ComposedMessage,
      messageIdFor: (sub) => `<${ISSUE}.${sub.id}@example.org>`,
      now: () => new Date('2026-03-02T06:00:00Z'),
      progress,
      onError: (e) => errors.push(e),
    });
    const id = async (email: string) => (await store.getSubscriberByEmail(email))!.id;
    const [r50, r100, r200] = [await id('r50@example.org'), await id('r100@example.org'), await id('r200@gone.example')];

    const taken: Job[] = [];
    const next = async () => {
      let job = s.take();
      while (!job && s.pending()) {
        await s.fill();
        job = s.take();
      }
      return job;
    };
    const first = await next();
    taken.push(first!);
    // The first batch is read and queued: r50 and r100 have queued ledger rows now.
    expect((await store.getDelivery(ISSUE, r50))?.status).toBe('queued');
    // Meanwhile three readers leave: an unsubscribe, a suppressed domain, a forget.
    await store.setSubscriberStatus(r50, 'unsubscribed');
    await store.addSuppressions([{ pattern: '@gone.example', reason: 'operator' }]);
    await store.forgetSubscriber(r100);
    for (let job = await next(); job; job = await next()) taken.push(job);
    await s.close();

    expect(errors).toEqual([]);
    const ids = new Set(taken.map((j) => j.sub.id));
    expect(ids.has(r50) || ids.has(r100) || ids.has(r200)).toBe(false);
    expect(taken).toHaveLength(N - 3);
    expect(progress.leftMeanwhile).toBe(3);
    for (const gone of [r50, r100, r200]) expect(await store.getDelivery(ISSUE, gone)).toBeNull();
    // One query per group of readers (and the batch reads), never one per message.
    expect(lists).toBeLessThanOrEqual(Math.ceil(N / RECHECK_GROUP) * 2 + 5);
  });
});
