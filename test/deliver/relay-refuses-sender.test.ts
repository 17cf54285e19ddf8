/**
 * With several relays, one that refuses the sender (530 authentication required at MAIL FROM)
 * or the message (554 5.7.1 content policy at the end of DATA) speaks for itself, not for the
 * run: another relay may accept. It used to stop the whole run at its first refusal. Now it is
 * left out for the rest of the run (pick-relay.ts, 4.), the message goes through the other
 * relay at once, nobody is bounced or left deferred, the run's end names the relay left out,
 * and the run stops only when every relay has refused so. A relay refusing every reader by
 * policy at RCPT TO (554 5.7.1 relay access denied) used to stop the run after three readers:
 * now another relay takes them, and after three the relay is left out the same way. With one
 * relay it stops as before (sender-refusal-not-reader.test.ts). Two real smtp-server relays, both ways a message goes
 * (pipelined, and nodemailer's own send), real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { SmtpError } from '../../src/errors.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import { createRelayPicker } from '../../src/deliver/pick-relay.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { smtpError, startSmtpServer, type SmtpHooks, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-10';
const EMAILS = [...Array.from({ length: 6 }, (_, i) => `r${i}@example.net`), ...Array.from({ length: 6 }, (_, i) => `g${i}@gmail.com`)];
let store: Store;
const servers: TestSmtpServer[] = [];

beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(EMAILS.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  await store.close();
});

/** A relay on a real SMTP server with `hooks`, of `weight` (the refusing one is picked first, all but surely). */
async function relay(hooks: SmtpHooks, weight: number) {
  const server = await startSmtpServer(hooks);
  servers.push(server);
  return { server, relay: { name: `smtp://127.0.0.1:${server.port}`, weight, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port: server.port, ignoreTLS: true }) } };
}

/** Every reader still active, and no delivery recorded failed. */
async function expectNobodyBounced() {
  for (const email of EMAILS) {
    const sub = (await store.getSubscriberByEmail(email))!;
    expect(sub.status, email).toBe('active');
    expect((await store.getDelivery(ISSUE, sub.id))?.status ?? 'none', email).not.toBe('failed');
  }
}

const REFUSALS: [string, SmtpHooks, RegExp][] = [
  ['530 authentication required at MAIL FROM', { auth: { user: 'u', pass: 'p' } }, /530 /],
  ['554 5.7.1 content policy at the end of DATA', { onMessage: () => smtpError(554, '5.7.1 Message refused by content policy') }, /554 5\.7\.1 Message refused by content policy/],
];

