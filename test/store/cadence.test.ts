/**
 * Cadence in both stores (issue #21): SQLite and PostgreSQL keep, update, filter and copy a
 * subscriber's cadence alike (store-backends.ts runs the same calls on each), and `db copy`
 * carries it from one to the other and back.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
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

  it('keeps weekly issues (YYYY-Www) out of the recent days the history reads', async () => {
    const paperOf = (issueId: string, paperId: string) => ({ issueId, paperId, title: paperId, url: null, upvotes: null, themeLabel: 'T', themeId: 't' });
    for (const id of ['2025-12-31', '2025-W52', '2026-01-02']) await store.freezeIssue(id, '{}');
    await store.recordIssuePapers([paperOf('2025-12-31', 'a')]);
    await store.recordIssuePapers([paperOf('2026-01-02', 'b')]);
    // By id, 2025-W52 sorts after every day of 2025: it must not take one of the two places.
    expect((await store.recentIssuePapers('2026-01-05', 2)).map((p) => p.paperId)).toEqual(['b', 'a']);
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

  it('carries the cadence through db copy, from SQLite and back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-cadence-copy-'));
    const from = createSqliteStore(new Database(path.join(dir, 'from.db')), now);
    const back = createSqliteStore(new Database(path.join(dir, 'back.db')), now);
    try {
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
      await copy(from, store);
      await copy(store, back);
      for (const s of [store, back]) {
        expect((await all(s.listSubscribers())).map((x) => [x.email, x.cadence ?? 'daily'])).toEqual([
          ['d@example.org', 'daily'],
          ['w@example.org', 'weekly:thu'],
          ['p@example.org', 'daily'],
        ]);
        expect((await s.readRows('confirmations', 0, 10))[0]).toMatchObject({ cadence: 'weekly:sat' });
      }
    } finally {
      await from.close();
      await back.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
