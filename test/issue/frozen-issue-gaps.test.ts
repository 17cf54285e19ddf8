/**
 * A day's issue is frozen at its first send; a source added for that day afterwards is not sent,
 * and the scheduler and `send` say so, one line per source, with how many papers. Real SQLite,
 * real digest files, the outbox and the shipped templates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { sendIssue } from '../../src/issue/send-issue.js';
import { runDailyJob } from '../../src/schedule/run-daily-job.js';
import type { Paper } from '../../src/types.js';
import { addSubscribers, memoryLog, paper, scratch } from '../schedule/helpers.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('a source added for a day already sent', () => {
  it('is reported, one line with its count, by the scheduler and by send', async () => {
    const s = scratch();
    const write = (name: string, papers: Paper[]) => {
      const file = path.join(s.dir, name);
      writeFileSync(file, JSON.stringify({ date: '2026-12-07', source: name, papers }));
      return file;
    };
    const first = write('first.json', [paper('kv', 1, 5), paper('distill', 2, 3)]);
    const second = write('second.json', [paper('kv', 1, 5), paper('robot', 3, 1), paper('robot', 4, 1), paper('distill', 5, 1)]);
    const app = s.app({ DIGEST_SOURCE: first });
    apps.push(app);
    await addSubscribers(app, 1);
    expect(await runDailyJob(app, { log: memoryLog(), sleep: async () => {} })).toMatchObject({ outcome: 'sent', issueId: '2026-12-07' });

    const both = s.app({ DIGEST_SOURCE: `${first},${second}` });
    apps.push(both);
    const log = memoryLog();
    expect(await runDailyJob(both, { log, sleep: async () => {} })).toMatchObject({ outcome: 'nothing-new' });
    const warned = log.lines.filter((l) => l.level === 'warn').map((l) => l.msg);
    expect(warned).toEqual([expect.stringMatching(/^issue 2026-12-07 went out before source 2 \(.*second\.json\) listed 3 papers, and carries none of them/)]);

    const report = await sendIssue(both, { source: `${first},${second}` });
    expect(report.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/source 2 \(.*second\.json\) listed 3 papers/)]);
    expect(report.summary).toMatchObject({ sent: 0, alreadyDone: 1 });
  });
});
