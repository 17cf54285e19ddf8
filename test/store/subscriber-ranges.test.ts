/**
 * What several senders on one issue need from the store, on both databases: subscribers
 * listed and counted by id range (one claimed batch), the highest id (how far the batches
 * reach), and a freeze that tells exactly one of several callers that it stored the issue.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenStore } from './store-backends.js';

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe.each(STORE_BACKENDS)('$name store: batches of a shared send', (backend) => {
  let open: OpenStore;
  let store: Store;

  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    open = await backend.fresh();
    store = open();
  });
  afterEach(() => backend.closeAll());

  it('lists and counts subscribers in an id range, with the other filters', async () => {
    expect(await store.maxSubscriberId()).toBe(0);
    await store.importSubscribers(Array.from({ length: 1200 }, (_, i) => ({ line: i + 2, input: { email: `s${i}@example.org` } })));
    const max = await store.maxSubscriberId();
    expect(max).toBe(1200);
    await store.setSubscriberStatus(600, 'unsubscribed');
    await store.addSuppressions([{ pattern: 's699@example.org', reason: 'complaint' }]);

    // Half-open ranges that tile 1..max cover everyone exactly once, in id order, across pages.
    const seen: number[] = [];
    for (let from = 1; from <= max; from += 500) {
      const batch = await all(store.listSubscribers({ status: 'active', suppressed: false, idRange: { from, to: from + 500 } }));
      expect(batch.every((s) => s.id >= from && s.id < from + 500)).toBe(true);
      seen.push(...batch.map((s) => s.id));
    }
    expect(seen).toHaveLength(1198);
    expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
    expect(seen).not.toContain(600);
    expect(seen).not.toContain(700);

    expect(await store.countSubscribers({ status: 'active', idRange: { from: 501, to: 1001 } })).toBe(499);
    expect(await store.countSubscribers({ status: 'active', suppressed: true, idRange: { from: 501, to: 1001 } })).toBe(1);
    expect(await store.countSubscribers({ idRange: { from: 1001, to: 1501 } })).toBe(200);
    expect(await store.countSubscribers({ idRange: { from: 5000, to: 5500 } })).toBe(0);
    expect(await all(store.listSubscribers({ idRange: { from: 10, to: 10 } }))).toEqual([]);
  });

  it('freezes an issue for exactly one of several callers, and gives the others its content', async () => {
    const other = open();
    const results = await Promise.all([store.freezeIssue('2026-03-02', '{"by":"a"}'), other.freezeIssue('2026-03-02', '{"by":"b"}'), store.freezeIssue('2026-03-02', '{"by":"c"}')]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!;
    for (const r of results) expect(r.frozen).toBe(winner.frozen);
    expect((await other.getIssue('2026-03-02'))!.frozen).toBe(winner.frozen);
    await other.close();
  });
});
