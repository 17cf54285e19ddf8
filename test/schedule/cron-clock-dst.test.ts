/**
 * The clock changes (issue 11, item 12): `30 2 * * *` in Europe/Berlin skipped 2027-03-28,
 * because 02:30 does not exist that day. A local time that falls into a gap now runs once at
 * the first instant after it, and a local time that happens twice runs once, at its first
 * occurrence. The three ways of reading the schedule (nextRuns, previousRun, start) are
 * checked on a fake clock, and `schedule --next` through the built CLI (dist/cli.js: run
 * `npm run build` first).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTask } from 'node-cron';
import { createCronClock, type CronClock } from '../../src/schedule/create-cron-clock.js';
import { runScheduler } from '../../src/schedule/run-scheduler.js';
import type { DailyJobResult } from '../../src/schedule/run-daily-job.js';
import { runCli } from '../helpers/run-cli.js';
import { addSubscribers, memoryLog, paper, scratch, writeDigest } from './helpers.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

afterEach(() => {
  vi.useRealTimers();
});

/** The clock's next `count` runs as ISO strings, asked at `now`. */
function nextRuns(pattern: string, timezone: string, now: string, count: number): string[] {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
  return createCronClock(pattern, timezone).nextRuns(count).map((d) => d.toISOString());
}

/** The local calendar day of `iso` in `timezone`, e.g. "2027-03-28". */
const localDay = (iso: string, timezone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date(iso));

/** The local days in order, each checked to follow the one before it. */
function expectEveryDayOnce(runs: string[], timezone: string): void {
  const days = runs.map((r) => localDay(r, timezone));
  for (let i = 1; i < days.length; i++) {
    const gap = Date.parse(`${days[i]}T00:00:00Z`) - Date.parse(`${days[i - 1]}T00:00:00Z`);
    expect(gap, `${days[i - 1]} then ${days[i]}`).toBe(DAY);
  }
}

describe('nextRuns across the clock changes', () => {
  it('runs 02:30 Berlin at 03:00 on the spring-forward day, once, and skips no day', () => {
    const runs = nextRuns('30 2 * * *', BERLIN, '2027-03-20T12:00:00Z', 15);
    expect(runs.filter((r) => r.startsWith('2027-03-28'))).toEqual(['2027-03-28T01:00:00.000Z']);
    expect(runs).toContain('2027-03-27T01:30:00.000Z'); // 02:30 CET
    expect(runs).toContain('2027-03-29T00:30:00.000Z'); // 02:30 CEST
    expectEveryDayOnce(runs, BERLIN);
  });

  it('runs 02:30 Berlin once on the fall-back day, at its first occurrence', () => {
    const runs = nextRuns('30 2 * * *', BERLIN, '2027-10-25T12:00:00Z', 15);
    // 02:30 CEST is 00:30Z; the second 02:30 (CET, 01:30Z) does not run.
    expect(runs.filter((r) => r.startsWith('2027-10-31'))).toEqual(['2027-10-31T00:30:00.000Z']);
    expect(runs).toContain('2027-11-01T01:30:00.000Z');
    expectEveryDayOnce(runs, BERLIN);
  });

  it('does the same in America/New_York', () => {
    const spring = nextRuns('30 2 * * *', NEW_YORK, '2027-03-10T12:00:00Z', 10);
    expect(spring.filter((r) => localDay(r, NEW_YORK) === '2027-03-14')).toEqual(['2027-03-14T07:00:00.000Z']); // 03:00 EDT
    expectEveryDayOnce(spring, NEW_YORK);
    const fall = nextRuns('30 1 * * *', NEW_YORK, '2027-11-03T12:00:00Z', 10);
    expect(fall.filter((r) => localDay(r, NEW_YORK) === '2027-11-07')).toEqual(['2027-11-07T05:30:00.000Z']); // 01:30 EDT, not EST
    expectEveryDayOnce(fall, NEW_YORK);
  });

  it('leaves a pattern that never meets a gap or a repeat as node-cron has it', () => {
    for (const [pattern, timezone] of [['0 7 * * *', BERLIN], ['30 2 * * *', 'UTC'], ['0 9 * * 1-5', NEW_YORK]] as const) {
      const runs = nextRuns(pattern, timezone, '2027-01-01T00:00:00Z', 400);
      const probe = createTask(pattern, () => {}, { timezone });
      expect(runs, `${pattern} in ${timezone}`).toEqual(probe.getNextRuns(400).map((d) => d.toISOString()));
      void probe.destroy();
    }
  });

  it('runs several pattern times inside one gap once, at the end of the gap', () => {
    // 02:15 and 02:45 do not exist on 2027-03-28 in Berlin: one run at 03:00 CEST.
    const two = nextRuns('15,45 2 * * *', BERLIN, '2027-03-27T12:00:00Z', 3);
    expect(two).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:15:00.000Z', '2027-03-29T00:45:00.000Z']);
    // With seconds: 02:30:00, :20 and :40 all fall into the gap.
    const seconds = nextRuns('*/20 30 2 * * *', BERLIN, '2027-03-27T12:00:00Z', 2);
    expect(seconds).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
    // An hour pattern that names the hour after the gap as well: 02:30 → 03:00, then 03:30.
    const hours = nextRuns('30 1-3 * * *', BERLIN, '2027-03-27T12:00:00Z', 3);
    expect(hours).toEqual(['2027-03-28T00:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-28T01:30:00.000Z']);
    // A pattern time at the end of the gap itself is not doubled.
    const atEnd = nextRuns('0,30 2,3 * * *', BERLIN, '2027-03-27T23:00:00Z', 3);
    expect(atEnd).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-28T01:30:00.000Z', '2027-03-29T00:00:00.000Z']);
  });

  it('runs an hourly pattern once through the repeated hour', () => {
    const runs = nextRuns('30 * * * *', BERLIN, '2027-10-30T23:00:00Z', 3);
    // 01:30 CEST, 02:30 CEST, then 03:30 CET: the second 02:30 (01:30Z) does not run.
    expect(runs).toEqual(['2027-10-30T23:30:00.000Z', '2027-10-31T00:30:00.000Z', '2027-10-31T02:30:00.000Z']);
    const everyMinute = nextRuns('* * * * *', BERLIN, '2027-10-31T00:58:00Z', 3);
    expect(everyMinute).toEqual(['2027-10-31T00:59:00.000Z', '2027-10-31T02:00:00.000Z', '2027-10-31T02:01:00.000Z']);
  });

  it('stays fast: 150 daily runs well under a second', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T12:00:00Z') });
    const clock = createCronClock('30 2 * * *', BERLIN);
    const started = performance.now();
    const runs = clock.nextRuns(150);
    expect(performance.now() - started).toBeLessThan(500);
    expect(runs).toHaveLength(150);
    expectEveryDayOnce(runs.map((d) => d.toISOString()), BERLIN);
  });
});

