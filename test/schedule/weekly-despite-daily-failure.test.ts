/**
 * The weekly issue is built from stored daily issues, so a tick whose daily part fails (the
 * source is down, a pre-send check stops the day's issue) still sends the week to the weekly
 * readers whose day it is; the run is still recorded as failed and still throws. Real SQLite, the
 * outbox and the shipped templates; only the tick's time is chosen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { DigestError } from '../../src/errors.js';
import { prepareIssue } from '../../src/issue/prepare-issue.js';
import { runDailyJob } from '../../src/schedule/run-daily-job.js';
import { memoryLog, paper, scratch, type Scratch } from './helpers.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const emls = (s: Scratch, issueId: string) => {
  const dir = path.join(s.dir, 'outbox', issueId);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0;
};

describe('a tick whose daily part fails', () => {
  it('still sends the last week to the weekly readers whose day it is, and is recorded as failed', async () => {
    const s = scratch({ DIGEST_SOURCE: '/nonexistent/digest.json' });
    app = s.app();
    await app.store().importSubscribers([{ line: 2, input: { email: 'wx@example.org', cadence: 'weekly:mon' } }]);
    // Friday of week 10 was sent as a daily issue.
    const { compiled } = await prepareIssue(app, { date: '2026-03-06', source: 'test', papers: [paper('kv', 1, 5), paper('distill', 2, 3)] });
    await app.store().freezeIssue(compiled.id, JSON.stringify(compiled));
    await app.store().markIssueSent(compiled.id);

    // Monday of week 11: the digest cannot be read.
    const log = memoryLog();
    await expect(runDailyJob(app, { log, scheduledFor: new Date('2026-03-09T07:00:00Z'), sleep: async () => {} })).rejects.toBeInstanceOf(DigestError);
    expect(emls(s, '2026-W10')).toBe(1);
    const [run] = await app.store().lastRuns(1);
    expect(run).toMatchObject({ outcome: 'failed' });
    expect(run!.detail).toMatch(/nonexistent.*; weekly issue 2026-W10: written to the outbox 1/s);
  });
});
