/**
 * A DKIM key that nodemailer cannot sign with (a file that is not a key, an encrypted key, an
 * Ed25519 key, a short RSA key) used to send the whole issue unsigned, silently, and a dry run
 * passed even when the key file was missing. Every send reads and parses the key first
 * (read-dkim-key.ts): exit 2 with one line naming the file, never the key, nothing sent; the
 * same for `send --to`, `send --dry-run` and the outbox. `doctor` makes the same check and
 * refuses the same keys with the same line (it used to pass an Ed25519 key send refuses). A real SMTP server, real SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';

let server: TestSmtpServer;
let s: Scratch;
beforeEach(async () => {
  server = await startSmtpServer();
  s = scratch({ SMTP_URL: server.url, PUBLIC_URL: 'https://news.example.org' });
  writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('distill', 4, 6)]);
  writeFileSync(path.join(s.dir, 'list.csv'), 'email\nada@example.org\ngrace@example.org\n');
  expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
});
afterEach(async () => {
  await server.close();
});

/** DKIM_* pointing at a file holding `content` (or at no file when it is null). */
function dkimEnv(content: string | null, extra: Record<string, string> = {}) {
  const keyFile = path.join(s.dir, 'dkim.pem');
  if (content !== null) writeFileSync(keyFile, content);
  return { ...s.env, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'pp', DKIM_PRIVATE_KEY_PATH: content === null ? path.join(s.dir, 'nowhere.pem') : keyFile, ...extra };
}

const pem = (type: 'rsa' | 'ed25519', bits = 2048, passphrase?: string) =>
  (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: bits }) : generateKeyPairSync('ed25519')).privateKey
    .export(passphrase ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' })
    .toString();

describe('a DKIM key that cannot sign', () => {
  const ed25519 = pem('ed25519');
  const cases: [string, string | null, RegExp][] = [
    ['a file that is not a key', 'not a key\n', /dkim\.pem\) is not a usable DKIM key: it does not parse as a PEM private key/],
    ['an encrypted key', pem('rsa', 2048, 'secret-passphrase'), /it is encrypted/],
    ['an Ed25519 key (nodemailer signs with RSA only)', ed25519, /is a ed25519 key; paperpost signs with RSA only/],
    ['a 512-bit RSA key', pem('rsa', 512), /is a 512-bit RSA key/],
    ['a missing file', null, /DKIM_PRIVATE_KEY_PATH cannot be read: ENOENT/],
  ];
  for (const [what, content, says] of cases) {
    it(`${what}: send, send --to, send --dry-run, the outbox and doctor exit 2 with one line, nothing sent`, async () => {
      for (const [args, env] of [
        // doctor makes send's own check: it never passes a key send refuses.
        [['doctor'], dkimEnv(content)],
        [['send'], dkimEnv(content)],
        [['send', '--to', 'test@example.net'], dkimEnv(content)],
        [['send', '--dry-run'], dkimEnv(content)],
        [['send'], dkimEnv(content, { SMTP_URL: '' })],
      ] as const) {
        const r = await runCliAsync([...args], { cwd: s.dir, env });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr).toMatch(says);
        // The key is never printed.
        if (content) for (const line of content.split('\n').filter((l) => l.length > 20)) expect(r.stderr).not.toContain(line);
      }
      expect(server.received).toHaveLength(0);
    });
  }

  it('a good RSA key still signs every message', async () => {
    const r = await runCliAsync(['send'], { cwd: s.dir, env: dkimEnv(pem('rsa', 1024)) });
    expect(r.code, r.stderr).toBe(0);
    expect(server.received).toHaveLength(2);
    for (const m of server.received) expect(m.parsed.headerLines.some((h) => h.key === 'dkim-signature')).toBe(true);
  });
});
