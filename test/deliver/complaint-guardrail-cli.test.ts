/**
 * The complaint line as `paperpost send` shows it (README, "Delivery to the big providers"
 * and "Bounces and complaints"): a run stops once the complaints recorded for its issue pass
 * 0.3% of what it had accepted, counted over at least MIN_ACCEPTED messages so that one early
 * complaint does not stop a small first batch; below that stop, a send whose issue is over
 * 0.3% still says so in a warning line. Real SMTP server, real SQLite, the built CLI.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';
import { recordComplaint } from './support/record-complaint.js';

const ISSUE = '2026-03-02';
let server: TestSmtpServer;
let s: Scratch;

beforeEach(async () => {
  server = await startSmtpServer();
  s = scratch({ SMTP_URL: server.url, SECRET_KEY: 'complaint-cli-secret-0123456789', PUBLIC_URL: 'https://news.example.org', UNSUBSCRIBE_MAILTO: 'unsubscribe@example.org' });
  writeDigest(s, ISSUE, [paper('kv', 1, 9), paper('kv', 2, 8), paper('distill', 3, 6)]);
  const rows = Array.from({ length: 120 }, (_, i) => `r${i}@example.org,Reader ${i},`);
  writeFileSync(path.join(s.dir, 'list.csv'), `email,name,themes\n${rows.join('\n')}\n`);
  expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
});
afterEach(async () => {
  await server.close();
});

async function complain(subscriberIds: number[]) {
  const app = s.app();
  try {
    for (const id of subscriberIds) await recordComplaint(app.store(), ISSUE, id);
  } finally {
    await app.close();
  }
}

describe('the complaint line in paperpost send', () => {
  it('warns when the issue is over 0.3% but under the stop, and stops once the complaints pass 0.3% of 1,000', async () => {
    const first = await runCliAsync(['send', '--limit', '100'], { cwd: s.dir, env: s.env });
    expect(first.stdout).toMatch(/sent 100,/);
    // One complaint in 100 accepted: 1%, over the line, but one report is too few to stop a run.
    await complain([1]);
    const second = await runCliAsync(['send', '--limit', '10'], { cwd: s.dir, env: s.env });
    expect(second.stdout).toMatch(/sent 10,/);
    expect(second.stderr).toMatch(new RegExp(`^warning: issue ${ISSUE}: complaint rate 0\\.91% \\(1 of 110\\) is over the 0\\.3%`, 'm'));
    // Four: over 0.3% of 1,000 as well: the run stops, and says why.
    await complain([2, 3, 4]);
    const third = await runCliAsync(['send'], { cwd: s.dir, env: s.env });
    expect(third.code).toBe(1);
    expect(third.stdout).toMatch(/sent 0,/);
    expect(third.stderr).toMatch(new RegExp(`^issue ${ISSUE}: stopped: 4 complaint\\(s\\) recorded for this issue, 3\\.64% of 110 accepted, over the 0\\.30% line`, 'm'));
    expect(server.received).toHaveLength(110);
  });
});
