/**
 * The dispatcher (dispatch-jobs.ts) with its real neighbours: a SQLite store, the job
 * source, the ledger writer, the SMTP pool against a real SMTP server. The Pacer here is a
 * real one-at-a-time pacer that keeps a log, to show that every attempt waits for its turn
 * and that the pacer hears every outcome; then the retry policy (4xx retried, 5xx bounced,
 * an unreachable server stopping the run) and a halted run taking no work.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import { createJobSource, type Job } from '../../src/deliver/create-job-source.js';
import { createLedgerWriter } from '../../src/deliver/create-ledger-writer.js';
import { dispatchJobs, UNREACHABLE_LIMIT, type DispatchOptions } from '../../src/deliver/dispatch-jobs.js';
import type { AttemptOutcome, Pacer } from '../../src/deliver/pacer.js';
import type { DeliveryProgress } from '../../src/deliver/delivery-progress.js';
import type { Transport } from '../../src/deliver/transport.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';

const ISSUE = '2026-03-02';
let store: Store;
let server: TestSmtpServer | undefined;
let transport: Transport | undefined;
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(['ada', 'grace', 'alan', 'bounce', 'flaky'].map((n, i) => ({ line: i + 2, input: { email: `${n}@example.org` } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = server = undefined;
  await store.close();
});

/** A pacer that lets one attempt go at a time, in call order, and logs what it sees. */
function oneAtATime() {
  const log: string[] = [];
  const outcomes: { to: string; outcome: AttemptOutcome; reply: string | null }[] = [];
  const waiting: (() => void)[] = [];
  let busy = false;
  const grant = (job: Job) => {
    busy = true;
    log.push(`go ${job.sub.email}`);
  };
  const pacer: Pacer = {
    acquire(job) {
      if (!busy) return void grant(job);
      return new Promise<void>((resolve) => waiting.push(() => (grant(job), resolve())));
    },
    onOutcome(job, outcome, reply) {
      log.push(`${outcome} ${job.sub.email}`);
      outcomes.push({ to: job.sub.email, outcome, reply });
    },
    release(job) {
      log.push(`done ${job.sub.email}`);
      busy = false;
      waiting.shift()?.();
    },
  };
  return { pacer, log, outcomes };
}

const zero = (): DeliveryProgress => ({ total: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, suppressed: 0, alreadyDone: 0, leftMeanwhile: 0, resent: 0, lastError: null });

type Compose = Parameters<typeof createJobSource>[0]['compose'];
const plainCompose: Compose = (sub, messageId) => ({ raw: [Buffer.from(`Message-ID: ${messageId}\r\nTo: ${sub.email}\r\nSubject: Issue\r\n\r\nhi\r\n`)], subject: 'Issue', html: () => '' });

function setUp(t: Transport, pacer: Pacer, over: Partial<DispatchOptions> = {}, compose: Compose = plainCompose) {
  const progress = zero();
  const onError = (e: unknown) => {
    throw e;
  };
  const ledger = createLedgerWriter(store, ISSUE, onError);
  const source = createJobSource({
    store,
    ledger,
    issueId: ISSUE,
    compose,
    messageIdFor: (sub) => `<${ISSUE}.${sub.id}@example.org>`,
    now: () => new Date(),
    progress,
    onError,
  });
  const run = () =>
    dispatchJobs({ source, ledger, pacer, transport: t, issueId: ISSUE, from: 'news@example.org', maxAttempts: 3, retryBaseMs: 5, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), halted: () => false, progress, ...over });
  return { run, progress, source, ledger };
}

const pool = (port: number) => createSmtpPoolTransport({ name: 'test', size: 2, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }) });

/** A server that refuses bounce@ for good (550) and flaky@ once (451). */
function refusingServer() {
  let flakyRefusals = 0;
  return startSmtpServer({
    onRcptTo: (a) => {
      if (a.address === 'bounce@example.org') return smtpError(550, 'No such user');
      if (a.address === 'flaky@example.org' && flakyRefusals++ < 1) return smtpError(451, 'Try again later');
      return undefined;
    },
  });
}

