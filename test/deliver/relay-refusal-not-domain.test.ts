/**
 * A relay that refuses a connection at its greeting ("421 4.7.0 Too many connections, try
 * again in 60 seconds") speaks for itself, not for the receiving domain of whichever message
 * happened to open that connection. The message goes again on another connection, as the
 * relay rules say (a relay that fails 3 connections in a row is left alone for a while), and
 * no domain's queue is paused or closed for it. So does a relay that refuses every recipient
 * for now, of every domain, while another relay is healthy: it is drained, and the messages go
 * through the other in the same run. Real SMTP servers, real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import type { Transport } from '../../src/deliver/transport.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-06';
const EMAILS = [...Array.from({ length: 5 }, (_, i) => `g${i}@gmail.com`), ...Array.from({ length: 5 }, (_, i) => `n${i}@example.net`)];
let store: Store;
/**
 * The run every test here makes: 3 attempts, short backoff, and at most 1 s of waiting in the
 * run, so a "try again in 60 seconds" taken as a domain's own would leave it for the next run.
 */
const runOn = (transport: Transport) => deliverOneLineIssue({ store, transport, issueId: ISSUE, maxAttempts: 3, retryBaseMs: 20, retryMaxMs: 1000 });
let server: SMTPServer | undefined;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(EMAILS.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await store.close();
});

describe('a relay that refuses a connection with a 421 at its greeting', () => {
  it('pauses no receiving domain: every message goes, none waits for the next run', async () => {
    let connections = 0;
    const received: string[] = [];
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onConnect(_session, cb) {
        if (++connections === 1) return cb(Object.assign(new Error('4.7.0 Too many connections, try again in 60 seconds'), { responseCode: 421 }));
        cb();
      },
      onData(stream, session, cb) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received.push(session.envelope.rcptTo[0]!.address);
          cb(null, 'OK');
        });
      },
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const transport = sinkPool(port, 1);
    // 60 s asked, 1 s allowed: had it been taken as a domain's, that domain would wait for the next run.
    const summary = await runOn(transport);
    expect(connections).toBeGreaterThanOrEqual(2);
    expect(summary).toMatchObject({ sent: EMAILS.length, deferred: 0, failed: 0, complete: true });
    expect(received.sort()).toEqual([...EMAILS].sort());
  });
});

describe('a relay that refuses every recipient for now ("relay rate limit exceeded"), beside a healthy one', () => {
  const received = { a: [] as string[], b: [] as string[] };
  const servers: SMTPServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
    received.a = [];
    received.b = [];
  });
  async function relay(name: 'a' | 'b', refuse: boolean | ((address: string) => boolean)) {
    const s = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, cb) {
        if (refuse === true || (typeof refuse === 'function' && refuse(address.address))) return cb(Object.assign(new Error('4.7.1 Relay rate limit exceeded, try again in 60 seconds'), { responseCode: 451 }));
        cb();
      },
      onData(stream, session, cb) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received[name].push(session.envelope.rcptTo[0]!.address);
          cb(null, 'OK');
        });
      },
    });
    servers.push(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.server.address() as AddressInfo).port;
    return { name: `smtp://127.0.0.1:${port}`, weight: name === 'a' ? 5 : 1, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }) };
  }

  it('drains that relay and sends everything through the other in this run, once each; no domain waits for the next run', async () => {
    const transport = createSmtpPoolTransport({ name: 'two relays', size: 2, relays: [await relay('a', true), await relay('b', false)] });
    // 60 s asked, 1 s allowed: had the refusals been taken as the domains' own, both would wait for the next run.
    const summary = await runOn(transport);
    expect(summary).toMatchObject({ sent: EMAILS.length, deferred: 0, failed: 0, complete: true });
    expect(received.a).toEqual([]);
    expect(received.b.sort()).toEqual([...EMAILS].sort());
  });

  it('a refusal both relays repeat is the domain’s: that domain waits, the other is sent at once', async () => {
    const gmail = (address: string) => address.endsWith('@gmail.com');
    const transport = createSmtpPoolTransport({ name: 'two relays', size: 2, relays: [await relay('a', gmail), await relay('b', gmail)] });
    const summary = await runOn(transport);
    const sent = [...received.a, ...received.b].sort();
    expect(sent).toEqual(EMAILS.filter((e) => !gmail(e)).sort());
    expect(summary).toMatchObject({ sent: 5, failed: 0, complete: false });
  });

  it('with one relay, is each domain’s throttle as before: there is nowhere else, the messages wait', async () => {
    const transport = createSmtpPoolTransport({ name: 'one relay', size: 2, relays: [await relay('a', true)] });
    const summary = await runOn(transport);
    // Both domains are told to wait 60 s, longer than the run allows: the rest wait for the next run.
    expect(summary).toMatchObject({ sent: 0, failed: 0, complete: false, stoppedEarly: true });
    expect(summary.deferred).toBeGreaterThan(0);
    expect(received.a).toEqual([]);
  });
});
