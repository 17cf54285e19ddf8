/**
 * A relay that refuses a connection at its greeting ("421 4.7.0 Too many connections, try
 * again in 60 seconds") speaks for itself, not for the receiving domain of whichever message
 * happened to open that connection. The message goes again on another connection, as the
 * relay rules say (a relay that fails 3 connections in a row is left alone for a while), and
 * no domain's queue is paused or closed for it. Real SMTP server, real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-06';
const EMAILS = [...Array.from({ length: 5 }, (_, i) => `g${i}@gmail.com`), ...Array.from({ length: 5 }, (_, i) => `n${i}@example.net`)];
let store: Store;
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
    const summary = await deliverOneLineIssue({
      store,
      transport,
      issueId: ISSUE,
      maxAttempts: 3,
      retryBaseMs: 20,
      // 60 s asked, 1 s allowed: had it been taken as a domain's, that domain would wait for the next run.
      retryMaxMs: 1000,
    });
    expect(connections).toBeGreaterThanOrEqual(2);
    expect(summary).toMatchObject({ sent: EMAILS.length, deferred: 0, failed: 0, complete: true });
    expect(received.sort()).toEqual([...EMAILS].sort());
  });
});
