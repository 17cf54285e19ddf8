/**
 * With several relays in SMTP_URL, one that is down, refuses the login, or is drained for
 * refusing several domains in a row used to be left out without a word: the summary was clean
 * and the operator never learnt a relay was dead. The run now ends with one warning per such
 * relay, naming it by host and port (never the user or password) and why. Real SMTP servers,
 * real SQLite, the built CLI.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { freePort } from '../helpers/free-port.js';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { paper, scratch, writeDigest } from '../schedule/helpers.js';
import { deliverOneLineIssue } from './support/deliver-one-line-issue.js';
import { createRelayPicker } from '../../src/deliver/pick-relay.js';

const ISSUE = '2026-03-10';
// Two domains, interleaved: a relay refusing everything refuses both in a row.
const EMAILS = Array.from({ length: 10 }, (_, i) => (i % 2 ? `n${i}@example.net` : `g${i}@gmail.com`));
let store: Store;
const closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(EMAILS.map((email, i) => ({ line: i + 2, input: { email } })));
  await store.freezeIssue(ISSUE, '{}');
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await store.close();
});

const relay = (port: number, weight: number, auth?: { user: string; pass: string }) => ({
  name: `smtp://127.0.0.1:${port}`,
  weight,
  auth,
  createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }),
});

async function healthy(hooks: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> {
  const s = await startSmtpServer(hooks);
  closers.push(() => s.close());
  return s;
}

const send = (relays: ReturnType<typeof relay>[]) =>
  deliverOneLineIssue({ store, transport: createSmtpPoolTransport({ name: 'relays', size: 2, relays }), issueId: ISSUE, maxAttempts: 3, retryBaseMs: 5, retryMaxMs: 1000 });

describe('a relay left out beside a healthy one', () => {
  it('that is down: one warning naming it by host and port, with ECONNREFUSED', async () => {
    const good = await healthy();
    const dead = await freePort();
    const summary = await send([relay(dead, 1000), relay(good.port, 1)]);
    expect(summary).toMatchObject({ sent: EMAILS.length, complete: true });
    expect(summary.relayNotes).toEqual([expect.stringMatching(new RegExp(`^relay smtp://127\\.0\\.0\\.1:${dead} (was left out after 3 failed connections|failed \\d connections?; the other relays took its messages): ECONNREFUSED$`))]);
  });

  it('that refuses the login: says so, without the user or the password', async () => {
    const good = await healthy();
    const strict = await healthy({ auth: { user: 'news-user', pass: 'right-password' } });
    const summary = await send([relay(strict.port, 1000, { user: 'news-user', pass: 'wrong-password' }), relay(good.port, 1)]);
    expect(summary).toMatchObject({ sent: EMAILS.length, complete: true });
    expect(summary.relayNotes).toHaveLength(1);
    expect(summary.relayNotes![0]).toMatch(new RegExp(`^relay smtp://127\\.0\\.0\\.1:${strict.port} .*: EAUTH: 535 Authentication failed$`));
    expect(summary.relayNotes![0]).not.toMatch(/news-user|wrong-password/);
    expect(strict.received).toHaveLength(0);
  });

  it('that refuses every domain for now (its own limit): said so, drained or not', async () => {
    const good = await healthy();
    const limited = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onRcptTo: (_a, _s, cb) => cb(Object.assign(new Error('4.7.1 Relay rate limit exceeded, try again in 60 seconds'), { responseCode: 451 })),
    });
    await new Promise<void>((resolve) => limited.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => limited.close(() => resolve())));
    const port = (limited.server.address() as AddressInfo).port;
    const summary = await send([relay(port, 1000), relay(good.port, 1)]);
    expect(summary).toMatchObject({ sent: EMAILS.length, complete: true });
    // Drained when its connections carried three refusals before the pool moved to the healthy
    // relay; otherwise (the pool stops asking it sooner) its refusals are still named: either
    // way one line, never none.
    const reply = 'EENVELOPE: 451 4.7.1 Relay rate limit exceeded, try again in 60 seconds';
    expect(summary.relayNotes).toEqual([
      expect.stringMatching(
        new RegExp(`^relay smtp://127\\.0\\.0\\.1:${port} (was left out after refusing 3 messages in a row for now, to several domains \\(its own limit\\)|refused [12] messages? for now that another relay then took): ${reply.replace(/\./g, '\\.')}$`),
      ),
    ]);
  });

  it('with every relay healthy, or only one relay, nothing is said', async () => {
    const a = await healthy();
    const b = await healthy();
    expect((await send([relay(a.port, 1), relay(b.port, 1)])).relayNotes).toBeUndefined();
    await store.freezeIssue('2026-03-11', '{}');
    const one = await deliverOneLineIssue({ store, transport: createSmtpPoolTransport({ name: 'one', size: 2, relays: [relay(a.port, 1)] }), issueId: '2026-03-11', maxAttempts: 3, retryBaseMs: 5 });
    expect(one).toMatchObject({ sent: EMAILS.length });
    expect(one.relayNotes).toBeUndefined();
  });
});

describe('paperpost send with a dead relay in SMTP_URL', () => {
  it('exits 0 and warns in one line naming the dead relay (host and port only)', async () => {
    const good = await healthy();
    const dead = await freePort();
    const s = scratch({ SMTP_URL: `smtp://u:pw-secret@127.0.0.1:${dead}?weight=1000,${good.url}`, SECRET_KEY: 'k'.repeat(32), PUBLIC_URL: 'https://news.example.org' });
    writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('distill', 4, 6)]);
    writeFileSync(path.join(s.dir, 'list.csv'), `email\n${EMAILS.join('\n')}\n`);
    expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
    const r = await runCliAsync(['send'], { cwd: s.dir, env: s.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`sent ${EMAILS.length}, deferred 0, failed 0`));
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: relay'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^warning: relay smtp://127\\.0\\.0\\.1:${dead} .*: ECONNREFUSED$`));
    expect(r.stderr).not.toContain('pw-secret');
  });
});

describe('the relay picker and messages one relay refused for now that another took', () => {
  it('names the relay with how many and the last reply, unless the refusals drained it (then that line alone)', () => {
    const list = ['a', 'b'].map((name) => ({ name, weight: 1, createConnection: () => null as never }));
    const picker = createRelayPicker(list, 30_000, () => 0);
    const a = picker.pick();
    expect(picker.takeNotes()).toEqual([]);
    picker.tookOver(a, '451 4.7.1 slow down');
    expect(picker.takeNotes()).toEqual(['relay a refused 1 message for now that another relay then took: 451 4.7.1 slow down']);
    // Counted per call of takeNotes (per run).
    expect(picker.takeNotes()).toEqual([]);
    picker.tookOver(a, '451 first');
    picker.tookOver(a, '451 second');
    expect(picker.takeNotes()).toEqual(['relay a refused 2 messages for now that another relay then took: 451 second']);
    // Drained for its refusals (three in a row, two domains): the drain's line says it all.
    picker.tookOver(a, '451 x');
    expect(picker.refused(a, 'gmail.com', '451 x')).toBe(false);
    expect(picker.refused(a, 'example.net', '451 x')).toBe(false);
    expect(picker.refused(a, 'gmail.com', '451 x')).toBe(true);
    expect(picker.takeNotes()).toEqual(['relay a was left out after refusing 3 messages in a row for now, to several domains (its own limit): 451 x']);
  });
});
