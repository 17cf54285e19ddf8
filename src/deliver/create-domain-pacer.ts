/**
 * The run's pacer (pacer.ts): one queue per receiving domain, the big providers' names
 * grouped (group-domain.ts), each with its own concurrency and rate (SMTP_DOMAIN_LIMITS,
 * parse-domain-limits.ts) that adapts to what its servers answer (domain-queue.ts). Postfix
 * paces each destination apart in the same way; this is that, for one run of one issue.
 *
 * 1. `acquire` finds the job's queue. With nothing waiting there and room in its concurrency
 *    and rate (and the run's own SEND_RATE_PER_SEC), the job goes at once. Otherwise the
 *    queue keeps it (`'kept'`), and the worker takes the next job: other domains never wait
 *    behind a throttled one.
 * 2. `onOutcome` hears every reply: a refusal that is throttling (421, 4.7.x, a rate wording:
 *    parse-retry-delay.ts) halves that queue's rate;
 *    a reply that asks for a wait pauses the queue that long (or closes it for this run when
 *    the wait is longer than `maxWaitMs`); successes bring the rate back step by step.
 * 3. `retryLater` keeps a failed job in its queue until its backoff is over; the queue's pause
 *    holds it further, so no retry goes sooner than the server asked.
 * 4. The pump hands kept jobs back (`resume`) as their queues allow: after each release,
 *    and at the next moment a rate, a pause or a backoff allows, on one timer. A closed
 *    queue's jobs are handed back as `closed`.
 * 5. `drain` (the run stops) takes back whatever is still kept.
 */
import type { Job } from './create-job-source.js';
import { createDomainGrouper, domainOf, type MxResolver } from './group-domain.js';
import { DomainQueue } from './domain-queue.js';
import { limitOf, type DomainLimits } from './parse-domain-limits.js';
import { isThrottling, parseRetryDelay } from './parse-retry-delay.js';
import type { Pacer, Resume } from './pacer.js';

/** What the domain pacer is built from. */
export interface DomainPacerOptions {
  /** SMTP_DOMAIN_LIMITS, parsed; queues not named get `*`'s limit or the default. */
  limits?: DomainLimits;
  /** SEND_RATE_PER_SEC: messages per second across all queues; 0 or unset: no limit. */
  ratePerSec?: number;
  /** With SMTP_MX_GROUPS=true: looks up the MX hosts of domains that are not a provider's name. */
  resolveMx?: MxResolver;
  /** The longest wait a server may ask for within the run; longer closes its queue until the next run. */
  maxWaitMs: number;
  now?: () => number;
}

/** The queues of one run, and what the pacer says about them (for the run's summary and tests). */
export interface DomainPacer extends Pacer {
  /** The queues by name, with their rate now. */
  queues(): ReadonlyMap<string, DomainQueue>;
}

