/**
 * The Store contract, run on every database paperpost supports (store-backends.ts): SQLite
 * and PostgreSQL must answer the same calls with the same values, ISO strings and ids
 * included.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateRunError, type Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenStore } from './store-backends.js';

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe.each(STORE_BACKENDS)('$name store', (backend) => {
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
    const active = await all(store.listSubscribers({ status: 'active' }));
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

  it('counts rate-limit hits per key in a window its first hit opens', async () => {
    expect(await store.hitRateLimit('k', 60_000, 1_000)).toEqual({ windowStart: 1_000, count: 1 });
    expect(await store.hitRateLimit('k', 60_000, 30_000)).toEqual({ windowStart: 1_000, count: 2 });
    expect(await store.hitRateLimit('other', 60_000, 30_000)).toEqual({ windowStart: 30_000, count: 1 });
    // The window is over: a new one starts with this hit.
    expect(await store.hitRateLimit('k', 60_000, 61_000)).toEqual({ windowStart: 61_000, count: 1 });
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.hitRateLimit('burst', 60_000, 100_000)));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
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

  it('gives the first subscriber of each (topics as stored, named or not), in id order, among those the filter covers', async () => {
    const add = async (email: string, name: string | null, themes: string[] | null, status?: 'unsubscribed') => (await store.upsertSubscriber({ email, name, themes, ...(status ? { status } : {}) })).subscriber.id;
    await add('gone@example.org', 'Gone', ['llm-agents'], 'unsubscribed');
    await add('blocked@blocked.example', null, null);
    const ada = await add('ada@example.org', 'Ada', ['llm-agents', 'robotics']);
    const bob = await add('bob@example.org', null, ['llm-agents', 'robotics']);
    await add('cy@example.org', 'Cy', ['llm-agents', 'robotics']);
    const dee = await add('dee@example.org', 'Dee', ['robotics', 'llm-agents']);
    const eve = await add('eve@example.org', '', null);
    await add('fay@example.org', null, null);
    const gus = await add('gus@example.org', 'Gus', null);
    await store.addSuppressions([{ pattern: '@blocked.example', reason: 'r' }]);
    const first = await store.firstByThemesAndName({ status: 'active', suppressed: false });
    // An empty name is no name; the same topics in another order are another row (the caller keys plans).
    expect(first.map((s) => s.id)).toEqual([ada, bob, dee, eve, gus]);
    expect(first[0]).toEqual(await store.getSubscriberById(ada));
    expect((await store.firstByThemesAndName({ status: 'unsubscribed' })).map((s) => s.email)).toEqual(['gone@example.org']);
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

  it('returns times as the ISO strings it wrote, ids as numbers', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'iso@example.org' });
    expect(subscriber).toEqual({
      id: 1,
      email: 'iso@example.org',
      name: null,
      status: 'active',
      themes: null,
      createdAt: '2026-01-01T07:00:00.000Z',
      confirmedAt: '2026-01-01T07:00:00.000Z',
      unsubscribedAt: null,
    });
    const imported = await store.importSubscribers([{ line: 2, input: { email: 'old@example.org', createdAt: '2020-05-01T00:00:00.000Z', status: 'pending' } }]);
    expect(imported.added).toBe(1);
    expect(await store.getSubscriberByEmail('OLD@example.org')).toMatchObject({ id: 2, createdAt: '2020-05-01T00:00:00.000Z', status: 'pending', confirmedAt: null });
  });

  it('imports all or nothing: a row that fails leaves no row of the import behind', async () => {
    await expect(
      store.importSubscribers([
        { line: 2, input: { email: 'first@example.org' } },
        { line: 3, input: { email: 'broken\n@example.org' } },
      ]),
    ).rejects.toThrow();
    expect(await store.countSubscribers()).toBe(0);
  });

  it('imports new, repeated and existing addresses row by row, as each row decides', async () => {
    const kept = (await store.upsertSubscriber({ email: 'kept@example.org', name: 'Kept' })).subscriber;
    const left = (await store.upsertSubscriber({ email: 'left@example.org' })).subscriber;
    await store.setSubscriberStatus(left.id, 'unsubscribed');
    await store.upsertSubscriber({ email: 'pend@example.org', status: 'pending' });
    clock += 1000;
    const r = await store.importSubscribers([
      { line: 2, input: { email: 'new1@example.org', name: 'One' } },
      { line: 3, input: { email: 'NEW1@example.org', name: 'One again', themes: ['agents'] } },
      { line: 4, input: { email: 'kept@example.org', name: 'Kept' } },
      { line: 5, input: { email: 'left@example.org' } },
      { line: 6, input: { email: 'pend@example.org' } },
      { line: 7, input: { email: 'new2@example.org', status: 'bounced' } },
      { line: 8, input: { email: 'kept@example.org', status: 'unsubscribed', unsubscribedAt: '2025-06-01T00:00:00.000Z' } },
      { line: 9, input: { email: 'new3@example.org', status: 'unsubscribed', unsubscribedAt: '2025-06-02T00:00:00.000Z' } },
    ]);
    expect({ ...r, skipped: r.skipped.map((x) => x.line) }).toEqual({ added: 3, updated: 2, unchanged: 1, skipped: [5, 6] });
    const list = await all(store.listSubscribers());
    expect(list.map((x) => [x.id, x.email, x.name, x.status, x.themes, x.unsubscribedAt])).toEqual([
      [kept.id, 'kept@example.org', 'Kept', 'unsubscribed', null, '2025-06-01T00:00:00.000Z'],
      [left.id, 'left@example.org', null, 'unsubscribed', null, '2026-01-01T07:00:00.000Z'],
      [3, 'pend@example.org', null, 'pending', null, null],
      [4, 'new1@example.org', 'One again', 'active', ['agents'], null],
      [5, 'new2@example.org', null, 'bounced', null, '2026-01-01T07:00:01.000Z'],
      [6, 'new3@example.org', null, 'unsubscribed', null, '2025-06-02T00:00:00.000Z'],
    ]);
  });

  it('skips suppressed rows on import, and lists suppressions in order, page after page', async () => {
    const patterns = Array.from({ length: 1010 }, (_, i) => `s${String(i).padStart(4, '0')}@example.org`);
    await store.addSuppressions([...patterns.map((pattern) => ({ pattern, reason: 'manual' })), { pattern: '@Blocked.example', reason: 'domain' }]);
    const r = await store.importSubscribers([
      { line: 2, input: { email: 's0007@example.org' } },
      { line: 3, input: { email: 'x@blocked.example' } },
      { line: 4, input: { email: 'fine@example.org' } },
      { line: 5, input: { email: 'gone@blocked.example', status: 'unsubscribed' } },
    ]);
    expect(r.added).toBe(2);
    expect(r.skipped.map((x) => [x.line, x.reason])).toEqual([
      [2, 'on the suppression list (s0007@example.org: manual)'],
      [3, 'on the suppression list (@blocked.example: domain)'],
    ]);
    const listed = await all(store.listSuppressions());
    expect(listed.map((x) => x.pattern)).toEqual(['@blocked.example', ...patterns]);
    expect(listed[0]).toEqual({ pattern: '@blocked.example', reason: 'domain', createdAt: '2026-01-01T07:00:00.000Z' });
  });

  it('starts one run per scheduled time; a second start says so with DuplicateRunError', async () => {
    const other = open(now);
    const at = '2026-01-02T07:00:00.000Z';
    const tries = await Promise.allSettled([store.startRun(at), other.startRun(at), store.startRun(at), other.startRun(at)]);
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    for (const t of tries) if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(DuplicateRunError);
    // Manual runs (no scheduled time) are never duplicates.
    const manual = [await store.startRun(null), await other.startRun(null)];
    expect(manual[1]).toBe(manual[0]! + 1);
    const id = (tries.find((t) => t.status === 'fulfilled') as PromiseFulfilledResult<number>).value;
    clock += 5_000;
    await store.finishRun(id, 'sent', '2026-01-02', 'ok');
    expect(await other.findRunFor(at)).toEqual({
      id,
      scheduledFor: at,
      startedAt: '2026-01-01T07:00:00.000Z',
      finishedAt: '2026-01-01T07:00:05.000Z',
      outcome: 'sent',
      issueId: '2026-01-02',
      detail: 'ok',
    });
    expect(await store.findRunFor('2026-01-03T07:00:00.000Z')).toBeNull();
    expect((await store.lastRuns(2)).map((r) => r.id)).toEqual([manual[1], manual[0]]);
  });

  it('gives a lock to exactly one of many holders trying at once from two connections', async () => {
    const other = open(now);
    const holders = Array.from({ length: 12 }, (_, i) => `holder-${i}`);
    const won = await Promise.all(holders.map((h, i) => (i % 2 ? other : store).acquireLock('send:race', h, 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = holders[won.indexOf(true)]!;
    expect(await store.lockHolder('send:race')).toBe(winner);
    expect(await other.lockHolder('send:race')).toBe(winner);
    // The holder renews through either connection; expired, the lock is free for the next one.
    expect(await other.renewLock('send:race', winner, 1_000)).toBe(true);
    clock += 1_001;
    expect(await store.lockHolder('send:race')).toBeNull();
    expect(await other.acquireLock('send:race', 'late', 60_000)).toBe(true);
  });

  it('keeps issues, their papers and what was sent before', async () => {
    for (const id of ['2025-12-10', '2025-12-11', '2025-12-12']) await store.freezeIssue(id, `{"id":"${id}"}`);
    const paper = (issueId: string, paperId: string, extra = {}) => ({ issueId, paperId, title: `T ${paperId}`, url: null, upvotes: 3, themeLabel: 'Agents', ...extra });
    await store.recordIssuePapers([paper('2025-12-10', '2512.0001', { themeId: 'agents', keywords: ['llm', 'agent'], abstract: 'About agents.' }), paper('2025-12-10', '2512.0002')]);
    await store.recordIssuePapers([paper('2025-12-11', '2512.0001', { title: 'Again' }), paper('2025-12-11', '2512.0001', { title: 'Twice' })]);
    await store.recordIssuePapers([paper('2025-12-10', '2512.0002', { title: 'ignored: recorded once' })]);
    const earlier = await store.findEarlierPapers(['2512.0002', '2512.0001', '2512.9999'], '2025-12-12');
    expect([...earlier.keys()]).toEqual(['2512.0002', '2512.0001']);
    expect(earlier.get('2512.0001')).toEqual({ issueId: '2025-12-11', paperId: '2512.0001', title: 'Again', url: null, upvotes: 3, themeLabel: 'Agents', themeId: null, keywords: [], abstract: '' });
    expect(earlier.get('2512.0002')!.title).toBe('T 2512.0002');
    const recent = await store.recentIssuePapers('2025-12-12', 2);
    expect(recent.map((p) => `${p.issueId}/${p.paperId}`)).toEqual(['2025-12-11/2512.0001', '2025-12-10/2512.0001', '2025-12-10/2512.0002']);
    expect(recent[1]).toMatchObject({ themeId: 'agents', keywords: ['llm', 'agent'], abstract: 'About agents.' });

    clock += 60_000;
    await store.markIssueSent('2025-12-11');
    clock += 60_000;
    await store.markIssueSent('2025-12-11'); // the first time stands
    expect((await store.listIssueIds()).map((i) => [i.id, i.sentAt])).toEqual([
      ['2025-12-12', null],
      ['2025-12-11', '2026-01-01T07:01:00.000Z'],
      ['2025-12-10', null],
    ]);
    expect((await store.listUnfinishedIssues()).map((i) => i.id)).toEqual(['2025-12-10', '2025-12-12']);
    expect((await store.listIssues())[0]).toEqual({ id: '2025-12-12', frozen: '{"id":"2025-12-12"}', createdAt: '2026-01-01T07:00:00.000Z', sentAt: null });
    expect(await store.getIssue('2025-01-01')).toBeNull();
  });

  it('records each mail event once, counts soft bounces per issue and finds deliveries by Message-ID', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'b@example.org' });
    await store.freezeIssue('2025-12-11', '{}');
    await store.beginDelivery('2025-12-11', subscriber.id, '<m1@x>');
    expect(await store.findDeliveryByMessageId('<m1@x>')).toMatchObject({ issueId: '2025-12-11', subscriberId: subscriber.id });
    expect(await store.findDeliveryByMessageId('<none@x>')).toBeNull();
    const base = { source: 'smtp', type: 'bounce', issueId: '2025-12-11', subscriberId: subscriber.id, recipient: 'b@example.org', status: '4.2.2', diagnostic: 'full', occurredAt: null, outcome: 'soft-counted' } as const;
    const first = await store.recordMailEvent({ ...base, eventKey: 'k1', severity: 'soft' });
    expect(first.recorded).toBe(true);
    expect(first.event).toMatchObject({ id: 1, eventKey: 'k1', receivedAt: '2026-01-01T07:00:00.000Z', severity: 'soft' });
    const repeat = await store.recordMailEvent({ ...base, eventKey: 'k1', severity: 'hard', outcome: 'bounced' });
    expect(repeat).toEqual({ recorded: false, event: first.event });
    clock += 1000;
    await store.recordMailEvent({ ...base, eventKey: 'k2', severity: 'soft' });
    await store.recordMailEvent({ ...base, eventKey: 'k3', severity: 'soft', issueId: null });
    await store.recordMailEvent({ ...base, eventKey: 'k4', type: 'complaint', severity: null, outcome: 'unmatched' });
    await store.setMailEventOutcome(first.event.id, 'recorded');
    expect(await store.countSoftBounceIssues(subscriber.id, '2026-01-01T00:00:00.000Z')).toBe(2);
    expect(await store.countSoftBounceIssues(subscriber.id, '2026-01-01T07:00:00.500Z')).toBe(2);
    expect(await store.mailEventCounts('2025-12-11')).toEqual({ hard: 0, soft: 1, complaints: 0 });
    const listed = await store.listMailEvents({ subscriberId: subscriber.id, limit: 3 });
    expect(listed.map((e) => e.eventKey)).toEqual(['k4', 'k3', 'k2']);
    expect((await store.listMailEvents({ since: '2026-01-01T07:00:00.001Z', issueId: '2025-12-11' })).map((e) => e.eventKey)).toEqual(['k4', 'k2']);
    expect((await store.listMailEvents()).at(-1)).toMatchObject({ eventKey: 'k1', outcome: 'recorded' });
  });

  it('keeps meta values, and preferences without touching the status', async () => {
    expect(await store.getMeta('topics')).toBeNull();
    await store.setMeta('topics', 'v1');
    await store.setMeta('topics', 'v2');
    expect(await store.getMeta('topics')).toBe('v2');
    const { subscriber } = await store.upsertSubscriber({ email: 'p@example.org', status: 'pending' });
    await store.setSubscriberPreferences(subscriber.id, { themes: ['agents'] });
    await store.setSubscriberPreferences(subscriber.id + 100, { name: 'nobody' });
    expect(await store.getSubscriberById(subscriber.id)).toMatchObject({ status: 'pending', name: null, themes: ['agents'] });
    expect(await store.getConfirmation(subscriber.id, 'none')).toBeNull();
    const c = await store.createConfirmation(subscriber.id, { name: 'P', themes: null }, 1000);
    expect(await store.getConfirmation(subscriber.id, c.nonce)).toEqual({
      nonce: c.nonce,
      subscriberId: subscriber.id,
      name: 'P',
      themes: null,
      requestedAt: '2026-01-01T07:00:00.000Z',
      expiresAt: '2026-01-01T07:00:01.000Z',
      usedAt: null,
    });
  });
});
