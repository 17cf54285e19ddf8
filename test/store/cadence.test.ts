/**
 * Cadence in both stores (issue #21): SQLite and PostgreSQL keep, update, filter and copy a
 * subscriber's cadence alike (store-backends.ts runs the same calls on each).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { COPY_TABLES } from '../../src/store/roles/table-copy.js';
import { STORE_BACKENDS, type OpenStore } from './store-backends.js';

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe.each(STORE_BACKENDS)('$name store: cadence', (backend) => {
  let open: OpenStore;
  let store: Store;
  const now = () => new Date('2026-03-02T07:00:00Z');

  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    open = await backend.fresh();
    store = open(now);
  });
  afterEach(() => backend.closeAll());

  it('keeps daily by default and weekly:<day> as given, through add, preferences and import', async () => {
    const a = await store.upsertSubscriber({ email: 'a@example.org' });
    expect(a.subscriber.cadence ?? 'daily').toBe('daily');
    const b = await store.upsertSubscriber({ email: 'b@example.org', cadence: 'weekly:fri' });
    expect(b.subscriber.cadence).toBe('weekly:fri');
    // An update that does not name a cadence keeps it.
    expect((await store.upsertSubscriber({ email: 'b@example.org', name: 'B' })).subscriber.cadence).toBe('weekly:fri');
    await store.setSubscriberPreferences(a.subscriber.id, { cadence: 'weekly:sun' });
    expect((await store.getSubscriberById(a.subscriber.id))!.cadence).toBe('weekly:sun');
    await store.setSubscriberPreferences(a.subscriber.id, { name: 'A' });
    expect((await store.getSubscriberById(a.subscriber.id))!.cadence).toBe('weekly:sun');

    const r = await store.importSubscribers([
      { line: 2, input: { email: 'b@example.org', name: 'B', cadence: 'daily' } },
      { line: 3, input: { email: 'c@example.org', cadence: 'weekly:mon' } },
      { line: 4, input: { email: 'a@example.org', name: 'A' } },
    ]);
    expect(r).toMatchObject({ added: 1, updated: 1, unchanged: 1 });
    const list = await all(store.listSubscribers());
    expect(list.map((s) => [s.email, s.cadence ?? 'daily'])).toEqual([
      ['a@example.org', 'weekly:sun'],
      ['b@example.org', 'daily'],
      ['c@example.org', 'weekly:mon'],
    ]);
    // Listings and counts filter by cadence (the weekly send's audience).
    expect((await all(store.listSubscribers({ status: 'active', cadence: ['weekly:mon', 'weekly:sun'] }))).map((s) => s.email)).toEqual(['a@example.org', 'c@example.org']);
    expect(await store.countSubscribers({ cadence: ['daily'] })).toBe(1);
    expect(await store.countSubscribers({ cadence: [] })).toBe(0);
  });

  it('refuses a cadence that is not one', async () => {
    await expect(store.upsertSubscriber({ email: 'x@example.org', cadence: 'weekly:someday' as never })).rejects.toThrow();
    expect(await store.countSubscribers()).toBe(0);
  });

  it('takes the cadence of the confirmed request, and keeps the old one when the request has none', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'p@example.org', status: 'pending' });
    const weekly = await store.createConfirmation(subscriber.id, { name: null, themes: null, cadence: 'weekly:wed' }, 60_000);
    expect(weekly.cadence).toBe('weekly:wed');
    expect(await store.confirmSubscription(subscriber.id, weekly.nonce)).toBe('confirmed');
    expect(await store.getSubscriberById(subscriber.id)).toMatchObject({ status: 'active', cadence: 'weekly:wed' });
    await store.setSubscriberStatus(subscriber.id, 'unsubscribed');
    const plain = await store.createConfirmation(subscriber.id, { name: null, themes: null }, 60_000);
    expect(await store.confirmSubscription(subscriber.id, plain.nonce)).toBe('confirmed');
    expect((await store.getSubscriberById(subscriber.id))!.cadence).toBe('weekly:wed');
  });
});

describe('db copy carries the cadence', () => {
  const [sqlite, postgres] = STORE_BACKENDS;
  beforeAll(async () => {
    await sqlite!.setUp();
    await postgres!.setUp();
  });
  afterAll(async () => {
    await sqlite!.closeAll();
    await postgres!.closeAll();
    await sqlite!.tearDown();
    await postgres!.tearDown();
  });

  it('from SQLite to PostgreSQL and back, row for row', async () => {
    const from = (await sqlite!.fresh())();
    const to = (await postgres!.fresh())();
    const back = (await sqlite!.fresh())();
    await from.importSubscribers([
      { line: 2, input: { email: 'd@example.org' } },
      { line: 3, input: { email: 'w@example.org', cadence: 'weekly:thu' } },
    ]);
    const { subscriber } = await from.upsertSubscriber({ email: 'p@example.org', status: 'pending' });
    await from.createConfirmation(subscriber.id, { name: null, themes: null, cadence: 'weekly:sat' }, 60_000);
    const copy = async (a: Store, b: Store) => {
      for (const table of COPY_TABLES) await b.writeRows(table, await a.readRows(table, 0, 1000));
      await b.finishCopy();
    };
    await copy(from, to);
    await copy(to, back);
    for (const s of [to, back]) {
      expect((await all(s.listSubscribers())).map((x) => [x.email, x.cadence ?? 'daily'])).toEqual([
        ['d@example.org', 'daily'],
        ['w@example.org', 'weekly:thu'],
        ['p@example.org', 'daily'],
      ]);
      expect((await s.readRows('confirmations', 0, 10))[0]).toMatchObject({ cadence: 'weekly:sat' });
    }
  });
});
