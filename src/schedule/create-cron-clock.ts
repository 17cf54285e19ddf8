/**
 * The daily timing: when CRON_SCHEDULE in TZ runs, for `schedule`, `schedule --next` and the
 * catch-up. node-cron reads the pattern and drives the live trigger, but it gets the clock
 * changes wrong for a newsletter. A local time that does not exist (spring forward: 02:30 on
 * 2027-03-28 in Europe/Berlin) never runs, so that day's issue is skipped. A local time that
 * happens twice (fall back) runs at whichever pass its arithmetic lands on (the second in
 * Berlin, the first in New York). This clock keeps node-cron and corrects both:
 *
 * - a pattern time inside a gap runs once, at the first instant after the gap (03:00 local);
 *   several pattern times in the same gap still run once;
 * - a pattern time that happens twice runs once, at its first occurrence.
 *
 * Months are never scanned minute by minute:
 *
 * 1. Find the clock changes near the range asked about: the UTC offset (from Intl) is read
 *    once a day, and a change is narrowed down to the second by bisection.
 * 2. Each change owns a window of instants and works out its own runs there. A spring-forward
 *    change owns the one tick that ends the gap; it runs if a pattern time falls in the gap
 *    or on that tick. A fall-back change owns both passes of the repeated hour; it runs the
 *    pattern's matches of the first pass only.
 * 3. Outside the windows node-cron is right, and its runs (getNextRuns, match, the live task)
 *    are used as they are; the ones inside a window are dropped.
 * 4. start() keeps node-cron's task for the regular runs and adds a timer for the window runs;
 *    the two never run the job at once (noOverlap across both).
 */
import { createTask, parse, type ScheduledTask } from 'node-cron';

/** The daily timing, as the scheduler needs it (node-cron underneath). */
export interface CronClock {
  /** The next `count` run times after now. */
  nextRuns(count: number): Date[];
  /** The latest run time at or before `now` and no more than `withinMs` before it, or null. */
  previousRun(now: Date, withinMs: number): Date | null;
  /** Calls `job` at every run time (never twice at once); returns a stop function. */
  start(job: (scheduledFor: Date) => Promise<void>): { stop(): Promise<void> };
}

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far ahead the live trigger works out the clock changes at a time. */
const LOOKAHEAD_MS = 400 * DAY;
/** A window run that the timer reaches later than this (a suspended machine) is missed, as node-cron misses its own. */
const LATE_MS = MINUTE;

/** A change of the zone's UTC offset: `at` is the first instant with the `after` offset (ms). */
interface ClockChange {
  at: number;
  before: number;
  after: number;
}

/** The instants [from, to) that a clock change owns, and its runs among them. */
interface ClockWindow {
  from: number;
  to: number;
  runs: number[];
}

/** node-cron tasks that are never started: the pattern's matchers and next-run calculators. */
interface Probes {
  /** The pattern in the zone. */
  zoned: ScheduledTask;
  /** The pattern without its seconds field, in the zone: does a minute hold a run? */
  zonedMinute: ScheduledTask;
  /** The same, in UTC: reads a wall-clock time given as UTC, such as one inside a gap. */
  wallMinute: ScheduledTask;
  destroy(): void;
}

