/**
 * A relay that refuses the sender (530 authentication required at MAIL FROM) or the message
 * (554 5.7.1 content policy at the end of DATA) would refuse every reader alike: none of them
 * may be bounced for it. The run stops as a fatal failure, saying why, and every reader stays
 * active, their deliveries left for the next run. Only a refusal of the address (5.1.x, 5.2.x,
 * 5.4.4, or a bare 5xx at RCPT TO) bounces the reader. A policy refusal at RCPT TO (5.7.x) may
 * be one recipient's own rule: that reader is kept for later, and only three readers in a row
 * stop the run (one odd recipient must not stop every run to come). Both ways a message goes: pipelined
 * (the server offers PIPELINING) and nodemailer's own send (it does not). Real SMTP server,
 * real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { SmtpError } from '../../src/errors.js';
import { whoseRefusal } from '../../src/deliver/whose-refusal.js';
import { smtpError, startSmtpServer, type SmtpHooks, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { paper, scratch, writeDigest } from '../schedule/helpers.js';

const ISSUE = '2026-03-09';
const EMAILS = Array.from({ length: 8 }, (_, i) => `r${i}@example.net`);
let store: Store;
let server: TestSmtpServer | undefined;

beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(EMAILS.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await store.close();
});

async function send(hooks: SmtpHooks) {
  server = await startSmtpServer(hooks);
  return deliverOneLineIssue({ store, transport: sinkPool(server.port, 2), issueId: ISSUE, maxAttempts: 3, retryBaseMs: 5 });
}

/** Every reader still active, and no delivery recorded failed. */
async function expectNobodyBounced() {
  for (const email of EMAILS) {
    const sub = (await store.getSubscriberByEmail(email))!;
    expect(sub.status, email).toBe('active');
    expect((await store.getDelivery(ISSUE, sub.id))?.status ?? 'none', email).not.toBe('failed');
  }
}

for (const pipelined of [true, false]) {
  describe(`a relay refusing the sender or the message (${pipelined ? 'pipelined' : "nodemailer's send"})`, () => {
    it('530 authentication required at MAIL FROM: stops the run, says so, bounces nobody', async () => {
      const run = send({ auth: { user: 'u', pass: 'p' }, hidePipelining: !pipelined });
      await expect(run).rejects.toBeInstanceOf(SmtpError);
      await expect(run).rejects.toThrow(/refused the sender \(MAIL FROM\), not the reader's address: 530 /);
      expect(server!.received).toHaveLength(0);
      await expectNobodyBounced();
    });

    it('554 5.7.1 content policy at the end of DATA: stops the run, says so, bounces nobody', async () => {
      const run = send({ onMessage: () => smtpError(554, '5.7.1 content policy'), hidePipelining: !pipelined });
      await expect(run).rejects.toBeInstanceOf(SmtpError);
      await expect(run).rejects.toThrow(/refused the message \(DATA\), not the reader's address: 554 5\.7\.1 content policy/);
      await expectNobodyBounced();
    });

    it('a policy refusal at RCPT TO for one reader (550 5.7.1) keeps that reader for a later run, bounces nobody, and sends the rest', async () => {
      const summary = await send({ onRcptTo: (a) => (a.address === 'r3@example.net' ? smtpError(550, '5.7.1 Delivery not authorized, message refused') : undefined), hidePipelining: !pipelined });
      expect(summary).toMatchObject({ sent: EMAILS.length - 1, deferred: 1, failed: 0 });
      await expectNobodyBounced();
      const r3 = (await store.getSubscriberByEmail('r3@example.net'))!;
      expect((await store.getDelivery(ISSUE, r3.id))?.status).toBe('deferred');
    });

    it('the same policy refusal at RCPT TO for every reader (554 5.7.1 relay access denied): stops the run after three readers, bounces nobody', async () => {
      const run = send({ onRcptTo: () => smtpError(554, '5.7.1 Relay access denied'), hidePipelining: !pipelined });
      await expect(run).rejects.toBeInstanceOf(SmtpError);
      await expect(run).rejects.toThrow(/refused 3 readers in a row by policy, so it refuses the sender, not their addresses: .*554 5\.7\.1 Relay access denied/);
      expect(server!.received).toHaveLength(0);
      await expectNobodyBounced();
    });

    it('a refusal of the address at RCPT TO (550 5.1.1, or a bare 550) still bounces that reader alone', async () => {
      const summary = await send({
        onRcptTo: (a) => (a.address === 'r1@example.net' ? smtpError(550, '5.1.1 No such user') : a.address === 'r2@example.net' ? smtpError(550, 'No such user') : undefined),
        hidePipelining: !pipelined,
      });
      expect(summary).toMatchObject({ sent: EMAILS.length - 2, failed: 2, complete: true });
      expect((await store.getSubscriberByEmail('r1@example.net'))!.status).toBe('bounced');
      expect((await store.getSubscriberByEmail('r2@example.net'))!.status).toBe('bounced');
      expect((await store.getSubscriberByEmail('r3@example.net'))!.status).toBe('active');
    });
  });
}

describe('whoseRefusal', () => {
  it.each([
    ['530 Error: authentication Required', 'MAIL FROM', 'sender'],
    ['550 5.1.1 No such user', 'MAIL FROM', 'sender'],
    ['530 5.7.0 Authentication required', 'RCPT TO', 'sender'],
    ['554 5.7.1 Relay access denied', 'RCPT TO', 'sender'],
    ['550 5.7.26 Unauthenticated email is not accepted (DMARC)', 'DATA', 'sender'],
    ['554 5.6.0 Message content rejected', 'DATA', 'sender'],
    ['552 5.3.4 Message size exceeds fixed limit', 'DATA', 'sender'],
    ['553 5.1.8 Sender address domain does not exist', 'RCPT TO', 'sender'],
    ['554 Transaction failed', 'DATA', 'sender'],
    ['550 5.1.1 User unknown', 'RCPT TO', 'recipient'],
    ['550 5.1.1 User unknown', 'DATA', 'recipient'],
    ['552 5.2.2 Mailbox full', 'DATA', 'recipient'],
    ['550 5.4.4 Unable to route', 'RCPT TO', 'recipient'],
    ['550 No such user', 'RCPT TO', 'recipient'],
    ['550 5.0.0 Mailbox unavailable', 'RCPT TO', 'recipient'],
    ['550 5.0.0 Rejected', 'DATA', 'sender'],
  ] as const)('%s at %s is the %s’s', (reply, command, owner) => {
    expect(whoseRefusal(reply, command)).toBe(owner);
  });
});

describe('paperpost send to a relay that wants AUTH, with none in SMTP_URL', () => {
  it('exits 1 with one line saying the relay refused the sender; every reader stays active', async () => {
    server = await startSmtpServer({ auth: { user: 'u', pass: 'p' } });
    const s = scratch({ SMTP_URL: server.url, PUBLIC_URL: 'https://news.example.org' });
    writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('distill', 4, 6)]);
    writeFileSync(path.join(s.dir, 'list.csv'), `email\n${EMAILS.join('\n')}\n`);
    expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
    const r = await runCliAsync(['send'], { cwd: s.dir, env: s.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*refused the sender \(MAIL FROM\), not the reader's address: 530 .*no reader was marked bounced/);
    const active = runCli(['subscribers', 'list', '--status', 'active', '--json'], { cwd: s.dir, env: s.env });
    expect((JSON.parse(active.stdout) as { email: string }[]).map((x) => x.email).sort()).toEqual([...EMAILS].sort());
  });
});
