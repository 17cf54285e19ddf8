/**
 * Issue #23, item 2, end to end: a real SMTP sink (smtp-server) that throttles one receiving
 * domain as a provider does: from its THROTTLE_AFTER-th message on, for ASKED_MS, every
 * message to it is answered "421 4.7.0 … try again in 3 seconds" (and the connection closed,
 * as a 421 does). deliverIssue, with its default
 * pacer (a queue per receiving domain), must show:
 * - the other domains finish at full speed: all of them before the throttled domain's first
 *   retry, so none waited behind it;
 * - the throttled domain gets no retry sooner than asked (each recipient's gap between the
 *   refusal and the next attempt, measured at the sink);
 * - no message goes twice (the sink's Message-IDs, the ledger's counts).
 * The figures are printed for the closing note.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';

const ISSUE = '2026-03-03';
const ASKED_MS = 3000;
const THROTTLE_AFTER = 4;
const DOMAINS = { 'fast-a.example': 60, 'fast-b.example': 60, 'slow.example': 12 };
let store: Store;
let server: TestSmtpServer;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  const emails = Object.entries(DOMAINS).flatMap(([domain, n]) => Array.from({ length: n }, (_, i) => `r${i}@${domain}`));
  // Interleaved, as a real list is: the throttled domain's readers are spread through it.
  emails.sort((a, b) => a.split('@')[0]!.localeCompare(b.split('@')[0]!, 'en', { numeric: true }));
  await store.importSubscribers(emails.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await server?.close();
  await store.close();
});

describe('a sink that throttles one domain', () => {
  it('slows that domain only, retries it no sooner than asked, and sends nothing twice', async () => {
    const refusedAt = new Map<string, number>();
    const gaps: number[] = [];
    const acceptedAt = new Map<string, number[]>();
    const retriesAt: number[] = [];
    const started = performance.now();
    let slowSeen = 0;
    let throttledUntil = -1;
    server = await startSmtpServer({
      onRcptTo: (a) => {
        const t = performance.now();
        const domain = a.address.split('@')[1]!;
        if (domain === 'slow.example') {
          const before = refusedAt.get(a.address);
          if (before !== undefined) {
            gaps.push(t - before);
            retriesAt.push(t - started);
          }
          if (++slowSeen === THROTTLE_AFTER) throttledUntil = t + ASKED_MS;
          if (t < throttledUntil) {
            refusedAt.set(a.address, t);
            return smtpError(421, `4.7.0 Too many messages from you, try again in ${ASKED_MS / 1000} seconds`);
          }
        }
        acceptedAt.set(domain, [...(acceptedAt.get(domain) ?? []), t - started]);
        return undefined;
      },
    });
    const transport = sinkPool(server.port, 3);
    const summary = await deliverOneLineIssue({
      store,
      transport,
      issueId: ISSUE,
      maxAttempts: 4,
      retryBaseMs: 50,
    });
    const total = Object.values(DOMAINS).reduce((a, b) => a + b, 0);
    expect(summary).toMatchObject({ sent: total, deferred: 0, failed: 0, complete: true });

    // Every refused recipient came back, and no sooner than asked.
    expect(refusedAt.size).toBeGreaterThanOrEqual(1);
    expect(gaps.length).toBeGreaterThanOrEqual(refusedAt.size);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(ASKED_MS - 5);

    // The other domains did not wait behind it: all done before its first retry.
    expect(retriesAt.length).toBeGreaterThanOrEqual(1);
    const finish = (d: string) => Math.max(...(acceptedAt.get(d) ?? [Infinity]));
    expect(acceptedAt.get('fast-a.example')).toHaveLength(DOMAINS['fast-a.example']);
    expect(acceptedAt.get('fast-b.example')).toHaveLength(DOMAINS['fast-b.example']);
    expect(finish('fast-a.example')).toBeLessThan(Math.min(...retriesAt));
    expect(finish('fast-b.example')).toBeLessThan(Math.min(...retriesAt));

    // Nothing twice: one copy per Message-ID at the sink, every row sent once in the ledger.
    const ids = server.received.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total);
    expect(await store.countDeliveries(ISSUE)).toEqual({ queued: 0, sent: total, deferred: 0, failed: 0 });

    console.log(
      `throttled-domain figures: fast-a.example finished at ${finish('fast-a.example').toFixed(0)} ms, fast-b.example at ${finish('fast-b.example').toFixed(0)} ms, ` +
        `slow.example at ${finish('slow.example').toFixed(0)} ms; retry gaps ${Math.min(...gaps).toFixed(0)}–${Math.max(...gaps).toFixed(0)} ms against ${ASKED_MS} ms asked; ` +
        `${refusedAt.size} refused; ${ids.length} messages, ${ids.length - new Set(ids).size} duplicates`,
    );
  });
});
