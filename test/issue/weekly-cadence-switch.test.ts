/**
 * A reader who switches from daily to weekly in the middle of a week does not get that week's
 * papers twice: a week they had daily issues of is not sent to them as a weekly issue. Real
 * SQLite, the shipped topic map and templates, the ledger, and a real SMTP server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { sendIssue } from '../../src/issue/send-issue.js';
import { sendWeeklyIssue } from '../../src/issue/send-weekly-issue.js';
import { renderCadenceChoice } from '../../src/web/views/render-cadence-choice.js';
import { ROOT } from '../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';

let s: Scratch;
let smtp: TestSmtpServer;
let app: App;
beforeEach(async () => {
  smtp = await startSmtpServer();
  s = scratch({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://news.example.org', TOPICS_FILE: path.join(ROOT, 'content/topics.yml') });
  app = s.app();
  await app.store().importSubscribers([
    { line: 2, input: { email: 'switcher@example.org' } },
    { line: 3, input: { email: 'mon@example.org', cadence: 'weekly:mon' } },
  ]);
});
afterEach(async () => {
  await app.close();
  await smtp.close();
});

const to = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));

describe('switching from daily to weekly mid-week', () => {
  it("does not send the week the reader had as daily issues again as a weekly issue", async () => {
    // Tuesday and Wednesday of week 11, as daily issues to the daily reader.
    writeDigest(s, '2026-03-10', [paper('kv', 1, 9), paper('distill', 2, 5)]);
    await sendIssue(app, { source: s.digests });
    writeDigest(s, '2026-03-11', [paper('kv', 3, 9), paper('robot', 4, 5)]);
    await sendIssue(app, { source: s.digests });
    expect(to('switcher@example.org')).toHaveLength(2);
    // On Thursday they switch to weekly on Monday.
    const switcher = (await app.store().getSubscriberByEmail('switcher@example.org'))!;
    await app.store().setSubscriberPreferences(switcher.id, { cadence: 'weekly:mon' });

    // Monday of week 12: week 11 goes to the reader who was weekly all along, not to the switcher.
    const dry = await sendWeeklyIssue(app, { today: '2026-03-16', dryRun: true });
    expect(dry).toMatchObject({ issueId: '2026-W11', wouldSend: 1 });
    const monday = await sendWeeklyIssue(app, { today: '2026-03-16' });
    expect(monday).toMatchObject({ issueId: '2026-W11', mode: 'send', summary: { sent: 1, skipped: 1 } });
    expect(to('mon@example.org')).toHaveLength(1);
    expect(to('switcher@example.org')).toHaveLength(2);
    expect(await app.store().getDelivery('2026-W11', switcher.id)).toBeNull();
  });

  it('is explained on the preferences page, and not on the subscribe form', () => {
    expect(String(renderCadenceChoice('daily', undefined, true))).toMatch(/a week you had daily emails of is not sent again as a weekly email/);
    expect(String(renderCadenceChoice('daily'))).not.toMatch(/Changing this/);
  });
});
