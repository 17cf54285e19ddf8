/**
 * The outbox signs as SMTP does: with DKIM_* set and no SMTP_URL, every .eml `paperpost send`
 * writes carries a DKIM-Signature that mailauth verifies against a test zone publishing the
 * key (aligned with From), over the same headers an SMTP send of the same issue signs; a zone
 * with another key fails the same file, and without DKIM_* the files stay unsigned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { authenticate } from 'mailauth';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';
import { goodZone, rsaKey, zoneResolver } from './doctor/test-zone.js';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A scratch directory with a digest, two subscribers and DKIM_* pointing at `key`. */
function setUp(key: string, env: Record<string, string> = {}): Scratch {
  const s = scratch({ PUBLIC_URL: 'https://news.example.org', UNSUBSCRIBE_MAILTO: 'unsubscribe@example.org', ...env });
  writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('kv', 3, 7), paper('distill', 4, 6)]);
  writeFileSync(path.join(s.dir, 'list.csv'), 'email,name,themes\nada@example.org,Ada Lovelace,\ngrace@example.org,Grace Hopper,\n');
  expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
  const keyFile = path.join(s.dir, 'dkim.pem');
  writeFileSync(keyFile, key);
  s.env = { ...s.env, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'pp', DKIM_PRIVATE_KEY_PATH: keyFile };
  return s;
}

const outboxFiles = (s: Scratch) => {
  const dir = path.join(s.dir, 'outbox', '2026-03-02');
  return readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(path.join(dir, f)));
};

/** The header names a message's DKIM-Signature covers, lowercased, in order. */
const signedHeaders = (raw: Buffer) => {
  const unfolded = raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const sig = unfolded.split(/\r?\n/).find((l) => /^dkim-signature:/i.test(l));
  return sig ? /\bh=([^;]+);/.exec(sig)![1]!.toLowerCase().split(':').map((h) => h.trim()) : null;
};

const verify = (raw: Buffer, zoneKey: string) =>
  authenticate(raw, { ip: '127.0.0.1', helo: 'relay.example.org', sender: 'bounces@example.org', mta: 'mx.test', resolver: zoneResolver(goodZone(zoneKey)) as never, disableArc: true, disableBimi: true });

describe('the outbox with DKIM configured', () => {
  it('writes .eml files that pass DKIM, signed over the same headers as an SMTP send', async () => {
    const key = rsaKey(2048);
    const outbox = setUp(key);
    const r = await runCliAsync(['send'], { cwd: outbox.dir, env: outbox.env });
    expect(r.code, r.stderr).toBe(0);
    const files = outboxFiles(outbox);
    expect(files).toHaveLength(2);

    server = await startSmtpServer();
    const smtp = setUp(key, { SMTP_URL: server.url });
    const sent = await runCliAsync(['send'], { cwd: smtp.dir, env: smtp.env });
    expect(sent.code, sent.stderr).toBe(0);
    expect(server.received).toHaveLength(2);
    const smtpSigned = signedHeaders(server.received[0]!.raw);
    expect(smtpSigned).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post']));

    for (const raw of files) {
      expect(signedHeaders(raw)).toEqual(smtpSigned);
      const res = await verify(raw, key);
      const dkim = res.dkim.results[0]!;
      expect([dkim.status.result, dkim.signingDomain, dkim.status.aligned]).toEqual(['pass', 'example.org', 'example.org']);
      expect(res.dmarc && res.dmarc.status.result).toBe('pass');
    }
    // The same file against a zone that publishes another key fails: the pass above is meaningful.
    const other = await verify(files[0]!, rsaKey(2048));
    expect(other.dkim.results[0]!.status.result).toBe('fail');
  });

  it('leaves the files unsigned without DKIM_*, and an unreadable key is one line, exit 2', async () => {
    const s = setUp(rsaKey(1024));
    const plain = { ...s.env };
    delete plain.DKIM_DOMAIN;
    delete plain.DKIM_SELECTOR;
    delete plain.DKIM_PRIVATE_KEY_PATH;
    const missing = runCli(['send'], { cwd: s.dir, env: { ...s.env, DKIM_PRIVATE_KEY_PATH: path.join(s.dir, 'nowhere.pem') } });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: DKIM_PRIVATE_KEY_PATH cannot be read: ENOENT/);
    const r = await runCliAsync(['send'], { cwd: s.dir, env: plain });
    expect(r.code, r.stderr).toBe(0);
    for (const raw of outboxFiles(s)) expect(signedHeaders(raw)).toBeNull();
  });
});
