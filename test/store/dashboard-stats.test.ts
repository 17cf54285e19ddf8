/**
 * The summary tables /admin's charts read (issue #22, item 5) agree with counting the source
 * tables, on both stores: after sign-ups, confirmations, unsubscribes, preference changes,
 * deliveries (one at a time and in batches, finished, restored), mail events (matched and not,
 * with repeats) and a deleted subscriber; and with several connections writing the ledger at
 * once (on PostgreSQL each keeps its own row of issue_stats), before and after the issue is
 * marked sent (which folds those rows into one). The ledger is counted past the store, and the
 * store's countDeliveries (from issue_stats on PostgreSQL) must agree with it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { SubscriberStatus } from '../../src/types.js';
import { STORE_BACKENDS, type OpenStore, type StoreBackend } from './store-backends.js';

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced', 'complained'];

/** What the summary tables say, next to what counting the source tables says (the ledger counted past the store, whose countDeliveries reads issue_stats on PostgreSQL). */
async function bothWays(store: Store, issueIds: string[], sql: StoreBackend['sql']) {
  const countLedger = async (issueId: string) => {
    const counts = { queued: 0, sent: 0, deferred: 0, failed: 0 };
    for (const r of await sql(`SELECT status, count(*) AS n FROM deliveries WHERE issue_id = '${issueId}' GROUP BY status`)) counts[r.status as keyof typeof counts] = Number(r.n);
    expect(await store.countDeliveries(issueId)).toEqual(counts);
    return counts;
  };
  const totals = new Map<string, number>();
  for (const d of await store.subscriberStatusDays()) totals.set(d.status, (totals.get(d.status) ?? 0) + d.delta);
  const summary = {
    statuses: Object.fromEntries(STATUSES.map((s) => [s, totals.get(s) ?? 0])),
    issues: Object.fromEntries((await store.issueStats(100)).map((i) => [i.issueId, { queued: i.queued, sent: i.sent, deferred: i.deferred, failed: i.failed, hard: i.hard, soft: i.soft, complaints: i.complaints }])),
    topics: Object.fromEntries((await store.topicFollowers()).map((t) => [t.topic, t.followers])),
  };
  const topics: Record<string, number> = {};
  for await (const s of store.listSubscribers({ status: 'active' })) for (const t of new Set(s.themes ?? ['*'])) topics[t] = (topics[t] ?? 0) + 1;
  const counted = {
    statuses: Object.fromEntries(await Promise.all(STATUSES.map(async (s) => [s, await store.countSubscribers({ status: s })]))),
    issues: Object.fromEntries(await Promise.all(issueIds.map(async (id) => [id, { ...(await countLedger(id)), ...(await store.mailEventCounts(id)) }]))),
    topics,
  };
  return { summary, counted };
}

