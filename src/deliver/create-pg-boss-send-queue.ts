/**
 * The SendQueue (send-queue.ts) on pg-boss, a job queue kept in PostgreSQL itself: no other
 * server to run, and the claims live in the database the ledger is in.
 *
 * Why pg-boss and not graphile-worker: both are maintained PostgreSQL queues that claim jobs
 * with SELECT … FOR UPDATE SKIP LOCKED. But a process that dies must lose its batch after a
 * lease the operator chooses (SEND_CLAIM_LEASE_SECONDS), and graphile-worker frees a crashed
 * worker's job only after a fixed 4 hours; pg-boss gives every job its own expiry
 * (expireInSeconds) and retries an expired job. pg-boss also lets us pull one job when we
 * want it (fetch/complete/fail), which is the shape of the send loop, where graphile-worker
 * wants to run task functions itself. graphile-worker 0.18 needs Node 22; pg-boss 10 (the
 * line this pins) supports Node 20 (`engines: >=20`); pg-boss 11 and later need Node 22.
 *
 * 1. One queue per issue (`paperpost-send-<issue id>`), created if missing (idempotent; a
 *    deadlock between processes creating it at once is tried again).
 * 2. Rounds: a round is one pass over the issue's subscribers, as one run is with SQLite. Its
 *    batches get ids derived from (issue, round, first subscriber id), so every process that
 *    enqueues the same round inserts the same ids, and pg-boss ignores the duplicates
 *    (ON CONFLICT DO NOTHING on the job's id). A round with batches still open is joined;
 *    once all are done, the next process to start a send begins the next round (the one that
 *    retries what the last left deferred, as a rerun does).
 * 3. Claims: fetch takes one waiting batch (SKIP LOCKED: two processes never get the same);
 *    complete closes it; release fails it, which puts it back after a second. A claim expires
 *    after the lease (pg-boss's maintenance, run by whichever process's turn it is, at least
 *    every half lease), and the batch waits again for whoever comes next.
 */
import type PgBoss from 'pg-boss';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { PaperpostError } from '../errors.js';
import type { BatchClaim, SendQueue } from './send-queue.js';

/** Options of the queue. */
export interface PgBossSendQueueOptions {
  /** The PostgreSQL URL (DATABASE_URL). */
  connectionString: string;
  batchSize: number;
  leaseSeconds: number;
  /** pg-boss's schema; default 'pgboss'. */
  schema?: string;
}

/** Expiries and releases count as retries in pg-boss: a batch must never run out of them (it would be dropped, not sent). */
const RETRY_LIMIT = 1_000_000;

/** PostgreSQL's SQLSTATE for a deadlock: the transaction was rolled back and may simply be tried again. */
const DEADLOCK = '40P01';

const queueOf = (issueId: string) => `paperpost-send-${issueId}`;

