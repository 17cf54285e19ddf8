/**
 * The doctor seen from outside. A message `paperpost send` composes and signs (DKIM_* set to a
 * generated key) passes mailauth's full authentication — SPF for the relay, DKIM over the
 * headers paperpost signs, aligned DMARC — against the same test zone the doctor passes; and
 * `paperpost doctor` refuses bad configuration with exit 2 and one line, before any lookup.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { authenticate } from 'mailauth';
import { runCli, runCliAsync } from '../../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../../schedule/helpers.js';
import { runDoctor } from '../../../src/deliver/doctor/run-doctor.js';
import { goodZone, rsaKey, zoneResolver } from './test-zone.js';

let server: TestSmtpServer;
let s: Scratch;

beforeEach(async () => {
  server = await startSmtpServer();
  s = scratch({ SMTP_URL: server.url, PUBLIC_URL: 'https://news.example.org', UNSUBSCRIBE_MAILTO: 'unsubscribe@example.org' });
  writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('kv', 3, 7), paper('distill', 4, 6)]);
  writeFileSync(path.join(s.dir, 'list.csv'), 'email,name,themes\nada@example.org,Ada Lovelace,\ngrace@example.org,Grace Hopper,\n');
  expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
});
afterEach(async () => {
  await server.close();
});

describe('paperpost doctor', () => {
  it('a message paperpost sends passes SPF, DKIM and DMARC against the zone the doctor passes', async () => {
    const key = rsaKey(2048);
    const keyFile = path.join(s.dir, 'dkim.pem');
    writeFileSync(keyFile, key);
    const env = { ...s.env, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'pp', DKIM_PRIVATE_KEY_PATH: keyFile };
    const r = await runCliAsync(['send'], { cwd: s.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(server.received).toHaveLength(2);
    const zone = goodZone(key);
    for (const m of server.received) {
      const res = await authenticate(m.raw, { ip: '127.0.0.1', helo: 'relay.example.org', sender: m.envelopeFrom, mta: 'mx.test', resolver: zoneResolver(zone) as never, disableArc: true, disableBimi: true });
      expect(res.spf && res.spf.status.result).toBe('pass');
      const dkim = res.dkim.results[0]!;
      expect([dkim.status.result, dkim.signingDomain, dkim.status.aligned]).toEqual(['pass', 'example.org', 'example.org']);
      const signed = ((dkim.status.header as { h?: string } | undefined)?.h ?? /\bh=([^;]+);/.exec(m.raw.toString().replace(/\r?\n\s+/g, ' '))![1]!).toLowerCase().split(':').map((h) => h.trim());
      expect(signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post']));
      expect(res.dmarc && res.dmarc.status.result).toBe('pass');
    }
    // The doctor agrees about the same key and zone.
    const checks = await runDoctor({ mailFrom: 'paperpost <news@example.org>', smtpUrl: undefined, bounceDomain: undefined, dkim: { domain: 'example.org', selector: 'pp', privateKey: key }, publicUrl: 'https://news.example.org' }, { resolver: zoneResolver(zone) });
    expect(checks.find((c) => c.name === 'DKIM')!.status).toBe('ok');
    // A zone with another key makes the same message fail DKIM, so the pass above is meaningful.
    const other = await authenticate(server.received[0]!.raw, { ip: '127.0.0.1', helo: 'relay.example.org', sender: server.received[0]!.envelopeFrom, mta: 'mx.test', resolver: zoneResolver(goodZone(rsaKey(2048))) as never, disableArc: true, disableBimi: true });
    expect(other.dkim.results[0]!.status.result).toBe('fail');
  });

  it('bad configuration is exit 2 and one line, with no lookup and no secret', () => {
    const missing = runCli(['doctor'], { cwd: s.dir, env: { ...s.env, SMTP_URL: 'smtp://news:hunter2-secret@relay.example.org:587', DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'pp', DKIM_PRIVATE_KEY_PATH: 'nowhere.pem' } });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: DKIM_PRIVATE_KEY_PATH cannot be read: ENOENT/);
    expect(missing.stderr).not.toContain('hunter2');
    const half = runCli(['doctor'], { cwd: s.dir, env: { ...s.env, DKIM_DOMAIN: 'example.org' } });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/^error: DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH must be set together/);
  });

  it('is listed in --help', () => {
    const r = runCli(['--help']);
    expect(r.stdout).toMatch(/doctor\s+check the sending setup/);
  });
});
