/**
 * The scheduler's daily doctor (issue #22, item 4): first ten minutes after start, then every
 * 24 hours on a fake clock; each run's result is saved for /admin and every failed check is
 * logged as an error, with DNS from an injected zone (never the network).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { loadDoctorResult } from '../../src/deliver/doctor/doctor-record.js';
import { DOCTOR_EVERY_MS, DOCTOR_FIRST_AFTER_MS, runDailyDoctor } from '../../src/schedule/run-daily-doctor.js';
import { zoneResolver } from '../deliver/doctor/test-zone.js';
import { memoryLog, scratch } from './helpers.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('daily doctor', () => {
  it('runs 10 minutes after start and then daily, saving each result and logging each failure', async () => {
    // PUBLIC_URL on a closed loopback port: the check fails at once, without the network.
    const app = scratch({ PUBLIC_URL: 'https://127.0.0.1:9', HTTP_TIMEOUT_MS: '2000' }).app();
    apps.push(app);
    const log = memoryLog();
    const asked: string[] = [];
    const controller = new AbortController();
    let clock = Date.parse('2026-05-01T06:00:00Z');
    const waits: number[] = [];
    const saved: (string | undefined)[] = [];
    // The fake clock: each wait moves it on at once; after the third daily run, stop.
    const sleep = async (ms: number) => {
      waits.push(ms);
      if (waits.length > 1) saved.push((await loadDoctorResult(app.store()))?.at);
      clock += ms;
      if (waits.length === 4) controller.abort();
    };
    await runDailyDoctor(app, { log, signal: controller.signal, now: () => new Date(clock), resolver: zoneResolver(new Map(), asked), sleep });

    expect(waits).toEqual([DOCTOR_FIRST_AFTER_MS, DOCTOR_EVERY_MS, DOCTOR_EVERY_MS, DOCTOR_EVERY_MS]);
    expect(saved).toEqual(['2026-05-01T06:10:00.000Z', '2026-05-02T06:10:00.000Z', '2026-05-03T06:10:00.000Z']);
    const record = await loadDoctorResult(app.store());
    expect(record?.by).toBe('schedule');
    expect(record?.results.find((r) => r.name === 'DKIM')?.status).toBe('failure');
    expect(asked.length).toBeGreaterThan(0);
    const errors = log.lines.filter((l) => l.level === 'error').map((l) => l.msg);
    expect(errors.filter((m) => m.includes('DKIM')).length).toBe(3);
    expect(errors.some((m) => m.includes('DMARC'))).toBe(true);
  });
});