/** The clock for `pattern` (5 or 6 fields, or a nickname) in `timezone`. */
export function createCronClock(pattern: string, timezone: string): CronClock {
  const fields = pattern.trim().split(/\s+/);
  const withSeconds = fields.length === 6;
  const minutePattern = withSeconds ? fields.slice(1).join(' ') : pattern;
  // Two schedulers must name a tick alike, so a time is cut to the pattern's resolution.
  const step = withSeconds ? SECOND : MINUTE;
  const cut = (ms: number) => Math.floor(ms / step) * step;
  // A cheap first test of a wall-clock minute (hour and minute by arithmetic) before a probe
  // reads its date, so a window far from the pattern's hours costs no Intl call.
  const fieldValues = parse(pattern);
  const hours = new Set(fieldValues.hour);
  const minutes = new Set(fieldValues.minute);
  const mod = (n: number, m: number) => ((n % m) + m) % m;
  const mayMatch = (wall: number) => hours.has(mod(Math.floor(wall / HOUR), 24)) && minutes.has(mod(Math.floor(wall / MINUTE), 60));

  const probes = (): Probes => {
    const make = (p: string, tz: string) => createTask(p, () => {}, { timezone: tz, name: 'paperpost-probe' });
    const zoned = make(pattern, timezone);
    const zonedMinute = withSeconds ? make(minutePattern, timezone) : zoned;
    const wallMinute = make(minutePattern, 'UTC');
    return {
      zoned,
      zonedMinute,
      wallMinute,
      destroy() {
        for (const t of new Set([zoned, zonedMinute, wallMinute])) void t.destroy();
      },
    };
  };
  const withProbes = <T>(use: (p: Probes) => T): T => {
    const p = probes();
    try {
      return use(p);
    } finally {
      p.destroy();
    }
  };

  /** The window of one clock change (step 2 of the file comment). */
  const windowOf = (change: ClockChange, p: Probes): ClockWindow => {
    const { at, before, after } = change;
    if (after > before) {
      // Spring forward: the wall-clock times [at + before, at + after) do not exist. Any
      // pattern time among them runs once, at the first tick after the gap.
      const tick = Math.ceil(at / step) * step;
      let inGap = false;
      for (let wall = Math.ceil((at + before) / MINUTE) * MINUTE; wall < at + after && !inGap; wall += MINUTE) {
        inGap = mayMatch(wall) && p.wallMinute.match(new Date(wall));
      }
      return { from: tick, to: tick + step, runs: inGap || p.zoned.match(new Date(tick)) ? [tick] : [] };
    }
    // Fall back: the wall-clock times of [at - d, at) come again in [at, at + d). Only the
    // first pass runs.
    const d = before - after;
    const runs: number[] = [];
    for (let minute = Math.floor((at - d) / MINUTE) * MINUTE; minute < at; minute += MINUTE) {
      if (!mayMatch(minute + before) || !p.zonedMinute.match(new Date(minute))) continue;
      if (!withSeconds) {
        if (minute >= at - d) runs.push(minute);
        continue;
      }
      for (let ms = minute; ms < minute + MINUTE && ms < at; ms += SECOND) {
        if (ms >= at - d && p.zoned.match(new Date(ms))) runs.push(ms);
      }
    }
    return { from: at - d, to: at + d, runs };
  };

  /** The windows of the clock changes that may reach into [from, to]. */
  const windowsBetween = (from: number, to: number, p: Probes): ClockWindow[] =>
    clockChanges(timezone, from - DAY, to + DAY)
      .map((c) => windowOf(c, p))
      .filter((w) => w.to > from && w.from <= to);

  const ownerOf = (windows: ClockWindow[], ms: number) => windows.find((w) => ms >= w.from && ms < w.to);

  return {
    nextRuns(count) {
      return withProbes((p) => {
        const now = Date.now();
        // node-cron's runs up to its last one are complete, and so are the windows' runs up to
        // there; when windows drop more than they add, ask node-cron for more.
        for (let n = Math.max(count, 1); ; n *= 2) {
          const native = p.zoned.getNextRuns(n).map((d) => d.getTime());
          const horizon = native.at(-1) ?? now;
          const windows = windowsBetween(now, horizon, p);
          const runs = new Set(native.filter((ms) => !ownerOf(windows, ms)));
          for (const w of windows) for (const ms of w.runs) if (ms > now && ms <= horizon) runs.add(ms);
          const sorted = [...runs].sort((a, b) => a - b);
          if (sorted.length >= count || native.length < n) return sorted.slice(0, count).map((ms) => new Date(ms));
        }
      });
    },
    previousRun(now, withinMs) {
      return withProbes((p) => {
        const start = cut(now.getTime());
        const earliest = now.getTime() - withinMs;
        const windows = windowsBetween(earliest, start, p);
        for (let at = start; at >= earliest; at -= step) {
          const w = ownerOf(windows, at);
          if (w ? w.runs.includes(at) : p.zoned.match(new Date(at))) return new Date(at);
        }
        return null;
      });
    },
    start(job) {
      const p = probes();
      let stopped = false;
      let busy = false;
      // noOverlap across node-cron's task and the window timer.
      const run = async (tick: number): Promise<void> => {
        if (busy || stopped) return;
        busy = true;
        try {
          await job(new Date(tick));
        } finally {
          busy = false;
        }
      };

      // The windows from a recent instant on; worked out again once the cache nears its end.
      let cache: { from: number; to: number; windows: ClockWindow[] } | undefined;
      const windowsFrom = (ms: number) => {
        if (!cache || ms < cache.from || ms + 2 * DAY > cache.to) cache = { from: ms, to: ms + LOOKAHEAD_MS, windows: windowsBetween(ms, ms + LOOKAHEAD_MS, p) };
        return cache.windows;
      };

      // 1. node-cron fires the regular runs; a tick inside a window belongs to the timer.
      const task = createTask(
        pattern,
        (ctx) => {
          const tick = cut(ctx.date.getTime());
          return ownerOf(windowsFrom(tick), tick) ? undefined : run(tick);
        },
        { timezone, name: 'paperpost-daily', noOverlap: true },
      );
      void task.start();

      // 2. The timer fires the window runs: it sleeps until the next one, a day at most.
      let timer: NodeJS.Timeout | undefined;
      let after = Date.now();
      const nextWindowRun = () => {
        const runs = windowsFrom(after).flatMap((w) => w.runs).filter((ms) => ms > after);
        return runs.length ? Math.min(...runs) : undefined;
      };
      const wake = () => {
        if (stopped) return;
        const now = Date.now();
        let due = nextWindowRun();
        while (due !== undefined && due <= now) {
          after = due;
          if (now - due <= LATE_MS) void run(due).catch((e: unknown) => console.error('paperpost: the scheduled run failed', e));
          due = nextWindowRun();
        }
        if (due === undefined) after = Math.max(after, now);
        timer = setTimeout(wake, due === undefined ? DAY : Math.min(due - now, DAY));
      };
      wake();

      return {
        async stop() {
          stopped = true;
          clearTimeout(timer);
          await task.stop();
          await task.destroy();
          p.destroy();
        },
      };
    },
  };
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at `ms`, in ms ("GMT+02:00" from Intl). */
function offsetAt(timezone: string, ms: number): number {
  let format = offsetFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    offsetFormats.set(timezone, format);
  }
  const name = format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!m) return 0;
  const abs = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * SECOND;
  return m[1] === '-' ? -abs : abs;
}

/** The offset changes in [from, to]: read once a day, each narrowed to the second. */
function clockChanges(timezone: string, from: number, to: number): ClockChange[] {
  const changes: ClockChange[] = [];
  let t = Math.floor(from / SECOND) * SECOND;
  const end = Math.ceil(to / SECOND) * SECOND;
  let offset = offsetAt(timezone, t);
  while (t < end) {
    const next = Math.min(t + DAY, end);
    const nextOffset = offsetAt(timezone, next);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > SECOND) {
        const mid = lo + Math.floor((hi - lo) / (2 * SECOND)) * SECOND;
        if (offsetAt(timezone, mid) === offset) lo = mid;
        else hi = mid;
      }
      changes.push({ at: hi, before: offset, after: offsetAt(timezone, hi) });
    }
    t = next;
    offset = nextOffset;
  }
  return changes;
}
