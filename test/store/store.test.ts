import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';

let dir: string;
let store: Store;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-store-'));
  clock = Date.parse('2026-01-01T07:00:00Z');
  store = createSqliteStore(new Database(path.join(dir, 'db.sqlite')), () => new Date(clock));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = async (it: AsyncIterable<unknown>) => {
  const out = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('SQLite store', () => {
  it('keeps one subscriber per address whatever its case, with the domain lowercased', async () => {
    const a = await store.upsertSubscriber({ email: 'Ada@Example.ORG', name: 'Ada' });
    const b = await store.upsertSubscriber({ email: 'ada@example.org', themes: ['LLM Agents'] });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.subscriber.id).toBe(a.subscriber.id);
    expect(b.subscriber.email).toBe('Ada@example.org');
    expect(b.subscriber.name).toBe('Ada');
    expect(b.subscriber.themes).toEqual(['LLM Agents']);
    expect(await store.countSubscribers()).toBe(1);
  });

  it('streams subscribers in pages, in id order, filtered by status', async () => {
    await store.importSubscribers(Array.from({ length: 1203 }, (_, i) => ({ line: i + 2, input: { email: `s${i}@example.org` } })));
    const s5 = await store.getSubscriberByEmail('s5@example.org');
    await store.setSubscriberStatus(s5!.id, 'unsubscribed');
    const active = (await all(store.listSubscribers({ status: 'active' }))) as { id: number }[];
    expect(active).toHaveLength(1202);
    expect(active.map((s) => s.id)).toEqual([...active.map((s) => s.id)].sort((x, y) => x - y));
    expect(await store.countSubscribers({ status: 'unsubscribed' })).toBe(1);
  });

  it('never lets an import re-activate someone who unsubscribed or bounced', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'gone@example.org' });
    clock += 1000;
    await store.setSubscriberStatus(subscriber.id, 'unsubscribed');
    const r = await store.importSubscribers([
      { line: 2, input: { email: 'gone@example.org', name: 'Back?' } },
      { line: 3, input: { email: 'new@example.org' } },
    ]);
    expect(r.added).toBe(1);
    expect(r.skipped).toEqual([{ line: 2, email: 'gone@example.org', reason: expect.stringContaining('unsubscribed') }]);
    expect((await store.getSubscriberById(subscriber.id))!.status).toBe('unsubscribed');
    expect((await store.getSubscriberById(subscriber.id))!.unsubscribedAt).toBe('2026-01-01T07:00:01.000Z');
  });

  it('confirms a request once, before it expires, and closes open links when the person leaves', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'c@example.org', status: 'pending' });
    const a = await store.createConfirmation(subscriber.id, { name: 'C', themes: ['llm-agents'] }, 7 * 86_400_000);
    const b = await store.createConfirmation(subscriber.id, { name: null, themes: null }, 7 * 86_400_000);
    expect(await store.confirmSubscription(subscriber.id, 'no-such-nonce-00')).toBe('unknown');
    expect(await store.confirmSubscription(subscriber.id + 1, a.nonce)).toBe('unknown');
    expect(await store.confirmSubscription(subscriber.id, a.nonce)).toBe('confirmed');
    expect(await store.getSubscriberById(subscriber.id)).toMatchObject({ status: 'active', name: 'C', themes: ['llm-agents'] });
    expect(await store.confirmSubscription(subscriber.id, a.nonce)).toBe('already-confirmed');
    // Confirming through one link closes the others.
    expect(await store.confirmSubscription(subscriber.id, b.nonce)).toBe('expired');

    await store.setSubscriberStatus(subscriber.id, 'unsubscribed');
    const c = await store.createConfirmation(subscriber.id, { name: null, themes: null }, 7 * 86_400_000);
    clock += 7 * 86_400_000 + 1;
    expect(await store.confirmSubscription(subscriber.id, c.nonce)).toBe('expired');
    expect((await store.getSubscriberById(subscriber.id))!.status).toBe('unsubscribed');
    const d = await store.createConfirmation(subscriber.id, { name: null, themes: null }, 7 * 86_400_000);
    clock += 1000;
    await store.setSubscriberStatus(subscriber.id, 'bounced');
    expect(await store.confirmSubscription(subscriber.id, d.nonce)).toBe('expired');
    expect((await store.getSubscriberById(subscriber.id))!.status).toBe('bounced');
  });

  it('lists and counts with or without suppressed addresses and domains', async () => {
    for (const email of ['a@example.org', 'b@blocked.example', 'c@example.org']) await store.upsertSubscriber({ email });
    expect(await store.addSuppressions([{ pattern: '@Blocked.example', reason: 'r' }, { pattern: 'C@example.org', reason: 'r' }, { pattern: 'c@example.org', reason: 'again' }])).toEqual({ added: 2, existing: 1 });
    const emails = async (suppressed: boolean) => { const out: string[] = []; for await (const s of store.listSubscribers({ status: 'active', suppressed })) out.push(s.email); return out; };
    expect(await emails(false)).toEqual(['a@example.org']);
    expect(await emails(true)).toEqual(['b@blocked.example', 'c@example.org']);
    expect(await store.countSubscribers({ status: 'active', suppressed: true })).toBe(2);
    expect((await store.findSuppression('x@BLOCKED.example'))?.pattern).toBe('@blocked.example');
    expect(await store.findSuppression('x@example.org')).toBeNull();
    expect(await store.removeSuppression('@blocked.example')).toBe(true);
    expect(await emails(false)).toEqual(['a@example.org', 'b@blocked.example']);
  });

  it('records each delivery attempt and keeps the first Message-ID across attempts', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'a@example.org' });
    await store.freezeIssue('2025-12-11', '{}');
    const first = await store.beginDelivery('2025-12-11', subscriber.id, '<one@x>');
    expect(first).toMatchObject({ status: 'queued', attempts: 1, messageId: '<one@x>' });
    await store.finishDelivery('2025-12-11', subscriber.id, 'deferred', '451 try later');
    const second = await store.beginDelivery('2025-12-11', subscriber.id, '<two@x>');
    expect(second).toMatchObject({ status: 'queued', attempts: 2, messageId: '<one@x>' });
    await store.finishDelivery('2025-12-11', subscriber.id, 'sent', '250 ok');
    expect(await store.countDeliveries('2025-12-11')).toEqual({ queued: 0, sent: 1, deferred: 0, failed: 0 });
  });

  it('queues, finishes and restores deliveries in batches, like the single-row methods', async () => {
    const ids: number[] = [];
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) ids.push((await store.upsertSubscriber({ email })).subscriber.id);
    const [a, b, c] = ids as [number, number, number];
    await store.freezeIssue('2025-12-11', '{}');
    await store.beginDelivery('2025-12-11', b, '<b@x>');
    await store.finishDelivery('2025-12-11', b, 'deferred', '451 later');
    const before = await store.getDeliveries('2025-12-11', ids);
    expect([...before.keys()]).toEqual([b]);

    await store.beginDeliveries('2025-12-11', [{ subscriberId: a, messageId: '<a@x>' }, { subscriberId: b, messageId: '<b2@x>' }, { subscriberId: c, messageId: '<c@x>' }]);
    const queued = await store.getDeliveries('2025-12-11', ids);
    expect(queued.get(a)).toMatchObject({ status: 'queued', attempts: 1, messageId: '<a@x>' });
    expect(queued.get(b)).toMatchObject({ status: 'queued', attempts: 2, messageId: '<b@x>' });

    await store.finishDeliveries('2025-12-11', [{ subscriberId: a, status: 'sent', response: '250 ok' }]);
    // c was never attempted: it goes back to having no row; b back to deferred after one attempt.
    await store.restoreDeliveries('2025-12-11', [{ subscriberId: b, previous: before.get(b)! }, { subscriberId: c, previous: null }]);
    const after = await store.getDeliveries('2025-12-11', ids);
    expect(after.get(a)).toMatchObject({ status: 'sent', response: '250 ok', attempts: 1 });
    expect(after.get(b)).toEqual(before.get(b));
    expect(after.has(c)).toBe(false);
    expect(await store.countDeliveries('2025-12-11')).toEqual({ queued: 0, sent: 1, deferred: 1, failed: 0 });
  });

  it('freezes an issue once: a second freeze keeps the first content', async () => {
    await store.freezeIssue('2025-12-11', '{"v":1}');
    const again = await store.freezeIssue('2025-12-11', '{"v":2}');
    expect(again.frozen).toBe('{"v":1}');
  });

  it('gives a lock to one holder until it is released or expires', async () => {
    expect(await store.acquireLock('send:x', 'A', 60_000)).toBe(true);
    expect(await store.acquireLock('send:x', 'B', 60_000)).toBe(false);
    clock += 30_000;
    expect(await store.renewLock('send:x', 'A', 60_000)).toBe(true);
    clock += 59_000;
    expect(await store.acquireLock('send:x', 'B', 60_000)).toBe(false);
    clock += 2_000; // A stopped renewing: dead holders' locks expire
    expect(await store.acquireLock('send:x', 'B', 60_000)).toBe(true);
    await store.releaseLock('send:x', 'A'); // not A's any more: no effect
    expect(await store.acquireLock('send:x', 'C', 60_000)).toBe(false);
    await store.releaseLock('send:x', 'B');
    expect(await store.acquireLock('send:x', 'C', 60_000)).toBe(true);
  });
});
