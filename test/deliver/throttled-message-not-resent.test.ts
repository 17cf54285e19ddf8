/**
 * A throttle that names no wait (Outlook.com's "421 4.7.650 … temporarily rate limited")
 * closes the connection after refusing the message. The pool hands messages that failed only
 * because their connection closed to another one at once; the message the server refused
 * itself must not be among them: it goes back through its domain's backoff (the pacer), so
 * each attempt the dispatcher counts reaches the server once (3 attempts: 3 RCPTs, not 9).
 * Real SMTP server, real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-05';
const READERS = ['a@outlook.com', 'b@outlook.com', 'c@outlook.com'];
let store: Store;
let server: TestSmtpServer;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(READERS.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await server?.close();
  await store.close();
});

describe('a message refused with a throttle that names no wait', () => {
  it('is tried once per attempt, through its domain backoff, never resent at once', async () => {
    const rcpts = new Map<string, number[]>();
    server = await startSmtpServer({
      onRcptTo: (a) => {
        rcpts.set(a.address, [...(rcpts.get(a.address) ?? []), performance.now()]);
        return smtpError(421, '4.7.650 The mail server has been temporarily rate limited');
      },
    });
    const transport = sinkPool(server.port, 2);
    const summary = await deliverOneLineIssue({
      store,
      transport,
      issueId: ISSUE,
      maxAttempts: 3,
      retryBaseMs: 20,
    });
    expect(summary).toMatchObject({ sent: 0, deferred: READERS.length, failed: 0 });
    for (const r of READERS) expect(rcpts.get(r), r).toHaveLength(3);
    expect(server.received).toHaveLength(0);
  });
});