describe('previousRun across the clock changes', () => {
  it('finds the shifted spring-forward run', () => {
    const clock = createCronClock('30 2 * * *', BERLIN);
    expect(clock.previousRun(new Date('2027-03-28T05:00:00Z'), 6 * HOUR)?.toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(clock.previousRun(new Date('2027-03-28T00:59:00Z'), 6 * HOUR)).toBeNull();
    expect(createCronClock('30 2 * * *', NEW_YORK).previousRun(new Date('2027-03-14T12:00:00Z'), 6 * HOUR)?.toISOString()).toBe('2027-03-14T07:00:00.000Z');
  });

  it('finds the first occurrence of a repeated time, never the second', () => {
    const clock = createCronClock('30 2 * * *', BERLIN);
    for (const now of ['2027-10-31T01:30:00Z', '2027-10-31T01:45:00Z', '2027-10-31T04:00:00Z']) {
      expect(clock.previousRun(new Date(now), 6 * HOUR)?.toISOString(), now).toBe('2027-10-31T00:30:00.000Z');
    }
    expect(createCronClock('30 1 * * *', NEW_YORK).previousRun(new Date('2027-11-07T06:45:00Z'), 6 * HOUR)?.toISOString()).toBe('2027-11-07T05:30:00.000Z');
  });
});

describe('start on a fake clock', () => {
  /** Starts the clock at `now` and records the run times; `hold` keeps each job running that long. */
  function started(pattern: string, timezone: string, now: string, holdMs = 0) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: new Date(now) });
    const fired: string[] = [];
    const clock: CronClock = createCronClock(pattern, timezone);
    const task = clock.start(async (scheduledFor) => {
      fired.push(scheduledFor.toISOString());
      if (holdMs) await new Promise((r) => setTimeout(r, holdMs));
    });
    return { fired, stop: () => task.stop() };
  }

  it('fires 02:30 Berlin at 03:00 on the spring-forward day, once', async () => {
    const s = started('30 2 * * *', BERLIN, '2027-03-27T12:00:00Z');
    await vi.advanceTimersByTimeAsync(3 * DAY);
    await s.stop();
    expect(s.fired).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z', '2027-03-30T00:30:00.000Z']);
  });

  it('fires 02:30 Berlin once on the fall-back day, at the first occurrence', async () => {
    const s = started('30 2 * * *', BERLIN, '2027-10-30T12:00:00Z');
    await vi.advanceTimersByTimeAsync(2 * DAY);
    await s.stop();
    expect(s.fired).toEqual(['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z']);
  });

  it('fires the New York runs alike', async () => {
    const spring = started('30 2 * * *', NEW_YORK, '2027-03-13T12:00:00Z');
    await vi.advanceTimersByTimeAsync(2 * DAY);
    await spring.stop();
    expect(spring.fired).toEqual(['2027-03-14T07:00:00.000Z', '2027-03-15T06:30:00.000Z']);
    const fall = started('30 1 * * *', NEW_YORK, '2027-11-06T12:00:00Z');
    await vi.advanceTimersByTimeAsync(2 * DAY);
    await fall.stop();
    expect(fall.fired).toEqual(['2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z']);
  });

  it('fires an hourly pattern through both changes without a double or a hole', async () => {
    const spring = started('30 * * * *', BERLIN, '2027-03-27T23:45:00Z');
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    await spring.stop();
    expect(spring.fired).toEqual(['2027-03-28T00:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00.000Z']);
    const fall = started('30 * * * *', BERLIN, '2027-10-30T23:45:00Z');
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    await fall.stop();
    expect(fall.fired).toEqual(['2027-10-31T00:30:00.000Z', '2027-10-31T02:30:00.000Z']);
  });

  it('never runs twice at once, across the shifted run and the regular ones', async () => {
    // The 03:00 run (for 02:30) holds for 45 minutes, so the 03:30 run finds it busy.
    const s = started('30 * * * *', BERLIN, '2027-03-28T00:45:00Z', 45 * 60_000);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    await s.stop();
    expect(s.fired).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-28T02:30:00.000Z']);
  });

  it('fires nothing after stop', async () => {
    const s = started('30 2 * * *', BERLIN, '2027-03-27T12:00:00Z');
    await s.stop();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(s.fired).toEqual([]);
  });

  it('sends the day\'s issue on the spring-forward day through the scheduler', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: new Date('2027-03-27T23:00:00Z') });
    const s = scratch({ TZ: BERLIN, CRON_SCHEDULE: '30 2 * * *' });
    const app = s.app();
    try {
      await addSubscribers(app, 2);
      writeDigest(s, '2027-03-28', [paper('kv', 1, 5), paper('kv', 2, 4), paper('distill', 3, 3)]);
      const controller = new AbortController();
      const results: DailyJobResult[] = [];
      const log = memoryLog();
      const done = runScheduler(app, { log, signal: controller.signal, onResult: (r) => results.push(r) });
      await vi.advanceTimersByTimeAsync(3 * HOUR); // past 03:00 CEST
      await vi.waitFor(() => expect(results).toHaveLength(1), { timeout: 10_000 });
      controller.abort();
      await done;
      expect(results[0]).toMatchObject({ outcome: 'sent' });
      expect((await app.store().lastRuns(5)).map((r) => r.scheduledFor)).toEqual(['2027-03-28T01:00:00.000Z']);
    } finally {
      await app.close();
    }
  });
});

