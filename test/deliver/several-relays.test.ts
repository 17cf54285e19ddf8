/**
 * Several relays (issue #23, item 3): SMTP_URL's list (parse-relay-list.ts, secrets kept out
 * of every name), the pick by weight and the drain (pick-relay.ts), and, end to end, two real
 * smtp-server relays of which one is killed mid-run: every message arrives once, the rest
 * through the other, and the ledger names the relay that accepted each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo, Socket } from 'node:net';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import { parseRelayList } from '../../src/deliver/parse-relay-list.js';
import { createRelayPicker, RELAY_FAIL_LIMIT } from '../../src/deliver/pick-relay.js';
import { redactSecrets, secretsIn } from '../../src/redact-secrets.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { deliverOneLineIssue } from './support/deliver-one-line-issue.js';

describe('SMTP_URL with several relays', () => {
  it('reads weights, keeps other parameters, and names each relay without its user or password', () => {
    const relays = parseRelayList('smtp://ann:s3cret,pw@a.example:587?weight=3&tls_reject_unauthorized=false, smtps://bob:hunter22@b.example');
    expect(relays.map((r) => [r.name, r.weight])).toEqual([
      ['smtp://a.example:587', 3],
      ['smtps://b.example', 1],
    ]);
    expect(relays[0]!.url).toBe('smtp://ann:s3cret,pw@a.example:587?tls_reject_unauthorized=false');
    expect(parseRelayList('smtp://mail.example.org:25')).toEqual([{ url: 'smtp://mail.example.org:25', weight: 1, name: 'smtp://mail.example.org:25' }]);
  });

  it('refuses a bad relay or weight in one line that shows no password (exit 2 in the CLI)', () => {
    for (const bad of ['smtp://u:topsecret99@a.example?weight=0', 'smtp://u:topsecret99@a.example,http://b.example', 'smtp://u:topsecret99@a.example?weight=lots']) {
      let error: unknown;
      try {
        loadConfig({ SMTP_URL: bad, SECRET_KEY: 'x'.repeat(32) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as Error).message;
      expect(text).toMatch(/^SMTP_URL must be /m);
      expect(text).not.toContain('topsecret99');
    }
  });

  it('names the real problem in one line: another scheme, a misspelt or doubled weight, a relay twice; the help survives masking', () => {
    const problem = (smtpUrl: string, env: Record<string, string> = {}) => {
      try {
        loadConfig({ SMTP_URL: smtpUrl, SECRET_KEY: 'x'.repeat(32), ...env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).problems).toHaveLength(1);
        return redactSecrets((e as ConfigError).problems[0]!, secretsIn({ SMTP_URL: smtpUrl }));
      }
      return null;
    };
    expect(problem('nope')).toBe('SMTP_URL must be smtp://USER:PASSWORD@HOST:PORT or smtps://USER:PASSWORD@HOST:PORT, several separated by commas (got "nope")');
    expect(problem('smtp://u:topsecret99@127.0.0.1:12536?weight=3,http://u:topsecret98@127.0.0.1:1?weight=2')).toMatch(
      /^SMTP_URL must be smtp:\/\/USER:PASSWORD@HOST:PORT .*; http:\/\/ is not a relay paperpost can send through \(got "smtp:\/\/u:\*\*\*@/,
    );
    expect(problem('smtp://u:topsecret99@a.example?Weight=5')).toMatch(/^SMTP_URL must be a weight written \?weight=N, in lower case; "Weight" would be ignored/);
    expect(problem('smtp://u:topsecret99@a.example?weight=2&weight=3')).toMatch(/^SMTP_URL must be one weight per relay; weight is given twice/);
    expect(problem('smtp://u:topsecret99@a.example:587,smtp://u:topsecret99@a.example:587?weight=2')).toMatch(
      /^SMTP_URL must be each relay once \(give it a weight instead\); smtp:\/\/a\.example:587 with the same user is listed twice \(relay 2 of 2\)/,
    );
    // Two accounts on one relay are two relays.
    expect(problem('smtp://u:topsecret99@127.0.0.1:12536,smtp://u2:topsecret98@127.0.0.1:12536')).toBeNull();
    for (const p of [problem('nope'), problem('smtp://u:topsecret99@a.example?Weight=5')]) expect(p).not.toContain('topsecret99');
  });

  it('says a problem once, and refuses a first backoff longer than the longest', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ SEND_RETRY_MAX_MS: '99999999999999999' })).toEqual(['SEND_RETRY_MAX_MS must be a whole number from 1 to 3600000 (got "99999999999999999")']);
    expect(problems({ SEND_RETRY_BASE_MS: '5000', SEND_RETRY_MAX_MS: '1000' })).toEqual(['SEND_RETRY_BASE_MS must be at most SEND_RETRY_MAX_MS, the longest wait (got 5000 and 1000)']);
    expect(problems({ SEND_RETRY_MAX_MS: '500' })).toEqual(['SEND_RETRY_BASE_MS must be at most SEND_RETRY_MAX_MS, the longest wait (got 1000 and 500)']);
    expect(problems({ SEND_RETRY_BASE_MS: '1000', SEND_RETRY_MAX_MS: '1000' })).toEqual([]);
  });

  it('masks the password of every relay', () => {
    const env = { SMTP_URL: 'smtp://ann:first-secret-1@a.example?weight=2,smtp://bob:second-secret-2@b.example' };
    const line = redactSecrets('failed: first-secret-1 and second-secret-2', secretsIn(env));
    expect(line).toBe('failed: *** and ***');
  });

  it('picks by weight among healthy relays and drains one after three failed connections', () => {
    let t = 0;
    let r = 0;
    const picker = createRelayPicker(
      [
        { name: 'a', weight: 3, createConnection: () => null as never },
        { name: 'b', weight: 1, createConnection: () => null as never },
      ],
      1000,
      () => r,
      () => t,
    );
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 100; i++) {
      r = i / 100;
      counts[picker.pick().name as 'a' | 'b']++;
    }
    expect(counts).toEqual({ a: 75, b: 25 });
    const a = (r = 0, picker.pick());
    for (let i = 0; i < RELAY_FAIL_LIMIT - 1; i++) picker.failed(a);
    expect(picker.pick().name).toBe('a');
    picker.failed(a);
    for (let i = 0; i < 10; i++) expect((r = i / 10, picker.pick()).name).toBe('b');
    t = 1000;
    expect((r = 0, picker.pick()).name).toBe('a');
  });

  it('drains a relay that refuses several domains in a row for now, not one that refuses one domain, nor the only relay', () => {
    const relay = (name: string) => ({ name, weight: 1, createConnection: () => null as never });
    const picker = createRelayPicker([relay('a'), relay('b')], 1000, () => 0, () => 0);
    const a = picker.pick();
    expect(a.name).toBe('a');
    // One domain's throttle, however often: the domain's pacer backs off, the relay stays.
    for (let i = 0; i < 5; i++) expect(picker.refused(a, 'gmail.com')).toBe(false);
    expect(picker.pick().name).toBe('a');
    picker.accepted(a);
    expect(picker.refused(a, 'gmail.com')).toBe(false);
    expect(picker.refused(a, 'example.net')).toBe(false);
    expect(picker.refused(a, 'gmail.com')).toBe(true);
    expect(picker.pick().name).toBe('b');
    // Asked to avoid a relay, the picker takes another healthy one.
    const both = createRelayPicker([relay('a'), relay('b')], 1000, () => 0, () => 0);
    expect(both.pick(both.pick()).name).toBe('b');
    // The only relay is never drained: there is nowhere else to send.
    const one = createRelayPicker([relay('a')], 1000, () => 0, () => 0);
    const only = one.pick();
    for (const d of ['gmail.com', 'example.net', 'example.org', 'yahoo.com']) expect(one.refused(only, d)).toBe(false);
    expect(one.pick()).toBe(only);
  });
});

/** A relay whose accepted messages are counted by Message-ID, and that can be killed. */
async function startRelay(onAccept: (relay: TestRelay, messageId: string) => 'kill' | void) {
  const sockets = new Set<Socket>();
  const relay: TestRelay = { port: 0, accepted: [], killed: false, kill: () => undefined, close: async () => undefined };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onConnect(session, cb) {
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const id = /^Message-ID: (.*)$/im.exec(Buffer.concat(chunks).toString())?.[1]?.trim() ?? '';
        if (onAccept(relay, id) === 'kill') return relay.kill();
        relay.accepted.push(id);
        cb(null, 'OK queued');
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.server.address() as AddressInfo).port;
  relay.kill = () => {
    relay.killed = true;
    server.server.close();
    for (const s of sockets) s.destroy();
  };
  relay.close = () => new Promise<void>((resolve) => (relay.killed ? resolve() : server.close(() => resolve())));
  return relay;
}
interface TestRelay {
  port: number;
  accepted: string[];
  killed: boolean;
  kill(): void;
  close(): Promise<void>;
}

