/**
 * Weekly issues end to end on real parts: a SQLite store, the shipped topic map and templates,
 * the ledger, and a real SMTP server (smtp-server) that keeps what it accepts. Daily issues are
 * frozen in the store as a send freezes them; only the day is chosen by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { cpSync, writeFileSync } from 'node:fs';
import { InputError, TemplateError } from '../../src/errors.js';
import { prepareIssue } from '../../src/issue/prepare-issue.js';
import { prepareWeeklyIssue } from '../../src/issue/prepare-weekly-issue.js';
import { sendIssue } from '../../src/issue/send-issue.js';
import { sendWeeklyIssue } from '../../src/issue/send-weekly-issue.js';
import { audienceCadences } from '../../src/issue/issue-audience.js';
import { addWeeks, daysOfWeek, isoWeekOf, lastFullWeek } from '../../src/iso-week.js';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import type { Paper } from '../../src/types.js';
import { makeVerpToken, readVerpAddress, readVerpToken } from '../../src/bounces/make-verp-address.js';
import { ROOT } from '../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';

let s: Scratch;
let smtp: TestSmtpServer;
let app: App;

beforeEach(async () => {
  smtp = await startSmtpServer();
  s = scratch({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://news.example.org', TOPICS_FILE: path.join(ROOT, 'content/topics.yml'), BOUNCE_DOMAIN: 'bounces.example.org' });
  app = s.app();
  await app.store().importSubscribers([
    { line: 2, input: { email: 'daily1@example.org' } },
    { line: 3, input: { email: 'daily2@example.org', cadence: 'daily' } },
    { line: 4, input: { email: 'mon@example.org', cadence: 'weekly:mon' } },
    { line: 5, input: { email: 'fri@example.org', cadence: 'weekly:fri' } },
  ]);
});
afterEach(async () => {
  await app.close();
  await smtp.close();
});

/** Five papers for a day: `n` makes their ids. */
const day = (n: number): Paper[] => [paper('kv', n * 10 + 1, 9), paper('kv', n * 10 + 2, 7), paper('distill', n * 10 + 3, 5), paper('distill', n * 10 + 4, 3), paper('robot', n * 10 + 5, 1)];
/** Builds a day's issue through the pipeline and freezes it, as its first send does. */
async function freezeDay(date: string, papers: Paper[]) {
  const { compiled } = await prepareIssue(app, { date, source: 'test', papers });
  await app.store().freezeIssue(compiled.id, JSON.stringify(compiled));
  await app.store().markIssueSent(compiled.id);
}
const to = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));
/** The paper every test carries on the last day of week 10 and again on the first of week 11. */
const repeat = paper('kv', 900, 50);

describe('ISO weeks', () => {
  it('names weeks as ISO 8601 does, across years', () => {
    expect(isoWeekOf('2026-03-09')).toBe('2026-W11');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(daysOfWeek('2026-W11')).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15']);
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(lastFullWeek('2026-03-16')).toBe('2026-W11');
    expect(audienceCadences('2026-W11', '2026-03-13')).toEqual([]);
    expect(audienceCadences('2026-W11', '2026-03-17')).toEqual(['weekly:mon', 'weekly:tue']);
    expect(audienceCadences('2026-03-16', '2026-03-17')).toEqual(['daily']);
  });

  it('name a weekly issue in a VERP token, which reads back and cannot be forged', () => {
    const token = makeVerpToken('k'.repeat(32), '2026-W11', 42);
    expect(token).toMatch(/^2026w11-1a-[a-z2-7]{16}$/);
    expect(readVerpToken('k'.repeat(32), token.toUpperCase())).toEqual({ issueId: '2026-W11', subscriberId: 42 });
    expect(readVerpToken('k'.repeat(32), token.replace('2026w11', '2026w12'))).toBeNull();
    expect(readVerpToken('k'.repeat(32), token.replace('2026w11', '2026w54'))).toBeNull();
    expect(() => makeVerpToken('k'.repeat(32), '2026-W54', 42)).toThrow(/YYYY-Www/);
  });
});

