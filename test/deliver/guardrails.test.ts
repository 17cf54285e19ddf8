/**
 * The run's guardrails (issue #23, item 4; create-guardrail.ts), over real SMTP into a real
 * SQLite file: a run stops, keeping the rest for later, when its hard bounces pass
 * MAX_HARD_BOUNCE_RATE, or when the complaints recorded for the issue pass 0.3% of what it
 * had accepted. It says why in one line (the summary, kept for /admin), and /admin shows it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { DeliverIssueOptions } from '../../src/deliver/deliver-issue.js';
import { createGuardrail, GUARDRAIL_META_KEY, MIN_OUTCOMES, parseRate } from '../../src/deliver/create-guardrail.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { startWebServer } from '../../src/web/start-web-server.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { scratch } from '../schedule/helpers.js';
import { deliverOneLineIssue, sinkPool } from './support/deliver-one-line-issue.js';
import { recordComplaint } from './support/record-complaint.js';

const ISSUE = '2026-03-05';
const TOTAL = 400;
let app: App;
let server: TestSmtpServer;
beforeEach(async () => {
  app = scratch().app();
  const store = app.store();
  await store.importSubscribers(Array.from({ length: TOTAL }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
  await store.freezeIssue(ISSUE, JSON.stringify({ id: ISSUE, subject: 'Guarded issue', sections: [], paperCount: 0, themes: [] }));
});
afterEach(async () => {
  await server?.close();
  await app.close();
});

async function run(over: Partial<DeliverIssueOptions> = {}) {
  const transport = sinkPool(server.port, 2);
  return deliverOneLineIssue({
    store: app.store(),
    transport,
    issueId: ISSUE,
    maxAttempts: 2,
    retryBaseMs: 5,
    ...over,
  });
}

describe('guardrails', () => {
  it('judges hard bounces over the last outcomes, once there are enough of them', () => {
    const g = createGuardrail({ maxHardBounceRate: 0.05, onError: () => undefined });
    for (let i = 0; i < 10; i++) g.note('permanent');
    expect(g.tripped()).toBeNull(); // 10 of 10, but too few to judge
    const fresh = createGuardrail({ maxHardBounceRate: 0.05, onError: () => undefined });
    for (let i = 0; i < 2000; i++) fresh.note(i % 25 === 0 ? 'permanent' : 'sent'); // 4%
    expect(fresh.tripped()).toBeNull();
    for (let i = 0; i < MIN_OUTCOMES; i++) fresh.note(i % 5 === 0 ? 'permanent' : 'sent'); // the last 1,000 now over 5%
    expect(fresh.tripped()).toMatch(/^stopped: \d+ hard bounces in the last 1000 outcomes \(5\.\d\d%\), over MAX_HARD_BOUNCE_RATE \(5\.00%\)/);
  });

  it('reads MAX_HARD_BOUNCE_RATE as a percent, with or without its sign, and refuses what is not one', () => {
    expect(['5%', '5', '1', '1%', '0.5', '100', '100%', ' 2 % '].map(parseRate)).toEqual([0.05, 0.05, 0.01, 0.01, 0.005, 1, 1, 0.02]);
    expect(loadConfig({ MAX_HARD_BOUNCE_RATE: '1' }).maxHardBounceRate).toBe(0.01);
    for (const bad of ['0', '0%', '101', '100.5%', '-1', '-5%', 'five', '5%%', '0.05.1']) {
      let error: unknown;
      try {
        loadConfig({ MAX_HARD_BOUNCE_RATE: bad });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems, bad).toEqual([
        `MAX_HARD_BOUNCE_RATE must be a percent above 0 and at most 100, such as 5% (a bare number is a percent too: 2 is 2%) (got ${JSON.stringify(bad)})`,
      ]);
    }
  });

  it('stops a run whose hard bounces pass MAX_HARD_BOUNCE_RATE, keeps the rest for later, and says so on /admin', async () => {
    // One address in eight is dead: 12.5%.
    server = await startSmtpServer({ onRcptTo: (a) => (Number(/\d+/.exec(a.address)![0]) % 8 === 0 ? smtpError(550, '5.1.1 No such user') : undefined) });
    const summary = await run();
    expect(summary.stoppedBy).toMatch(/^stopped: \d+ hard bounces in the last \d+ outcomes \(\d+\.\d\d%\), over MAX_HARD_BOUNCE_RATE \(5\.00%\); the rest stay queued/);
    expect(summary.stoppedBy).not.toContain('\n');
    expect(summary).toMatchObject({ stoppedEarly: true, complete: false });
    const counts = await app.store().countDeliveries(ISSUE);
    // It stopped soon after the first MIN_OUTCOMES outcomes, with nothing left queued: the rest have no row yet.
    expect(counts.queued).toBe(0);
    expect(counts.sent + counts.failed).toBeGreaterThanOrEqual(MIN_OUTCOMES);
    expect(counts.sent + counts.failed).toBeLessThan(MIN_OUTCOMES + 20);
    expect(server.received.length).toBe(counts.sent);
    expect(await app.store().getMeta(GUARDRAIL_META_KEY(ISSUE))).toBe(summary.stoppedBy);

    const web = await startWebServer(app, { port: 0, host: '127.0.0.1' });
    try {
      const html = await (await fetch(`${web.url}/admin`)).text();
      const row = new RegExp(`<tr><td><a href="/admin/issues/${ISSUE}">[\\s\\S]*?</tr>`).exec(html)![0];
      expect(row).toContain('<strong class="problem">last run stopped: ');
      expect(row).toContain('over MAX_HARD_BOUNCE_RATE (5.00%)');
    } finally {
      await web.close();
    }

    // With a looser line, the next run sends the rest; a complete run clears the line.
    const rest = await run({ maxHardBounceRate: 0.5 });
    expect(rest).toMatchObject({ complete: true });
    expect(rest.stoppedBy).toBeUndefined();
    expect(await app.store().getMeta(GUARDRAIL_META_KEY(ISSUE))).toBe('');
    expect(await app.store().countDeliveries(ISSUE)).toEqual({ queued: 0, sent: TOTAL - TOTAL / 8, failed: TOTAL / 8, deferred: 0 });
  });

  it('stops a run when the complaints recorded for the issue pass 0.3% of what it had accepted', async () => {
    server = await startSmtpServer();
    const store = app.store();
    // A first run reaches 300 readers; 4 of them complain (4 of at least 1,000: 0.4%).
    expect(await run({ limit: 300 })).toMatchObject({ sent: 300, stoppedEarly: true });
    for (let id = 1; id <= 4; id++) await recordComplaint(store, ISSUE, id);
    const summary = await run();
    expect(summary.stoppedBy).toMatch(/^stopped: 4 complaint\(s\) recorded for this issue, 1\.33% of 300 accepted, over the 0\.30% line; the rest stay queued/);
    expect(summary).toMatchObject({ sent: 0, stoppedEarly: true, complete: false });
    expect(server.received).toHaveLength(300);
    expect(await store.countDeliveries(ISSUE)).toEqual({ queued: 0, sent: 300, failed: 0, deferred: 0 });
  });
});
