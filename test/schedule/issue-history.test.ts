/**
 * Three consecutive digests that overlap, as trending lists do: repeats move to "Still
 * trending" (upvotes then → now), themes say how long they have been running, and a day of
 * repeats only is not sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { App } from '../../src/app.js';
import { runDailyJob } from '../../src/schedule/run-daily-job.js';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import { applyIssueHistory } from '../../src/issue/apply-issue-history.js';
import { addSubscribers, memoryLog, paper, scratch, writeDigest } from './helpers.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('issue history across days', () => {
  it('moves repeats to Still trending, tracks theme streaks, and does not send an all-repeat day', async () => {
    const s = scratch();
    const app = s.app();
    apps.push(app);
    await addSubscribers(app, 2);
    const log = memoryLog();
    const day1 = [paper('kv', 1, 10), paper('kv', 2, 8), paper('distill', 3, 6), paper('distill', 4, 5)];
    const day2 = [{ ...paper('kv', 1, 25) }, paper('kv', 5, 9), paper('kv', 6, 7), paper('robot', 7, 4), paper('robot', 8, 3)];
    const day3 = [{ ...paper('kv', 1, 31) }, { ...paper('robot', 7, 12) }];

    writeDigest(s, '2026-03-02', day1);
    expect(await runDailyJob(app, { log })).toMatchObject({ outcome: 'sent', issueId: '2026-03-02' });
    writeDigest(s, '2026-03-03', day2);
    expect(await runDailyJob(app, { log })).toMatchObject({ outcome: 'sent', issueId: '2026-03-03' });

    const issue2 = JSON.parse((await app.store().getIssue('2026-03-03'))!.frozen) as CompiledIssue;
    const carried = issue2.themes.flatMap((t) => t.papers.map((p) => p.id));
    expect(carried).not.toContain(paper('kv', 1, 0).id); // sent on day 1: not repeated in full
    expect(carried).toEqual(expect.arrayContaining([paper('kv', 5, 0).id, paper('robot', 7, 0).id]));

    const box = path.join(s.dir, 'outbox', '2026-03-03');
    const mail = await simpleParser(readFileSync(path.join(box, readdirSync(box).find((f) => f.endsWith('.eml'))!)));
    expect(mail.text).toMatch(/STILL TRENDING/);
    const still = mail.text!.slice(mail.text!.indexOf('STILL TRENDING'));
    expect(still).toContain(paper('kv', 1, 0).title);
    expect(still).toMatch(/10 → 25 upvotes/); // upvotes then → now
    expect(mail.html).toContain('Still trending');
    // The KV theme ran on day 1 too; the robot theme is new.
    expect(mail.text).toMatch(/2nd day running/);
    expect(mail.text).toMatch(/new today/);

    writeDigest(s, '2026-03-04', day3);
    const third = await runDailyJob(app, { log });
    expect(third).toMatchObject({ outcome: 'not-sent' });
    expect(third.detail).toMatch(/all 2 papers of 2026-03-04 were already sent/);
    expect(await app.store().getIssue('2026-03-04')).toBeNull();

    // When the newest digest the source offers is older than the last issue, it is ignored.
    unlinkSync(path.join(s.digests, 'digest-2026-03-04.json'));
    unlinkSync(path.join(s.digests, 'digest-2026-03-03.json'));
    const older = await runDailyJob(app, { log });
    expect(older).toMatchObject({ outcome: 'nothing-new' });
    expect(older.detail).toMatch(/the newest digest \(2026-03-02\) is older than the last issue \(2026-03-03\); ignored/);
  });

  it('drops repeats entirely when configured to', () => {
    const p1 = paper('kv', 1, 10);
    const p2 = paper('kv', 2, 3);
    const themed = { date: '2026-03-03', source: 't', themes: [{ id: 'kv-cache', label: 'KV Cache', keywords: [], other: false, papers: [p1, p2] }] };
    const earlier = new Map([[p1.id, { issueId: '2026-03-02', paperId: p1.id, title: p1.title, url: p1.url, upvotes: 4, themeLabel: 'KV Cache' }]]);
    const kept = applyIssueHistory(themed, earlier, [...earlier.values()], 'still-trending');
    expect(kept.stillTrending).toEqual([expect.objectContaining({ paperId: p1.id, upvotesThen: 4, upvotesNow: 10 })]);
    expect(kept.themeStatus['kv-cache']).toBe('2nd day running');
    const dropped = applyIssueHistory(themed, earlier, [...earlier.values()], 'drop');
    expect(dropped.stillTrending).toEqual([]);
    expect(dropped.themed.themes[0]!.papers.map((p) => p.id)).toEqual([p2.id]);
  });
});