describe('schedule --next through the CLI', () => {
  let cwd: string;
  let preload: string;
  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'pp-dst-'));
    // Pins the CLI's clock, so the 150 days always cross the 2027 changes.
    preload = path.join(cwd, 'fixed-now.mjs');
    writeFileSync(
      preload,
      `const fixed = Date.parse(process.env.PAPERPOST_TEST_NOW);
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...a) { if (a.length === 0) super(fixed); else super(...a); }
  static now() { return fixed; }
};
`,
    );
  }, 120_000);

  const next = (env: Record<string, string>) => {
    const r = runCli(['schedule', '--next', '150'], { cwd, env: { CRON_SCHEDULE: '30 2 * * *', TZ: BERLIN, DATABASE_URL: `sqlite:${path.join(cwd, 'pp.db')}`, ...env } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n');
  };
  const atFixedNow = (now: string) => next({ PAPERPOST_TEST_NOW: now, NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` });

  it('prints 2027-03-28 03:00 once and skips no day', () => {
    const lines = atFixedNow('2026-12-01T12:00:00Z');
    expect(lines).toHaveLength(150);
    expect(lines.filter((l) => l.startsWith('2027-03-2'))).toEqual([
      '2027-03-20T02:30:00+01:00',
      '2027-03-21T02:30:00+01:00',
      '2027-03-22T02:30:00+01:00',
      '2027-03-23T02:30:00+01:00',
      '2027-03-24T02:30:00+01:00',
      '2027-03-25T02:30:00+01:00',
      '2027-03-26T02:30:00+01:00',
      '2027-03-27T02:30:00+01:00',
      '2027-03-28T03:00:00+02:00',
      '2027-03-29T02:30:00+02:00',
    ]);
    expectConsecutiveLocalDays(lines);
  });

  it('prints 2027-10-31 02:30 once, in summer time', () => {
    const lines = atFixedNow('2027-09-01T12:00:00Z');
    expect(lines.filter((l) => l.startsWith('2027-10-31') || l.startsWith('2027-11-01'))).toEqual(['2027-10-31T02:30:00+02:00', '2027-11-01T02:30:00+01:00']);
    expectConsecutiveLocalDays(lines);
  });

  it('skips no day from today either', () => {
    const lines = next({});
    expect(lines).toHaveLength(150);
    expectConsecutiveLocalDays(lines);
    // 02:30 every day, except on a spring-forward day, where 02:30 does not exist.
    for (const l of lines) expect(l).toMatch(/T02:30:00\+01:00$|T02:30:00\+02:00$|T03:00:00\+02:00$/);
  });
});

/** The CLI prints local times ("2027-03-28T03:00:00+02:00"); each day follows the one before. */
function expectConsecutiveLocalDays(lines: string[]): void {
  for (let i = 1; i < lines.length; i++) {
    const gap = Date.parse(`${lines[i]!.slice(0, 10)}T00:00:00Z`) - Date.parse(`${lines[i - 1]!.slice(0, 10)}T00:00:00Z`);
    expect(gap, `${lines[i - 1]} then ${lines[i]}`).toBe(DAY);
  }
}