describe('two relays, one killed mid-run', () => {
  const ISSUE = '2026-03-04';
  const TOTAL = 300;
  const KILL_AT = 40;
  let store: Store;
  let relays: TestRelay[] = [];
  beforeEach(async () => {
    store = createSqliteStore(new Database(':memory:'));
    await store.importSubscribers(Array.from({ length: TOTAL }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
    await store.freezeIssue(ISSUE, '{}');
  });
  afterEach(async () => {
    for (const r of relays) await r.close();
    relays = [];
    await store.close();
  });

  it('delivers everything exactly once, the rest through the survivor, and records the relay of each', async () => {
    const a = await startRelay((relay) => (relay.accepted.length === KILL_AT ? 'kill' : undefined));
    const b = await startRelay(() => undefined);
    relays = [a, b];
    const relay = (name: string, port: number, weight: number) => ({
      name,
      weight,
      createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }),
    });
    const transport = createSmtpPoolTransport({ name: 'two relays', size: 4, relays: [relay(`smtp://127.0.0.1:${a.port}`, a.port, 3), relay(`smtp://127.0.0.1:${b.port}`, b.port, 1)] });
    const summary = await deliverOneLineIssue({ store, transport, issueId: ISSUE, maxAttempts: 4, retryBaseMs: 20 });
    expect(a.killed).toBe(true);
    expect(summary).toMatchObject({ sent: TOTAL, deferred: 0, failed: 0, complete: true });

    // Exactly once across both relays; the ones after the kill all through B.
    const all = [...a.accepted, ...b.accepted];
    expect(new Set(all).size).toBe(TOTAL);
    expect(all).toHaveLength(TOTAL);
    expect(a.accepted).toHaveLength(KILL_AT);
    expect(b.accepted).toHaveLength(TOTAL - KILL_AT);

    // The ledger names the relay that accepted each message, and nothing else.
    const rows = await store.getDeliveries(ISSUE, Array.from({ length: TOTAL }, (_, i) => i + 1));
    const byRelay = new Map<string | undefined, number>();
    for (const d of rows.values()) byRelay.set(d.relay, (byRelay.get(d.relay) ?? 0) + 1);
    expect(Object.fromEntries(byRelay)).toEqual({ [`smtp://127.0.0.1:${a.port}`]: KILL_AT, [`smtp://127.0.0.1:${b.port}`]: TOTAL - KILL_AT });
    console.log(`several-relays figures: relay A (weight 3) accepted ${a.accepted.length} before it was killed, relay B ${b.accepted.length}; ${all.length - new Set(all).size} duplicates`);
  });
});