/** A stable UUID for one batch of one round: the unique key that makes enqueuing idempotent. */
function batchId(issueId: string, round: number, from: number): string {
  const h = createHash('sha256').update(`paperpost-send\0${issueId}\0${round}\0${from}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Builds the queue; nothing connects until the first call. */
export function createPgBossSendQueue(o: PgBossSendQueueOptions): SendQueue {
  // pg-boss (CommonJS) is loaded here, on PostgreSQL only, not when a SQLite process imports this module.
  const Boss = createRequire(import.meta.url)('pg-boss') as typeof PgBoss;
  const boss = new Boss({
    connectionString: o.connectionString,
    schema: o.schema,
    application_name: 'paperpost-queue',
    max: 3,
    schedule: false,
    supervise: true,
    migrate: true,
    maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.floor(o.leaseSeconds / 2))),
  });
  // Maintenance runs on a timer: a failure there (the server gone for a moment) must not throw
  // at the process; the next call that needs the database reports it.
  boss.on('error', () => undefined);

  let started: Promise<void> | undefined;
  const ready = () =>
    (started ??= boss.start().then(
      () => undefined,
      (e: unknown) => {
        started = undefined;
        throw toQueueError(e);
      },
    ));
  const created = new Set<string>();
  /** Runs one pg-boss call once the queue is ready, with a failure as one line. */
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    await ready();
    try {
      return await fn();
    } catch (e) {
      throw toQueueError(e);
    }
  };
  const ensureQueue = async (issueId: string) => {
    const name = queueOf(issueId);
    for (let attempt = 1; !created.has(name); attempt++) {
      try {
        await ready();
        if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: 'standard', retryLimit: RETRY_LIMIT, retryDelay: 1, expireInSeconds: o.leaseSeconds });
        created.add(name);
      } catch (e) {
        // Processes that create the same queue at once can deadlock inside pg-boss (its partition's
        // foreign key locks the queue table the others are inserting into): PostgreSQL ends one of
        // them, the other creates the queue, and the one ended finds it there on its next try.
        if ((e as { code?: string }).code !== DEADLOCK || attempt >= 5) throw toQueueError(e);
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
      }
    }
    return name;
  };
  const pending = async (issueId: string) => call(() => boss.getQueueSize(queueOf(issueId), { before: 'completed' }));

  return {
    batchSize: o.batchSize,
    leaseSeconds: o.leaseSeconds,
    async open(issueId, maxSubscriberId, options = {}) {
      // 1.
      const name = await ensureQueue(issueId);
      // 2. The latest round: the first whose first batch was never enqueued, less one.
      let round = 0;
      while (await call(() => boss.getJobById(name, batchId(issueId, round, 1), { includeArchive: true }))) round++;
      if (round > 0 && (await pending(issueId)) > 0) return true;
      if (options.joinOnly || maxSubscriberId < 1) return false;
      const jobs: PgBoss.JobInsert<{ from: number; to: number }>[] = [];
      for (let from = 1; from <= maxSubscriberId; from += o.batchSize) {
        jobs.push({ id: batchId(issueId, round, from), name, data: { from, to: from + o.batchSize }, expireInSeconds: o.leaseSeconds, retryLimit: RETRY_LIMIT, retryDelay: 1 });
      }
      // One statement: a round is enqueued whole or not at all.
      await call(() => boss.insert(jobs));
      return true;
    },
    async claim(issueId) {
      const name = await ensureQueue(issueId);
      const [job] = await call(() => boss.fetch<{ from: number; to: number }>(name, { batchSize: 1 }));
      return job ? { id: job.id, from: job.data.from, to: job.data.to } : null;
    },
    async complete(issueId, claim: BatchClaim) {
      const name = queueOf(issueId);
      // If the claim expired meanwhile (this process was slow, not dead), the batch waits again
      // or is with another process: it is done all the same, so close it in whatever state
      // (complete takes only a batch still claimed; cancel takes one in any other open state).
      // (pg-boss 10 answers how many it changed, though its types say void: without an answer, cancel as well.)
      const done = (await call(() => boss.complete(name, claim.id))) as unknown as { affected?: number } | undefined;
      if (!(typeof done?.affected === 'number' && done.affected > 0)) await call(() => boss.cancel(name, claim.id));
    },
    async release(issueId, claim) {
      await call(() => boss.fail(queueOf(issueId), claim.id, { reason: 'released unfinished' }));
    },
    pending,
    async close() {
      if (!started) return;
      await started.catch(() => undefined);
      await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    },
  };
}

/** A queue failure as one line for the operator. */
function toQueueError(e: unknown): Error {
  if (e instanceof PaperpostError) return e;
  const message = e instanceof Error ? e.message || (e as { code?: string }).code || String(e) : String(e);
  return new PaperpostError('DATABASE', `the send queue (pg-boss on DATABASE_URL) failed: ${message}`, {
    hint: 'check that PostgreSQL is up and that the DATABASE_URL role may create the schema pgboss',
    cause: e,
  });
}