describe('weekly issues', () => {
  it("are the week's papers from 5 frozen daily issues without last week's, sent once per reader on their day", async () => {
    // Week 10: one daily issue with the repeat, and its weekly issue sent on Monday of week 11.
    await freezeDay('2026-03-06', [repeat, ...day(0)]);
    const w10 = await sendWeeklyIssue(app, { today: '2026-03-09' });
    expect(w10).toMatchObject({ issueId: '2026-W10', mode: 'send', summary: { sent: 1 } });
    expect(to('mon@example.org')).toHaveLength(1);

    // Week 11: five daily issues, Monday's carrying the repeat in full again.
    const dates = daysOfWeek('2026-W11').slice(0, 5);
    for (const [i, date] of dates.entries()) await freezeDay(date, i === 0 ? [repeat, ...day(i + 1)] : day(i + 1));

    // Not before the week is over.
    const early = await sendWeeklyIssue(app, { weekId: '2026-W11', today: '2026-03-13' });
    expect(early).toMatchObject({ mode: 'not-sent' });
    expect(early.reason).toMatch(/not over yet/);
    expect(await app.store().getIssue('2026-W11')).toBeNull();

    // Monday of week 12: the Monday reader gets week 11, without the paper week 10 carried.
    const monday = await sendWeeklyIssue(app, { today: '2026-03-16' });
    expect(monday).toMatchObject({ issueId: '2026-W11', mode: 'send', frozeNow: true, summary: { sent: 1, failed: 0, deferred: 0 } });
    expect(monday.prepared).toMatchObject({ dailyIssues: dates, previousWeekly: '2026-W10', repeatCount: 1, newPaperCount: 25 });
    const frozen = JSON.parse((await app.store().getIssue('2026-W11'))!.frozen) as CompiledIssue;
    const ids = frozen.themes.flatMap((t) => t.papers.map((p) => p.id));
    expect(ids).toHaveLength(25);
    expect(ids).not.toContain(repeat.id);
    expect(new Set(ids)).toEqual(new Set(dates.flatMap((_, i) => day(i + 1).map((p) => p.id))));
    // Grouped by the topic map, ranked within each section.
    expect(frozen.themes.every((t) => t.kind === 'topic' || t.kind === 'emerging' || t.kind === 'other')).toBe(true);
    for (const t of frozen.themes) expect(t.ranking?.map((r) => r.paper)).toEqual(t.papers.map((p) => p.id));

    const [mail] = to('mon@example.org').slice(1);
    expect(mail!.parsed.subject).toMatch(/week of Mar 9/);
    expect(mail!.parsed.html).toContain('https://news.example.org/archive/week/2026-W11');
    expect(mail!.parsed.html).not.toContain(repeat.title);
    expect(mail!.parsed.text).toContain('Week of Mar 9, 2026');
    // Its footer says what the reader subscribed to: a weekly digest.
    for (const part of [mail!.parsed.text, mail!.parsed.html]) {
      expect(part).toContain('subscribed to paperpost, a weekly digest of trending');
      expect(part).not.toContain('a daily digest');
    }
    const ledger = await app.store().getDelivery('2026-W11', (await app.store().getSubscriberByEmail('mon@example.org'))!.id);
    expect(ledger).toMatchObject({ status: 'sent' });
    expect(mail!.parsed.messageId).toBe(ledger!.messageId);
    // Its Return-Path names the delivery, as a daily one's does (a bounce maps back to it).
    expect(readVerpAddress(app.config.secretKey, 'bounces.example.org', mail!.envelopeFrom)).toEqual({ issueId: '2026-W11', subscriberId: ledger!.subscriberId });
    expect(to('fri@example.org')).toHaveLength(0);
    expect(to('daily1@example.org')).toHaveLength(0);

    // A second run the same day sends nothing; nor does Wednesday.
    const again = await sendWeeklyIssue(app, { today: '2026-03-16' });
    expect(again).toMatchObject({ mode: 'send', frozeNow: false, summary: { sent: 0, alreadyDone: 1 } });
    expect((await sendWeeklyIssue(app, { today: '2026-03-18' })).summary).toMatchObject({ sent: 0 });
    expect(to('mon@example.org')).toHaveLength(2);

    // Friday: the Friday reader gets the same frozen issue, under the same rules.
    const friday = await sendWeeklyIssue(app, { today: '2026-03-20' });
    expect(friday).toMatchObject({ mode: 'send', frozeNow: false, summary: { sent: 1, alreadyDone: 1 } });
    expect(to('fri@example.org').map((m) => m.parsed.subject)).toEqual([mail!.parsed.subject]);
    expect(to('mon@example.org')).toHaveLength(2);
    // Weekly papers are not day history: the day's issue history is unchanged by them.
    expect(await app.store().findEarlierPapers([day(1)[0]!.id], '2026-03-21')).toEqual(new Map());
  });

  it('never go to daily readers, and daily issues never go to weekly readers', async () => {
    writeDigest(s, '2026-03-16', day(7));
    const daily = await sendIssue(app, { source: s.digests });
    expect(daily).toMatchObject({ issueId: '2026-03-16', mode: 'send', summary: { sent: 2, skipped: 2 } });
    expect(smtp.received.flatMap((m) => m.envelopeTo).sort()).toEqual(['daily1@example.org', 'daily2@example.org']);
    const dry = await sendIssue(app, { source: s.digests, dryRun: true });
    expect(dry.wouldSend).toBe(0);

    // The week of that issue, a week later: the weekly readers only, each on their day.
    const monday = await sendWeeklyIssue(app, { today: '2026-03-23', dryRun: true });
    expect(monday).toMatchObject({ issueId: '2026-W12', mode: 'dry-run', wouldSend: 1 });
    const sunday = await sendWeeklyIssue(app, { today: '2026-03-29' });
    expect(sunday).toMatchObject({ issueId: '2026-W12', mode: 'send', summary: { sent: 2 } });
    expect(smtp.received.slice(2).flatMap((m) => m.envelopeTo).sort()).toEqual(['fri@example.org', 'mon@example.org']);
  });

  it('send a test copy to one address as send --to does for a day: [TEST], outside the ledger, not frozen, nobody\'s weekly issue', async () => {
    const dates = daysOfWeek('2026-W11').slice(0, 3);
    for (const [i, date] of dates.entries()) await freezeDay(date, day(i + 1));

    // During the week: its days so far, whoever's day it is.
    const early = await sendWeeklyIssue(app, { weekId: '2026-W11', today: '2026-03-12', to: 'mon@example.org' });
    expect(early).toMatchObject({ issueId: '2026-W11', mode: 'test', weekInProgress: true, frozeNow: false });
    // After it, to a weekly reader whose day has come.
    const test = await sendWeeklyIssue(app, { today: '2026-03-16', to: 'mon@example.org' });
    expect(test).toMatchObject({ issueId: '2026-W11', mode: 'test', weekInProgress: false, frozeNow: false });
    const copies = to('mon@example.org');
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      expect(copy.parsed.subject).toMatch(/^\[TEST\] Trending papers, week of Mar 9: 15 papers/);
      expect(copy.parsed.messageId).toMatch(/^<test\.2026-W11\.[0-9a-f]{16}@/);
      expect(copy.parsed.text).toContain('subscribed to paperpost, a weekly digest of trending');
    }
    // Not recorded: not frozen, no delivery, and the reader still gets their weekly issue.
    const mon = (await app.store().getSubscriberByEmail('mon@example.org'))!;
    expect(await app.store().getIssue('2026-W11')).toBeNull();
    expect(await app.store().getDelivery('2026-W11', mon.id)).toBeNull();
    const sent = await sendWeeklyIssue(app, { today: '2026-03-16' });
    expect(sent).toMatchObject({ issueId: '2026-W11', mode: 'send', frozeNow: true, summary: { sent: 1 } });
    const real = to('mon@example.org')[2]!;
    expect(real.parsed.subject).toBe(copies[1]!.parsed.subject!.replace('[TEST] ', ''));
    expect(real.parsed.messageId).toBe((await app.store().getDelivery('2026-W11', mon.id))!.messageId);

    // Once sent, a test copy is of the frozen issue; a week without daily issues has none to send.
    expect(await sendWeeklyIssue(app, { weekId: '2026-W11', today: '2026-03-17', to: 'someone@example.net' })).toMatchObject({ mode: 'test', weekInProgress: false });
    expect(to('someone@example.net')[0]!.parsed.subject).toBe(copies[1]!.parsed.subject);
    const none = sendWeeklyIssue(app, { weekId: '2026-W09', today: '2026-03-17', to: 'someone@example.net' });
    await expect(none).rejects.toBeInstanceOf(InputError);
    await expect(none).rejects.toThrow('no test copy of weekly issue 2026-W09: no daily issue of 2026-W09 is stored, so there is no week to send');
    expect(to('someone@example.net')).toHaveLength(1);
  });

  it('are not built for a week without daily issues', async () => {
    const r = await sendWeeklyIssue(app, { today: '2026-03-16' });
    expect(r).toMatchObject({ issueId: '2026-W11', mode: 'not-sent' });
    expect(r.reason).toMatch(/no daily issue of 2026-W11/);
    expect(await app.store().getIssue('2026-W11')).toBeNull();
  });

  it("name a broken subject-weekly.txt.hbs, and say where and what in one line", async () => {
    const mail = path.join(s.dir, 'mail');
    cpSync(path.join(ROOT, 'templates'), mail, { recursive: true });
    writeFileSync(path.join(mail, 'subject-weekly.txt.hbs'), 'Week of {{formatDate date "short"}: {{plural paperCount "paper"}}\n');
    const weeklyApp = s.app({ TEMPLATES_DIR: mail });
    try {
      await freezeDay('2026-03-10', day(1));
      const error = await prepareWeeklyIssue(weeklyApp, '2026-W11').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toMatch(
        new RegExp(`^${mail}/subject-weekly\\.txt\\.hbs: Parse error on line 1, after "[^"]*date "short"", at "\\}: \\{\\{plural[^"]*": Expecting .*, got 'INVALID'$`),
      );
    } finally {
      await weeklyApp.close();
    }
  });
});