/** Builds the pacer of one run; see the file comment for the steps. */
export function createDomainPacer(o: DomainPacerOptions): DomainPacer {
  const now = o.now ?? (() => performance.now());
  const limits = o.limits ?? new Map();
  const grouper = createDomainGrouper(o.resolveMx);
  const globalInterval = o.ratePerSec && o.ratePerSec > 0 ? 1000 / o.ratePerSec : 0;
  let globalNext = 0;
  const queues = new Map<string, DomainQueue>();
  /** The queue of each receiving domain seen (the hot path: one lookup per attempt). */
  const byDomain = new Map<string, DomainQueue>();
  /** Queues with jobs waiting. */
  const active = new Set<DomainQueue>();
  /** The queue and cohort of each job that holds a place. */
  const taken = new Map<Job, { queue: DomainQueue; epoch: number }>();
  /** Who gets each kept job back. */
  const owners = new Map<Job, Resume>();
  let waitingForMx = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let drained = false;

  const queueOf = (group: string) => {
    let q = queues.get(group);
    if (!q) queues.set(group, (q = new DomainQueue(group, limitOf(limits, group))));
    return q;
  };
  const admit = (q: DomainQueue, job: Job, t: number) => {
    q.admit(t);
    if (globalInterval) globalNext = Math.max(t, globalNext) + globalInterval;
    taken.set(job, { queue: q, epoch: q.epoch });
  };

  // 4.
  const pump = () => {
    if (drained) return;
    const t = now();
    let wake = Infinity;
    for (const q of active) {
      if (q.closed !== null) {
        for (const job of q.takeAll()) handBack(job, 'closed');
      }
      while (q.size > 0 && q.canGo(t, globalNext)) {
        const job = q.next(t);
        if (!job) break;
        admit(q, job, t);
        handBack(job, 'go');
      }
      if (q.size === 0) active.delete(q);
      else if (q.inFlight < q.limit.concurrency) wake = Math.min(wake, q.wakeAt(globalNext));
    }
    if (wake < Infinity) schedule(wake, t);
  };
  const handBack = (job: Job, verdict: 'go' | 'closed') => {
    const resume = owners.get(job)!;
    owners.delete(job);
    resume(job, verdict);
  };
  const schedule = (at: number, t: number) => {
    if (at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timerAt = Infinity;
        timer = undefined;
        pump();
      },
      Math.max(0, Math.ceil(at - t)),
    );
  };
  const keep = (q: DomainQueue, job: Job, resume: Resume) => {
    owners.set(job, resume);
    q.push(job);
    active.add(q);
    // Not now, inside acquire: the caller learns 'kept' before it can be handed back.
    setImmediate(pump);
  };

  return {
    // 1.
    acquire(job, resume) {
      if (!resume) {
        // A caller that cannot take a job back waits for it instead.
        let settle!: () => void;
        const turn = new Promise<void>((r) => (settle = r));
        return this.acquire(job, () => settle()) === 'kept' ? turn : undefined;
      }
      const domain = domainOf(job.sub.email);
      let q = byDomain.get(domain);
      const group = q ? q.name : grouper.now(domain);
      const t = now();
      if (group === null) {
        // Its MX is being looked up: the job joins its queue once the group is known.
        waitingForMx++;
        owners.set(job, resume);
        void grouper.later(domain).then((g) => {
          waitingForMx--;
          if (drained) return;
          owners.delete(job);
          keep(queueOf(g), job, resume);
        });
        return 'kept';
      }
      if (!q) byDomain.set(domain, (q = queueOf(group)));
      if (q.size === 0 && q.canGo(t, globalNext)) {
        admit(q, job, t);
        return undefined;
      }
      keep(q, job, resume);
      return 'kept';
    },
    release(job) {
      const held = taken.get(job);
      if (!held) return;
      taken.delete(job);
      held.queue.inFlight--;
      if (held.queue.size > 0) pump();
    },
    // 2.
    onOutcome(job, outcome, reply) {
      const held = taken.get(job);
      if (!held) return;
      const q = held.queue;
      if (outcome === 'sent') return q.succeeded();
      if (outcome !== 'temporary' || !isThrottling(reply)) return;
      const t = now();
      const asked = parseRetryDelay(reply);
      if (asked !== null && asked > o.maxWaitMs) {
        q.closed = `${q.name} asked to wait ${Math.round(asked / 1000)} s, longer than SEND_RETRY_MAX_MS allows in one run`;
      } else if (asked !== null) q.pause(t, asked);
      q.throttle(t, held.epoch);
      if (q.closed !== null && q.size > 0) setImmediate(pump);
    },
    // 3.
    retryLater(job, delayMs, resume) {
      const q = queueOf(grouper.now(domainOf(job.sub.email)) ?? domainOf(job.sub.email));
      owners.set(job, resume);
      q.pushRetry(job, now() + delayMs);
      active.add(q);
      setImmediate(pump);
    },
    waiting() {
      let n = waitingForMx;
      for (const q of active) n += q.size;
      return n;
    },
    // 5.
    drain() {
      drained = true;
      clearTimeout(timer);
      // Every kept job has an owner: those in queues and those whose MX lookup is under way.
      const kept = [...owners.keys()];
      for (const q of active) q.takeAll();
      active.clear();
      owners.clear();
      return kept;
    },
    queues: () => queues,
  };
}