describe('dispatchJobs', () => {
  it('sends each attempt on its pacer turn; retries a 4xx, bounces a 5xx; the pacer hears every outcome', async () => {
    server = await refusingServer();
    transport = pool(server.port);
    const { pacer, log, outcomes } = oneAtATime();
    const { run, progress, ledger } = setUp(transport, pacer);
    const result = await run();
    await ledger.flush();

    expect(result).toEqual({ fatal: null, stoppedEarly: false });
    expect(progress).toMatchObject({ sent: 4, failed: 1, deferred: 0 });
    expect(server.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['ada@example.org', 'alan@example.org', 'flaky@example.org', 'grace@example.org']);
    expect(await store.countDeliveries(ISSUE)).toEqual({ queued: 0, sent: 4, failed: 1, deferred: 0 });
    expect((await store.getSubscriberByEmail('bounce@example.org'))!.status).toBe('bounced');
    const flaky = (await store.getSubscriberByEmail('flaky@example.org'))!;
    expect(await store.getDelivery(ISSUE, flaky.id)).toMatchObject({ status: 'sent', attempts: 2 });

    // Six attempts, one at a time: each went, was heard, and was done before the next went.
    expect(log).toHaveLength(18);
    for (let i = 0; i < log.length; i += 3) {
      const to = log[i]!.split(' ')[1];
      expect(log[i]).toBe(`go ${to}`);
      expect(log[i + 1]).toMatch(new RegExp(`^(sent|temporary|permanent) ${to}$`));
      expect(log[i + 2]).toBe(`done ${to}`);
    }
    expect(outcomes.filter((o) => o.to === 'flaky@example.org').map((o) => o.outcome)).toEqual(['temporary', 'sent']);
    expect(outcomes.find((o) => o.outcome === 'temporary')!.reply).toMatch(/451/);
    expect(outcomes.find((o) => o.outcome === 'permanent')!.reply).toMatch(/550/);
    expect(outcomes.find((o) => o.to === 'ada@example.org')!.reply).toMatch(/^250/);
  });

  it("releases a message's bytes once the server accepted it, and never one that failed (a retry reads them again)", async () => {
    server = await refusingServer();
    transport = pool(server.port);
    // Each message notes its release; reading it after that fails the send, as the composer's do.
    const released = new Map<string, number>();
    const compose: Compose = (sub, messageId, date) => {
      const { raw } = plainCompose(sub, messageId, date)!;
      let gone = false;
      return {
        get raw() {
          if (gone) throw new Error(`read after release: ${sub.email}`);
          return raw;
        },
        subject: 'Issue',
        html: () => '',
        release: () => {
          gone = true;
          released.set(sub.email, (released.get(sub.email) ?? 0) + 1);
        },
      };
    };
    const { run, progress, ledger } = setUp(transport, oneAtATime().pacer, {}, compose);
    const result = await run();
    await ledger.flush();

    expect(result).toEqual({ fatal: null, stoppedEarly: false });
    expect(progress).toMatchObject({ sent: 4, failed: 1, deferred: 0 });
    // flaky was refused once and sent on its second attempt: released once, after it.
    expect(Object.fromEntries(released)).toEqual({ 'ada@example.org': 1, 'grace@example.org': 1, 'alan@example.org': 1, 'flaky@example.org': 1 });
  });

  it(`stops the run after ${UNREACHABLE_LIMIT} failures in a row to reach the server, leaving what it tried deferred`, async () => {
    const closed = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    transport = pool(port);
    const { pacer, outcomes } = oneAtATime();
    const { run, progress, source } = setUp(transport, pacer, { maxAttempts: 10 });
    const result = await run();

    expect(result.fatal?.kind).toBe('fatal');
    expect(result.fatal?.message).toMatch(/^cannot reach the mail server: .*\(3 attempts in a row\)$/);
    expect(result.stoppedEarly).toBe(true);
    expect(progress.sent).toBe(0);
    // The attempts already under way (one per other worker) finish; no worker takes another job.
    expect(outcomes.length).toBeGreaterThanOrEqual(UNREACHABLE_LIMIT);
    expect(outcomes.length).toBeLessThanOrEqual(UNREACHABLE_LIMIT + transport.concurrency - 1);
    expect(outcomes.every((o) => o.outcome === 'temporary')).toBe(true);
    const counts = await store.countDeliveries(ISSUE);
    expect(counts.deferred).toBe(progress.deferred);
    expect(counts.deferred).toBeGreaterThanOrEqual(1);
    // Whatever was queued and never tried is still with the source, to be put back.
    expect(counts.queued).toBe(source.drain().length);
  });

  it('takes no work once halted (a store failure elsewhere)', async () => {
    server = await startSmtpServer();
    transport = pool(server.port);
    const { pacer, log } = oneAtATime();
    const { run, progress } = setUp(transport, pacer, { halted: () => true });
    expect(await run()).toEqual({ fatal: null, stoppedEarly: true });
    expect(progress.sent).toBe(0);
    expect(log).toEqual([]);
    expect(server.received).toEqual([]);
  });
});
