/**
 * Readers who leave while the pacer holds their message for a retry are not mailed
 * (dispatch-jobs.ts, step 2). A real SMTP sink throttles one receiving domain: every reader
 * there is refused once with "421 4.7.0 … try again in 2 seconds", and the domain pacer holds
 * them for their retry in the same run. While they wait, one of them unsubscribes, one is
 * suppressed and one is forgotten. The job source's own check (create-job-source.ts, step 4)
 * was made before their first attempt, so only a check before the retry can see it: those
 * three must never reach the sink, their ledger rows are put back as they were (none says
 * queued or sent), they count as leftMeanwhile, everyone else gets exactly one copy, and the
 * held readers are checked in groups, not with one query each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-04';
const FAST = 30;
const SLOW = 12;
/** How long the sink refuses slow.example from its first message there. */
const THROTTLE_MS = 1000;
let store: Store;
let server: TestSmtpServer;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'), undefined, { secretKey: 'left-while-held-secret-0123456789' });
  // The throttled domain's readers first: their first cohort goes out together.
  const emails = [...Array.from({ length: SLOW }, (_, i) => `s${i}@slow.example`), ...Array.from({ length: FAST }, (_, i) => `f${i}@fast.example`)];
  await store.importSubscribers(emails.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await server?.close();
  await store.close();
});

describe('a reader who leaves while the pacer holds their retry', () => {
  it('is not mailed on the retry, has the ledger row put back, and counts as left', async () => {
    const refused = new Map<string, number>();
    const leavers: string[] = [];
    const leaving: Promise<unknown>[] = [];
    let retries = 0;
    let checksOfHeld = 0;
    const slowIds = new Set<number>();
    let throttledUntil = -1;
    // The store the run reads, counting the checks of slow.example's readers made once a reader has left.
    const counting: Store = Object.create(store) as Store;
    counting.listSubscribers = (filter) => {
      if (filter?.ids?.some((id) => slowIds.has(id)) && leavers.length) checksOfHeld++;
      return store.listSubscribers(filter);
    };
    // The first three readers refused leave at once, each a different way, while their retry waits.
    const leave = [
      async (email: string) => store.setSubscriberStatus((await store.getSubscriberByEmail(email))!.id, 'unsubscribed'),
      (email: string) => store.addSuppressions([{ pattern: email, reason: 'operator' }]),
      async (email: string) => store.forgetSubscriber((await store.getSubscriberByEmail(email))!.id),
    ];
    const ids = new Map<string, number>();
    for await (const sub of store.listSubscribers({})) {
      ids.set(sub.email, sub.id);
      if (sub.email.endsWith('@slow.example')) slowIds.add(sub.id);
    }
    server = await startSmtpServer({
      onRcptTo: (a) => {
        if (!a.address.endsWith('@slow.example')) return undefined;
        const t = performance.now();
        if (refused.has(a.address)) retries++;
        if (throttledUntil < 0) throttledUntil = t + THROTTLE_MS;
        if (t >= throttledUntil) return undefined;
        if (!refused.has(a.address) && leavers.length < leave.length) {
          leavers.push(a.address);
          leaving.push(leave[leavers.length - 1]!(a.address));
        }
        refused.set(a.address, t);
        return smtpError(421, '4.7.0 Too many messages from you, try again in 2 seconds');
      },
    });
    const summary = await deliverOneLineIssue({ store: counting, transport: sinkPool(server.port, 3), issueId: ISSUE, maxAttempts: 4, retryBaseMs: 50 });
    await Promise.all(leaving);
    expect(leavers).toHaveLength(3);

    const to = server.received.flatMap((m) => m.envelopeTo);
    for (const address of leavers) expect(to, address).not.toContain(address);
    expect(summary).toMatchObject({ sent: FAST + SLOW - 3, deferred: 0, failed: 0, leftMeanwhile: 3, complete: true });
    // Every other reader got one copy, under one Message-ID each.
    expect(new Set(to).size).toBe(to.length);
    expect(to).toHaveLength(FAST + SLOW - 3);
    const messageIds = server.received.map((m) => m.parsed.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    // Put back as they were: no row for this issue (they had none before the run).
    for (const address of leavers) expect(await store.getDelivery(ISSUE, ids.get(address)!)).toBeNull();
    expect(await store.countDeliveries(ISSUE)).toEqual({ queued: 0, sent: FAST + SLOW - 3, deferred: 0, failed: 0 });
    // Grouped: the held readers were checked a few at a time, not with one query each.
    expect(checksOfHeld).toBeGreaterThanOrEqual(1);
    expect(checksOfHeld).toBeLessThanOrEqual(SLOW / 2);
    console.log(`left-while-held: ${refused.size} refused, ${retries} retries at the sink, ${checksOfHeld} checks of slow.example's readers after the first left, ${summary.seconds.toFixed(1)} s`);
  });
});
