/**
 * deliverIssue's pacing, end to end over real SMTP: RATE_PER_SEC (`ratePerSec`) spaces the
 * messages of a run as the run's one pacer, and a Pacer passed in (`pacer`) replaces it and
 * hears every attempt.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import type { DeliverIssueOptions } from '../../src/deliver/deliver-issue.js';
import type { AttemptOutcome } from '../../src/deliver/pacer.js';
import { startSmtpServer, smtpError, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-02';
let store: Store;
let server: TestSmtpServer;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(Array.from({ length: 6 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await server?.close();
  await store.close();
});

async function run(over: Partial<DeliverIssueOptions>) {
  const transport = createSmtpPoolTransport({ name: 'test', size: 3, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port: server.port, ignoreTLS: true }) });
  return deliverOneLineIssue({
    store,
    transport,
    issueId: ISSUE,
    maxAttempts: 3,
    retryBaseMs: 5,
    ...over,
  });
}

describe('deliverIssue pacing', () => {
  it('spaces messages 1000 / ratePerSec ms apart across all connections', async () => {
    const at: number[] = [];
    server = await startSmtpServer({ onRcptTo: () => void at.push(performance.now()) });
    const summary = await run({ ratePerSec: 5 });
    expect(summary).toMatchObject({ sent: 6, complete: true });
    // Six messages at 5 a second: the last attempt starts at least five intervals (1 s)
    // after the first, so the run cannot take less. (Arrival times at the server are not
    // compared: the first message also waits for its connection to open, by a time a busy
    // machine stretches, which shortens the gap between first and last arrival.)
    expect(at).toHaveLength(6);
    expect(summary.seconds * 1000).toBeGreaterThanOrEqual(1000 - 10);
  });

  it('uses the pacer it is given instead, which hears every attempt', async () => {
    server = await startSmtpServer({ onRcptTo: (a) => (a.address === 'r0@example.org' ? smtpError(550, 'No such user') : undefined) });
    const heard: AttemptOutcome[] = [];
    let inside = 0;
    const summary = await run({
      ratePerSec: 0.1, // would take 50 seconds; the pacer given replaces it
      pacer: {
        acquire: () => void inside++,
        onOutcome: (_job, outcome) => void heard.push(outcome),
        release: () => void inside--,
      },
    });
    expect(summary).toMatchObject({ sent: 5, failed: 1, complete: true });
    expect(summary.seconds).toBeLessThan(20);
    expect(heard.sort()).toEqual(['permanent', 'sent', 'sent', 'sent', 'sent', 'sent']);
    expect(inside).toBe(0);
  });
});
