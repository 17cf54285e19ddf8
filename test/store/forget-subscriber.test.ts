/**
 * Forgetting a reader (issue #20's right to erasure) on both stores: after forgetSubscriber,
 * every table of the database, read past the store, holds no trace of the address (as given
 * and lowercased) or the name; SQLite's files hold none either. Only the keyed hash stays, and
 * it keeps an import and an operator's add from bringing the address back, while its owner
 * can come back by confirming through the subscribe form. The download (readerData) gives a
 * reader everything kept about them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { followKey, type RatedPaper } from '../../src/picks/reader-signals.js';
import type { Store } from '../../src/store/store.js';
import { addressMarker } from '../../src/subscribers/forgotten-address.js';
import { STORE_BACKENDS, type OpenStore } from './store-backends.js';

const SECRET = 'test-secret-key-0123456789abcdef';
const ADDRESS = 'Ada.Lovelace+News@Example.ORG';
const LOWER = 'ada.lovelace+news@example.org';
const NAME = 'Augusta Ada Byron-King';
const paper = (id: string): RatedPaper => ({ paperId: id, title: `Paper ${id}`, abstract: 'An abstract.', authors: ['Tri Dao'], keywords: ['decoding'] });

describe.each(STORE_BACKENDS)('$name forget', (backend) => {
  let open: OpenStore;
  let store: Store;
  let clock: number;
  const now = () => new Date(clock);

  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    clock = Date.parse('2026-03-01T07:00:00Z');
    open = await backend.fresh();
    store = open(now, { secretKey: SECRET });
  });
  afterEach(() => backend.closeAll());

  /** A reader with something in every table that can hold them, and another reader beside them. */
  async function populate() {
    const { subscriber } = await store.upsertSubscriber({ email: ADDRESS, name: NAME, themes: ['llm-agents'] });
    const bob = (await store.upsertSubscriber({ email: 'bob@example.org', name: 'Bob' })).subscriber;
    await store.createConfirmation(subscriber.id, { name: NAME, themes: null }, 86_400_000);
    await store.freezeIssue('2026-02-28', JSON.stringify({ id: '2026-02-28', themes: [] }));
    await store.beginDelivery('2026-02-28', subscriber.id, `<2026-02-28.${subscriber.id}@paperpost>`);
    await store.finishDelivery('2026-02-28', subscriber.id, 'sent', `250 2.0.0 OK queued for <${LOWER}>`);
    await store.beginDelivery('2026-02-28', bob.id, '<2026-02-28.bob@paperpost>');
    await store.recordMailEvent({
      eventKey: 'ev-1',
      source: 'smtp',
      type: 'bounce',
      severity: 'soft',
      issueId: '2026-02-28',
      subscriberId: subscriber.id,
      recipient: ADDRESS,
      status: '4.2.2',
      diagnostic: `mailbox full: ${ADDRESS}`,
      occurredAt: null,
      outcome: 'soft-counted',
    });
    // An unmatched report that names the address in its text only.
    await store.recordMailEvent({
      eventKey: 'ev-2',
      source: 'imap',
      type: 'bounce',
      severity: 'hard',
      issueId: null,
      subscriberId: null,
      recipient: null,
      status: '5.1.1',
      diagnostic: `550 5.1.1 <${LOWER}>: no such user`,
      occurredAt: null,
      outcome: 'unmatched',
    });
    await store.hitRateLimit(`subscribe-address:${LOWER}`, 3_600_000, clock);
    await store.hitRateLimit('subscribe-client:192.0.2.1', 3_600_000, clock);
    const run = await store.startRun('2026-03-01T07:00:00.000Z');
    await store.finishRun(run, 'failed', '2026-02-28', `550 rejected ${ADDRESS}`);
    await store.addSuppressions([{ pattern: LOWER, reason: `complaint on 2026-02-28 from ${LOWER}` }]);
    await store.addSuppressions([{ pattern: '@example.org', reason: `the whole domain, after ${ADDRESS} asked` }]);
    await store.recordRating(subscriber.id, paper('p-mine'), 'more', now());
    await store.recordRating(subscriber.id, paper('p-shared'), 'less', now());
    await store.recordRating(bob.id, paper('p-shared'), 'more', now());
    await store.addFollow(subscriber.id, { kind: 'author', value: NAME, key: followKey('author', NAME) }, now());
    await store.addFollow(subscriber.id, { kind: 'phrase', value: 'speculative decoding', key: 'speculative decoding' }, now());
    await store.addFollow(bob.id, { kind: 'phrase', value: 'agents', key: 'agents' }, now());
    return { subscriber, bob };
  }

  it('gives a reader everything kept about them as one JSON document', async () => {
    const { subscriber } = await populate();
    const data = (await store.readerData(subscriber.id))!;
    expect(data.subscriber).toMatchObject({ email: 'Ada.Lovelace+News@example.org', name: NAME, status: 'active', themes: ['llm-agents'] });
    expect(data.subscriber).not.toHaveProperty('id');
    expect(data.ratings.map((r) => [r.paperId, r.choice])).toEqual(
      expect.arrayContaining([
        ['p-mine', 'more'],
        ['p-shared', 'less'],
      ]),
    );
    expect(data.follows.map((f) => f.value)).toEqual([NAME, 'speculative decoding']);
    expect(data.confirmations).toHaveLength(1);
    expect(data.confirmations[0]).not.toHaveProperty('nonce');
    expect(data.deliveries).toEqual([
      { issueId: '2026-02-28', status: 'sent', attempts: 1, messageId: `<2026-02-28.${subscriber.id}@paperpost>`, response: `250 2.0.0 OK queued for <${LOWER}>`, relay: null, updatedAt: now().toISOString() },
    ]);
    // Their event, and the one that names them only by address (forget erases both).
    expect(data.mailEvents.map((e) => [e.source, e.recipient, e.status])).toEqual([
      ['smtp', ADDRESS, '4.2.2'],
      ['imap', null, '5.1.1'],
    ]);
    expect(data.rateLimits).toEqual([{ key: `subscribe-address:${LOWER}`, windowStart: now().toISOString(), count: 1 }]);
    expect(data.suppression).toMatchObject({ pattern: LOWER });
    // An address covered only by its @domain shows the domain's entry.
    const bob = (await store.getSubscriberByEmail('bob@example.org'))!;
    expect((await store.readerData(bob.id))!.suppression).toMatchObject({ pattern: '@example.org' });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(await store.readerData(subscriber.id + 100)).toBeNull();
  });

  it('leaves no trace of the address or the name in any table, only the keyed hash', async () => {
    const { subscriber, bob } = await populate();
    const before = await backend.dump();
    expect(before).toContain(LOWER);
    expect(before).toContain(NAME);

    expect(await store.forgetSubscriber(subscriber.id)).toBe(true);
    expect(await store.forgetSubscriber(subscriber.id)).toBe(false);

    const after = await backend.dump();
    for (const trace of [ADDRESS, LOWER, 'Ada.Lovelace+News@example.org', NAME, NAME.toLowerCase(), 'ada.lovelace']) expect(after.toLowerCase()).not.toContain(trace.toLowerCase());
    const marks = addressMarker(SECRET)(LOWER);
    expect(after).toContain(marks.forgotten);
    expect(after).toContain(marks.suppressed);

    // Nothing of theirs is left; Bob's data is whole.
    expect(await store.getSubscriberById(subscriber.id)).toBeNull();
    expect(await store.getSubscriberByEmail(ADDRESS)).toBeNull();
    expect(await store.signalsOf(subscriber.id)).toEqual({ ratings: [], follows: [] });
    expect((await store.signalsOf(bob.id)).ratings.map((r) => r.paperId)).toEqual(['p-shared']);
    expect((await store.signalsOf(bob.id)).follows).toHaveLength(1);
    expect(await store.countRows('rated_papers')).toBe(1);
    expect(await store.getDelivery('2026-02-28', bob.id)).not.toBeNull();
    expect(await store.countRows('mail_events')).toBe(0);
    expect(await backend.sql('SELECT key FROM rate_limits')).toEqual([{ key: 'subscribe-client:192.0.2.1' }]);
    expect((await store.findSuppression('someone@example.org'))!.reason).toMatch(/^\(removed: it named an address/);
    // The address is still never mailed (it was suppressed), without the list holding it.
    expect(await store.findSuppression(ADDRESS)).toMatchObject({ pattern: marks.suppressed, reason: 'complaint on 2026-02-28 from (address)' });
  });

  it('keeps a forgotten address out of imports and operator adds; its owner comes back only by confirming', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: ADDRESS, name: NAME });
    await store.forgetSubscriber(subscriber.id);
    // Not suppressed (it was not before): the subscribe form may send a confirmation link.
    expect(await store.findSuppression(ADDRESS)).toBeNull();

    for (const status of ['active', 'unsubscribed'] as const) {
      const r = await store.importSubscribers([{ line: 2, input: { email: LOWER, name: 'Back', status } }]);
      expect(r).toMatchObject({ added: 0, skipped: [{ line: 2, reason: expect.stringContaining('forgotten at their request') }] });
    }
    await expect(store.upsertSubscriber({ email: ADDRESS })).rejects.toMatchObject({ code: 'INPUT', exitCode: 2 });
    expect(await store.countSubscribers()).toBe(0);

    // The form: pending, then the owner's click.
    const { subscriber: again } = await store.upsertSubscriber({ email: ADDRESS, status: 'pending' });
    expect(again.id).toBeGreaterThan(subscriber.id);
    const request = await store.createConfirmation(again.id, { name: null, themes: null }, 86_400_000);
    expect(await store.confirmSubscription(again.id, request.nonce)).toBe('confirmed');
    expect((await store.getSubscriberById(again.id))!.status).toBe('active');
    // Back by their own consent: an import updates them like anyone else.
    const r = await store.importSubscribers([{ line: 2, input: { email: LOWER, name: 'Ada' } }]);
    expect(r).toMatchObject({ updated: 1, skipped: [] });
  });

  it('keeps a forgotten address from every mail but its confirmation (findSuppression with forgotten), until the owner confirms', async () => {
    const { subscriber } = await store.upsertSubscriber({ email: ADDRESS, name: NAME });
    await store.forgetSubscriber(subscriber.id);
    const marks = addressMarker(SECRET)(LOWER);
    expect(await store.findSuppression(ADDRESS, { forgotten: true })).toMatchObject({ pattern: marks.forgotten, reason: 'forgotten at their request' });
    expect(await store.findSuppression('someone.else@example.org', { forgotten: true })).toBeNull();
    const { subscriber: again } = await store.upsertSubscriber({ email: ADDRESS, status: 'pending' });
    expect(await store.findSuppression(ADDRESS, { forgotten: true })).not.toBeNull();
    const request = await store.createConfirmation(again.id, { name: null, themes: null }, 86_400_000);
    expect(await store.confirmSubscription(again.id, request.nonce)).toBe('confirmed');
    expect(await store.findSuppression(ADDRESS, { forgotten: true })).toBeNull();
  });

  it("refuses an operator's add or update of a forgotten address while its new sign-up is pending", async () => {
    const { subscriber } = await store.upsertSubscriber({ email: ADDRESS, name: NAME });
    await store.forgetSubscriber(subscriber.id);
    const { subscriber: again } = await store.upsertSubscriber({ email: ADDRESS, status: 'pending' });
    for (const input of [{ email: LOWER, name: 'Zed', themes: ['llm-agents'] }, { email: ADDRESS, status: 'pending' as const }, { email: ADDRESS, status: 'active' as const }]) {
      await expect(store.upsertSubscriber(input)).rejects.toMatchObject({ code: 'INPUT', exitCode: 2, message: expect.stringContaining('has not confirmed its new sign-up yet') });
    }
    expect(await store.getSubscriberById(again.id)).toMatchObject({ name: null, themes: null, status: 'pending' });
    // Once the owner confirms, the operator may edit them like anyone else.
    const request = await store.createConfirmation(again.id, { name: 'Ada', themes: null }, 86_400_000);
    expect(await store.confirmSubscription(again.id, request.nonce)).toBe('confirmed');
    expect((await store.upsertSubscriber({ email: LOWER, themes: ['llm-agents'] })).subscriber).toMatchObject({ name: 'Ada', themes: ['llm-agents'], status: 'active' });
  });

  it("never gives a forgotten reader's id to someone else, even when it was the highest", async () => {
    const a = (await store.upsertSubscriber({ email: 'a@example.org' })).subscriber;
    const b = (await store.upsertSubscriber({ email: 'b@example.org' })).subscriber;
    await store.forgetSubscriber(b.id);
    const c = (await store.upsertSubscriber({ email: 'c@example.org' })).subscriber;
    await store.importSubscribers([{ line: 2, input: { email: 'd@example.org' } }]);
    const d = (await store.getSubscriberByEmail('d@example.org'))!;
    expect([a.id < b.id, c.id > b.id, d.id > c.id]).toEqual([true, true, true]);
  });

  it('refuses to forget without SECRET_KEY, and changes nothing', async () => {
    const plain = open(now);
    const { subscriber } = await plain.upsertSubscriber({ email: ADDRESS });
    await expect(plain.forgetSubscriber(subscriber.id)).rejects.toMatchObject({ message: expect.stringContaining('SECRET_KEY') });
    expect(await plain.getSubscriberById(subscriber.id)).not.toBeNull();
  });

  it("deletes a reader's signals with the reader's row (ON DELETE CASCADE)", async () => {
    const { subscriber } = await store.upsertSubscriber({ email: 'cascade@example.org' });
    await store.recordRating(subscriber.id, paper('p1'), 'more', now());
    await store.addFollow(subscriber.id, { kind: 'mute', value: 'diffusion', key: 'diffusion' }, now());
    expect(await store.countRows('ratings')).toBe(1);
    // Past the store, as an operator's DELETE would: the signals go with the row.
    await backend.sql(`DELETE FROM subscribers WHERE id = ${subscriber.id}`);
    expect(await store.countRows('ratings')).toBe(0);
    expect(await store.countRows('follows')).toBe(0);
  });
});
