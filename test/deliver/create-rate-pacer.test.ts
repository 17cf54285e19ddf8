/**
 * The run's one rate (create-rate-pacer.ts): with no rate nothing waits and no promise is
 * made; with a rate, attempts called together get slots one interval apart, in call order.
 * Time is real; the sleeps are recorded and resolve at once.
 */
import { describe, expect, it } from 'vitest';
import { createRatePacer } from '../../src/deliver/create-rate-pacer.js';
import type { Job } from '../../src/deliver/create-job-source.js';

const job = {} as Job;

describe('createRatePacer', () => {
  it('never waits without a rate', () => {
    for (const rate of [undefined, 0, -5]) {
      const pacer = createRatePacer(rate, () => Promise.reject(new Error('must not sleep')));
      for (let i = 0; i < 100; i++) expect(pacer.acquire(job)).toBeUndefined();
    }
  });

  it('spaces attempts 1000 / rate ms apart, in call order', async () => {
    const waits: number[] = [];
    const pacer = createRatePacer(50, async (ms) => void waits.push(ms));
    const turns = Array.from({ length: 5 }, () => pacer.acquire(job));
    // The first goes at once; each later one waits one more interval (20 ms), less the time the calls took.
    expect(turns[0]).toBeUndefined();
    for (const t of turns.slice(1)) expect(t).toBeInstanceOf(Promise);
    await Promise.all(turns);
    expect(waits).toHaveLength(4);
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThan(20 * (i + 1) - 5);
      expect(ms).toBeLessThanOrEqual(20 * (i + 1));
    });
    pacer.onOutcome(job, 'temporary', '421 slow down');
    pacer.release(job);
  });

  it('lets an attempt go at once when its slot has passed', async () => {
    const pacer = createRatePacer(100, async () => undefined);
    expect(pacer.acquire(job)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 30));
    expect(pacer.acquire(job)).toBeUndefined();
  });
});
