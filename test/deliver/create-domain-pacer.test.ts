/**
 * The domain pacer (create-domain-pacer.ts) on its own, time real: a job whose queue is free
 * goes at once; one whose queue is full, slowed or paused is kept and handed back when the
 * queue allows, while other queues' jobs go; a reply that asks for a wait holds that queue's
 * retries that long; a wait beyond the run's limit closes the queue; drain takes back what
 * is kept.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/deliver/create-job-source.js';
import { createDomainPacer } from '../../src/deliver/create-domain-pacer.js';
import { parseDomainLimits } from '../../src/deliver/parse-domain-limits.js';

let nextId = 1;
const job = (email: string): Job => ({ sub: { id: nextId++, email } as Job['sub'], messageId: `<${email}>`, message: { raw: [], subject: '', html: () => '' }, previous: null });
const until = async (check: () => boolean, ms = 5000) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('createDomainPacer', () => {
  it('keeps a full queue’s job while other queues go, and hands it back on release', async () => {
    const pacer = createDomainPacer({ limits: parseDomainLimits('gmail:0/s:1'), maxWaitMs: 60_000 });
    const back: [string, string][] = [];
    const resume = (j: Job, verdict: 'go' | 'closed') => void back.push([j.sub.email, verdict]);
    const a = job('a@gmail.com');
    const b = job('b@googlemail.com');
    expect(pacer.acquire(a, resume)).toBeUndefined();
    expect(pacer.acquire(b, resume)).toBe('kept');
    // Another domain is not held up by gmail's full queue.
    expect(pacer.acquire(job('c@example.org'), resume)).toBeUndefined();
    expect(pacer.waiting!()).toBe(1);
    pacer.release(a);
    expect(back).toEqual([['b@googlemail.com', 'go']]);
    expect(pacer.waiting!()).toBe(0);
    expect(pacer.queues().get('gmail')!.inFlight).toBe(1);
  });

  it('holds a retry for the wait its server asked for, and halves the queue’s rate', async () => {
    const pacer = createDomainPacer({ limits: parseDomainLimits('outlook:100/s'), maxWaitMs: 60_000 });
    const back: { email: string; at: number }[] = [];
    const resume = (j: Job) => void back.push({ email: j.sub.email, at: performance.now() });
    const a = job('a@hotmail.com');
    expect(pacer.acquire(a, resume)).toBeUndefined();
    const refusedAt = performance.now();
    pacer.onOutcome(a, 'temporary', 'EENVELOPE: 421 4.7.0 Try again in 1 seconds');
    pacer.release(a);
    expect(pacer.queues().get('outlook')!.rate).toBe(50);
    pacer.retryLater!(a, 10, resume);
    // A new message to the same queue waits for the pause too; one elsewhere does not.
    expect(pacer.acquire(job('b@live.com'), resume)).toBe('kept');
    expect(pacer.acquire(job('c@example.org'), resume)).toBeUndefined();
    await until(() => back.length === 2);
    expect(back[0]!.email).toBe('a@hotmail.com');
    expect(back[0]!.at - refusedAt).toBeGreaterThanOrEqual(1000);
    // Both go one rate interval apart (50/s: 20 ms).
    expect(back[1]!.at - back[0]!.at).toBeGreaterThanOrEqual(15);
  });

  it('closes a queue whose server asks for more than the run allows, and drains what it keeps', async () => {
    const pacer = createDomainPacer({ maxWaitMs: 5_000 });
    const back: [string, string][] = [];
    const resume = (j: Job, verdict: 'go' | 'closed') => void back.push([j.sub.email, verdict]);
    const a = job('a@yahoo.com');
    expect(pacer.acquire(a, resume)).toBeUndefined();
    pacer.onOutcome(a, 'temporary', '421 4.7.0 [TS01] Messages temporarily deferred, try again in 30 minutes');
    pacer.release(a);
    expect(pacer.queues().get('yahoo')!.closed).toMatch(/asked to wait 1800 s/);
    expect(pacer.acquire(job('b@ymail.com'), resume)).toBe('kept');
    await until(() => back.length === 1);
    expect(back).toEqual([['b@ymail.com', 'closed']]);
    // Kept when the run stops: taken back.
    const slow = createDomainPacer({ limits: parseDomainLimits('*:1/min'), maxWaitMs: 5_000 });
    expect(slow.acquire(job('x@example.org'), resume)).toBeUndefined();
    const y = job('y@example.org');
    expect(slow.acquire(y, resume)).toBe('kept');
    expect(slow.drain!()).toEqual([y]);
  });

  it('waits in acquire for a caller that cannot take a job back', async () => {
    const pacer = createDomainPacer({ ratePerSec: 20, maxWaitMs: 5_000 });
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await pacer.acquire(job(`r${i}@example.org`));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * 50 - 5);
  });
});
