/**
 * One queue of the domain pacer (create-domain-pacer.ts): the messages waiting for one
 * receiving domain or provider group, and how fast that domain takes mail now. The rate is
 * AIMD, as TCP and Postfix's per-destination concurrency do it:
 *
 * - a refusal that is throttling (421, 4.7.x: parse-retry-delay.ts) halves the rate, once per
 *   cohort and at most once a second: the attempts that went at the old rate all fail
 *   together, and count once. A queue with no rate (the default) is first given the rate it
 *   was actually going at, measured; it never goes below MIN_RATE;
 * - a reply that asks for a wait ("try again in 2 seconds") pauses the queue that long; a
 *   wait longer than the run allows closes the queue for this run;
 * - every RECOVER_EVERY successes in a row (fewer for a queue slower than that a second: about
 *   a second's worth) bring the rate up a step (a quarter), until it is back at the configured
 *   rate (or at no limit, once past the rate it was throttled at).
 */
import type { Job } from './create-job-source.js';
import type { QueueLimit } from './parse-domain-limits.js';

/** The slowest a throttled queue goes: one message a second. */
export const MIN_RATE = 1;
/** A queue's rate is halved at most once in this many ms, however many refusals come back. */
export const HALVE_EVERY_MS = 1000;
/** Successes in a row that bring a throttled queue's rate up one step. */
export const RECOVER_EVERY = 10;

/** A retry waiting in its queue until `due`. */
interface Retry {
  job: Job;
  due: number;
}

/** A queue's state; the pacer reads and moves it. */
export class DomainQueue {
  /** Messages per second now; 0: no limit. */
  rate: number;
  inFlight = 0;
  /** No message of this queue goes before these (performance.now() ms). */
  nextSlot = 0;
  pausedUntil = 0;
  /** Why the queue takes nothing more in this run, or null. */
  closed: string | null = null;
  /** Bumped at each halving: outcomes of attempts admitted before it do not halve again. */
  epoch = 0;
  private successes = 0;
  private halvedAt = -Infinity;
  /** The rate it was going at when first throttled (the ceiling of recovery with no configured rate). */
  private ceiling = 0;
  private winStart = 0;
  private winCount = 0;
  private prevCount = 0;
  private readonly fresh: Job[] = [];
  private head = 0;
  private readonly retries: Retry[] = [];

  constructor(
    readonly name: string,
    readonly limit: QueueLimit,
  ) {
    this.rate = limit.ratePerSec;
  }

  /** Jobs waiting in the queue. */
  get size(): number {
    return this.fresh.length - this.head + this.retries.length;
  }

  push(job: Job): void {
    this.fresh.push(job);
  }

  pushRetry(job: Job, due: number): void {
    this.retries.push({ job, due });
  }

  /** True when one more message may go at `t` (global: the run's own next slot). */
  canGo(t: number, globalNext: number): boolean {
    return this.closed === null && this.inFlight < this.limit.concurrency && t >= this.pausedUntil && t >= this.nextSlot && t >= globalNext;
  }

  /** The next job that may go at `t`: a retry that is due first, else the oldest new one. */
  next(t: number): Job | undefined {
    for (let i = 0; i < this.retries.length; i++) {
      if (this.retries[i]!.due <= t) return this.retries.splice(i, 1)[0]!.job;
    }
    if (this.head >= this.fresh.length) return undefined;
    const job = this.fresh[this.head]!;
    // Nothing keeps a job that left (its composed message is big); the array is compacted as it empties.
    (this.fresh as (Job | undefined)[])[this.head++] = undefined;
    if (this.head === this.fresh.length) {
      this.fresh.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.fresh.length) {
      this.fresh.splice(0, this.head);
      this.head = 0;
    }
    return job;
  }

  /** When the queue could next let one go, not counting its concurrency (Infinity: nothing is waiting). */
  wakeAt(globalNext: number): number {
    let due = this.head < this.fresh.length ? 0 : Infinity;
    for (const r of this.retries) due = Math.min(due, r.due);
    return due === Infinity ? Infinity : Math.max(due, this.pausedUntil, this.nextSlot, globalNext);
  }

  /** Takes every waiting job out. */
  takeAll(): Job[] {
    const all = [...this.retries.map((r) => r.job), ...this.fresh.slice(this.head)];
    this.retries.length = 0;
    this.fresh.length = 0;
    this.head = 0;
    return all;
  }

  /** One message goes at `t`: its place in the concurrency, its slot in the rate. */
  admit(t: number): void {
    this.inFlight++;
    if (this.rate > 0) this.nextSlot = Math.max(t, this.nextSlot) + 1000 / this.rate;
    if (t - this.winStart >= 1000) {
      this.prevCount = t - this.winStart < 2000 ? this.winCount : 0;
      this.winStart = t;
      this.winCount = 0;
    }
    this.winCount++;
  }

  /** A temporary refusal of an attempt admitted in `epoch`: halves the rate once per cohort. */
  throttle(t: number, epoch: number): void {
    this.successes = 0;
    if (epoch !== this.epoch || t - this.halvedAt < HALVE_EVERY_MS) return;
    this.epoch++;
    this.halvedAt = t;
    const current = this.rate > 0 ? this.rate : Math.max(this.prevCount, this.winCount, 1);
    this.ceiling = Math.max(this.ceiling, current);
    this.rate = Math.max(MIN_RATE, current / 2);
    this.nextSlot = Math.max(this.nextSlot, t + 1000 / this.rate);
  }

  /** A server asked for `ms` of quiet: no message goes before then. */
  pause(t: number, ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, t + ms);
  }

  /** A success: every RECOVER_EVERY in a row (a second's worth, if fewer) bring a throttled rate up a step. */
  succeeded(): void {
    const target = this.limit.ratePerSec;
    if (this.rate === target) return;
    // A slow queue gets its step sooner: at 2 a second, every 2 successes (about a second's worth).
    if (++this.successes < Math.max(1, Math.min(RECOVER_EVERY, Math.ceil(this.rate)))) return;
    this.successes = 0;
    const up = this.rate * 1.25;
    if (target > 0) this.rate = Math.min(target, up);
    else this.rate = up >= this.ceiling ? 0 : up;
  }
}