describe.each(STORE_BACKENDS)('$name dashboard summary tables', (backend) => {
  let open: OpenStore;
  let store: Store;
  let clock: number;
  const now = () => new Date(clock);

  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    clock = Date.parse('2026-01-01T07:00:00Z');
    open = await backend.fresh();
    store = open(now);
  });
  afterEach(() => backend.closeAll());

  it('match counting the source tables after every kind of write', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { subscriber } = await store.upsertSubscriber({ email: `r${i}@example.org`, status: i < 9 ? 'active' : 'pending', themes: i % 3 === 0 ? null : i % 3 === 1 ? ['kv', 'robots'] : ['kv'] });
      ids.push(subscriber.id);
    }
    await store.freezeIssue('2026-01-01', JSON.stringify({ subject: 'One' }));
    await store.beginDeliveries('2026-01-01', ids.slice(0, 9).map((id) => ({ subscriberId: id, messageId: `<a${id}@x>` })));
    await store.finishDeliveries('2026-01-01', ids.slice(0, 6).map((id) => ({ subscriberId: id, status: 'sent' as const, response: '250' })));
    await store.finishDelivery('2026-01-01', ids[6]!, 'deferred', '421');
    await store.finishDelivery('2026-01-01', ids[7]!, 'failed', '550');
    clock += 86_400_000;
    await store.freezeIssue('2026-01-02', JSON.stringify({ subject: 'Two' }));
    await store.beginDelivery('2026-01-02', ids[0]!, '<b0@x>');
    await store.beginDelivery('2026-01-02', ids[1]!, '<b1@x>');
    await store.restoreDeliveries('2026-01-02', [{ subscriberId: ids[1]!, previous: null }]);
    await store.finishDelivery('2026-01-02', ids[0]!, 'sent', '250');
    const event = (key: string, type: string, severity: 'hard' | 'soft' | null, subscriberId: number, outcome: string) =>
      store.recordMailEvent({ eventKey: key, source: 'smtp', type, severity, issueId: '2026-01-01', subscriberId, recipient: null, status: null, diagnostic: null, occurredAt: null, outcome });
    await event('h1', 'bounce', 'hard', ids[7]!, 'bounced');
    await event('s1', 'bounce', 'soft', ids[6]!, 'soft-counted');
    await event('s2', 'bounce', 'soft', ids[6]!, 'soft-counted');
    await event('c1', 'complaint', null, ids[2]!, 'complained');
    const late = await event('c2', 'complaint', null, ids[3]!, 'unmatched');
    await store.setMailEventOutcome(late.event.id, 'complained');
    await store.setSubscriberStatus(ids[2]!, 'complained');
    await store.setSubscriberStatus(ids[7]!, 'bounced');
    await store.setSubscriberStatus(ids[4]!, 'unsubscribed');
    await store.setSubscriberStatus(ids[9]!, 'active');
    await store.setSubscriberPreferences(ids[5]!, { themes: ['robots'] });
    await store.setSubscriberPreferences(ids[10]!, { themes: ['robots'] });
    await store.importSubscribers([{ line: 2, input: { email: 'new@example.org', status: 'active', themes: ['kv'] } }]);

    const { summary, counted } = await bothWays(store, ['2026-01-01', '2026-01-02'], backend.sql);
    expect(summary).toEqual(counted);
    expect(counted.statuses).toEqual({ active: 8, pending: 2, unsubscribed: 1, bounced: 1, complained: 1 });
    expect(counted.issues['2026-01-01']).toMatchObject({ sent: 6, deferred: 1, failed: 1, queued: 1, hard: 1, soft: 1, complaints: 2 });
    // The unsubscribe came while 2026-01-02 was the newest issue.
    expect((await store.issueStats(5)).map((i) => [i.issueId, i.unsubscribes])).toEqual([['2026-01-02', 1], ['2026-01-01', 0]]);
    // Days: everyone joined on the 1st; the status changes are dated the 2nd.
    const days = await store.subscriberStatusDays();
    expect(days.filter((d) => d.day === '2026-01-02').map((d) => [d.status, d.delta])).toContainEqual(['unsubscribed', 1]);
  });

  it('match with several connections writing the ledger at once, and after the issue is marked sent', async () => {
    // Two stores on one database (two senders; on PostgreSQL each its own connections, so its own rows of issue_stats).
    const other = open(now);
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push((await store.upsertSubscriber({ email: `r${i}@example.org`, status: 'active' })).subscriber.id);
    await store.freezeIssue('2026-01-01', JSON.stringify({ subject: 'One' }));
    const halves = [ids.slice(0, 20), ids.slice(20)] as const;
    await Promise.all([store, other].map((s, i) => s.beginDeliveries('2026-01-01', halves[i]!.map((id) => ({ subscriberId: id, messageId: `<a${id}@x>` })))));
    await Promise.all(
      [store, other].flatMap((s, i) =>
        [0, 5, 10, 15].map((from) => s.finishDeliveries('2026-01-01', halves[i]!.slice(from, from + 5).map((id) => ({ subscriberId: id, status: from === 15 ? ('deferred' as const) : ('sent' as const), response: '250' })))),
      ),
    );
    await store.recordMailEvent({ eventKey: 'c1', source: 'smtp', type: 'complaint', severity: null, issueId: '2026-01-01', subscriberId: ids[0]!, recipient: null, status: null, diagnostic: null, occurredAt: null, outcome: 'complained' });
    await other.setSubscriberStatus(ids[1]!, 'unsubscribed');
    let { summary, counted } = await bothWays(store, ['2026-01-01'], backend.sql);
    expect(summary).toEqual(counted);
    expect(counted.issues['2026-01-01']).toMatchObject({ queued: 0, sent: 30, deferred: 10, complaints: 1 });
    expect((await store.issueStats(5)).map((i) => i.unsubscribes)).toEqual([1]);

    // Marked sent: the same counts (on PostgreSQL, folded into the issue's one row).
    await other.markIssueSent('2026-01-01');
    ({ summary, counted } = await bothWays(store, ['2026-01-01'], backend.sql));
    expect(summary).toEqual(counted);
    expect((await store.issueStats(5)).map((i) => i.unsubscribes)).toEqual([1]);
    if (backend.name === 'PostgreSQL') expect(await backend.sql("SELECT shard, sent::int AS sent FROM issue_stats WHERE issue_id = '2026-01-01'")).toEqual([{ shard: 0, sent: 30 }]);

    // Later writes (a resend on the next run) count again.
    await other.beginDelivery('2026-01-01', ids[35]!, '<a35@x>');
    await other.finishDelivery('2026-01-01', ids[35]!, 'sent', '250');
    ({ summary, counted } = await bothWays(store, ['2026-01-01'], backend.sql));
    expect(summary).toEqual(counted);
    expect(counted.issues['2026-01-01']).toMatchObject({ sent: 31, deferred: 9 });
  });
});