for (const pipelined of [true, false]) {
  describe(`several relays, one refusing the sender or the message (${pipelined ? 'pipelined' : "nodemailer's send"})`, () => {
    for (const [what, hooks, says] of REFUSALS) {
      it(`${what} from one relay: it is left out, the other takes every message in this run, nobody bounced`, async () => {
        const bad = await relay({ ...hooks, hidePipelining: !pipelined }, 1_000_000);
        const good = await relay({ hidePipelining: !pipelined }, 1);
        const transport = createSmtpPoolTransport({ name: 'two relays', size: 3, relays: [bad.relay, good.relay] });
        const summary = await deliverOneLineIssue({ store, transport, issueId: ISSUE, maxAttempts: 3, retryBaseMs: 5 });
        expect(summary).toMatchObject({ sent: EMAILS.length, deferred: 0, failed: 0, complete: true });
        expect(bad.server.received).toHaveLength(0);
        const to = good.server.received.flatMap((m) => m.envelopeTo);
        expect(to.sort()).toEqual([...EMAILS].sort());
        for (const email of EMAILS) expect((await store.getDelivery(ISSUE, (await store.getSubscriberByEmail(email))!.id))?.relay).toBe(good.relay.name);
        await expectNobodyBounced();
        // The run's end names the relay left out, and why.
        const note = summary.relayNotes?.find((n) => n.includes(bad.relay.name));
        expect(note).toMatch(/was left out for the rest of the run: it refused the sender or the message/);
        expect(note).toMatch(says);
      });
    }

    it('a relay refusing every reader by policy at RCPT TO (554 5.7.1 relay access denied): the other takes them, the run goes on', async () => {
      const policy = smtpError(554, '5.7.1 Relay access denied');
      const bad = await relay({ onRcptTo: () => policy, hidePipelining: !pipelined }, 1_000_000);
      // The other relay refuses one reader by policy too: that one is theirs, kept for a later run.
      const good = await relay({ onRcptTo: (a) => (a.address === 'r0@example.net' ? policy : undefined), hidePipelining: !pipelined }, 1);
      const transport = createSmtpPoolTransport({ name: 'two relays', size: 3, relays: [bad.relay, good.relay] });
      const summary = await deliverOneLineIssue({ store, transport, issueId: ISSUE, maxAttempts: 3, retryBaseMs: 5 });
      expect(summary).toMatchObject({ sent: EMAILS.length - 1, deferred: 1, failed: 0 });
      expect(good.server.received.flatMap((m) => m.envelopeTo).sort()).toEqual(EMAILS.filter((e) => e !== 'r0@example.net').sort());
      await expectNobodyBounced();
      // Whether the relay also got left out (3 readers in a row that the other took) depends on how many connections picked it: the picker's test below.
      expect(bad.server.received).toHaveLength(0);
    });

    it('every relay refusing so stops the run, says so, and bounces nobody', async () => {
      const a = await relay({ ...REFUSALS[0]![1], hidePipelining: !pipelined }, 5);
      const b = await relay({ ...REFUSALS[1]![1], hidePipelining: !pipelined }, 1);
      const transport = createSmtpPoolTransport({ name: 'two relays', size: 3, relays: [a.relay, b.relay] });
      const run = deliverOneLineIssue({ store, transport, issueId: ISSUE, maxAttempts: 3, retryBaseMs: 5 });
      await expect(run).rejects.toBeInstanceOf(SmtpError);
      await expect(run).rejects.toThrow(/each of the 2 relays refused the sender or the message; the last refused the (sender|message)/);
      expect(a.server.received).toHaveLength(0);
      expect(b.server.received).toHaveLength(0);
      await expectNobodyBounced();
      expect((await store.countDeliveries(ISSUE)).sent).toBe(0);
    });
  });
}

describe('the relay picker and a relay that refused the sender', () => {
  it('never picks it again in the run, stops only when every relay has, and lets the next run try it again', () => {
    const list = ['a', 'b'].map((name) => ({ name, weight: 1, createConnection: () => null as never }));
    const picker = createRelayPicker(list, 30_000, () => 0);
    const a = picker.pick();
    expect(a.name).toBe('a');
    expect(picker.refusedSender(a, '530 5.7.0 Authentication required')).toBe(true);
    for (let i = 0; i < 10; i++) expect(picker.pick().name).toBe('b');
    // A connection failure or a refusal for now does not shorten the drain.
    picker.failed(a);
    picker.failed(a);
    picker.failed(a);
    expect(picker.pick().name).toBe('b');
    expect(picker.refusedSender(picker.pick(), '554 5.7.1 content policy')).toBe(false);
    expect(picker.takeNotes()).toEqual([
      'relay a was left out after 3 failed connections',
      'relay a was left out for the rest of the run: it refused the sender or the message, not the reader: 530 5.7.0 Authentication required',
      'relay b was left out for the rest of the run: it refused the sender or the message, not the reader: 554 5.7.1 content policy',
    ]);
    picker.newRun();
    expect(picker.pick().name).toBe('a');
    // Readers refused by policy at RCPT TO whom the other relay took: three in a row leave it out the same way.
    expect(picker.policyRefused(a, '554 5.7.1 Relay access denied')).toBe(false);
    picker.accepted(a);
    expect(picker.policyRefused(a, '554 5.7.1 Relay access denied')).toBe(false);
    expect(picker.policyRefused(a, '554 5.7.1 Relay access denied')).toBe(false);
    expect(picker.policyRefused(a, '554 5.7.1 Relay access denied')).toBe(true);
    for (let i = 0; i < 10; i++) expect(picker.pick().name).toBe('b');
    expect(picker.takeNotes()).toEqual(['relay a was left out for the rest of the run: it refused the sender or the message, not the reader: 554 5.7.1 Relay access denied (3 readers in a row whom another relay took)']);
    // One relay: nothing is drained, the refusal is the run's.
    const one = createRelayPicker([list[0]!], 30_000, () => 0);
    expect(one.refusedSender(one.pick(), '530')).toBe(false);
    expect(one.pick().name).toBe('a');
  });
});
