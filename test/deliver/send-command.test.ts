/**
 * `paperpost send` end to end against a real SMTP server: the headers every message
 * carries, both parts, each subscriber's own signed links, theme subsets, --dry-run, --to,
 * --limit, and DKIM covering both List-Unsubscribe headers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { verifyToken } from '../../src/subscribers/sign-token.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';

const SECRET = 'send-command-secret-0123456789abc';
let server: TestSmtpServer;
let s: Scratch;

beforeEach(async () => {
  server = await startSmtpServer();
  s = scratch({ SMTP_URL: server.url, SECRET_KEY: SECRET, PUBLIC_URL: 'https://news.example.org', UNSUBSCRIBE_MAILTO: 'unsubscribe@example.org' });
  writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('kv', 3, 7), paper('distill', 4, 6), paper('distill', 5, 5), paper('distill', 6, 4)]);
  writeFileSync(
    path.join(s.dir, 'list.csv'),
    'email,name,themes\nada@example.org,Ada Lovelace,\ngrace@example.org,Grace Hopper,\nalan@example.org,Alan Turing,Knowledge Distillation\n',
  );
  expect(runCli(['subscribers', 'import', 'list.csv'], { cwd: s.dir, env: s.env }).code).toBe(0);
});
afterEach(async () => {
  await server.close();
});

const ledgerRows = () => {
  const db = new Database(path.join(s.dir, 'paperpost.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM deliveries').all() as { subscriber_id: number; status: string }[];
  } finally {
    db.close();
  }
};

describe('paperpost send', () => {
  it('gives every message its headers, both parts and the subscriber\'s own links, once', async () => {
    const r = await runCliAsync(['send'], { cwd: s.dir, env: s.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/issue 2026-03-02: sent 3, deferred 0, failed 0, skipped 0 in [\d.]+ s \([\d.]+ messages\/s\)/);
    expect(server.received).toHaveLength(3);
    for (const m of server.received) {
      const mail = m.parsed;
      const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address! : '';
      expect(mail.from?.value[0]?.address).toBe('news@example.org');
      expect(m.envelopeTo).toEqual([to]);
      expect(mail.subject).toMatch(/^Trending papers, Mar 2: /);
      expect(mail.date).toBeInstanceOf(Date);
      expect(mail.messageId).toMatch(/^<2026-03-02\.[0-9a-f]{20}@example\.org>$/);
      const list = mail.headers.get('list') as { id: { id: string }; unsubscribe: { url: string; mail: string }; 'unsubscribe-post': { name: string } };
      expect(list.id.id).toBe('paperpost.example.org');
      expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
      expect(list.unsubscribe.mail).toBe('unsubscribe@example.org?subject=unsubscribe');
      // The unsubscribe link is this subscriber's: its token verifies to their id.
      const token = /^https:\/\/news\.example\.org\/u\/([^/]+)$/.exec(list.unsubscribe.url)![1]!;
      const id = verifyToken(SECRET, 'unsubscribe', token);
      expect(id).not.toBeNull();
      expect(mail.text).toContain(list.unsubscribe.url);
      expect(mail.html).toContain(list.unsubscribe.url);
      expect(mail.text).toMatch(/https:\/\/news\.example\.org\/p\/[^\s]+/);
      if (to === 'alan@example.org') {
        // Alan follows one theme: only that section, and a subject to match.
        expect(mail.subject).toMatch(/Knowledge Distillation/);
        expect(mail.text).not.toContain(paper('kv', 1, 0).title);
        expect(mail.text).toContain(paper('distill', 4, 0).title);
      } else {
        expect(mail.text).toContain(paper('kv', 1, 0).title);
      }
    }
    expect(new Set(server.received.map((m) => m.parsed.messageId)).size).toBe(3);
    const again = await runCliAsync(['send'], { cwd: s.dir, env: s.env });
    expect(again.code).toBe(0);
    expect(server.received).toHaveLength(3);
  });

  it('--dry-run counts and sends nothing; --to sends one test copy outside the ledger', async () => {
    const dry = await runCliAsync(['send', '--dry-run'], { cwd: s.dir, env: s.env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run of issue 2026-03-02: ".+" \([\d.]+ KB HTML\) would go to 3 subscriber\(s\) now/);
    expect(server.received).toHaveLength(0);

    const test = await runCliAsync(['send', '--to', 'Operator@Example.ORG'], { cwd: s.dir, env: s.env });
    expect(test.code, test.stderr).toBe(0);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.envelopeTo).toEqual(['Operator@example.org']);
    expect(server.received[0]!.parsed.subject).toMatch(/^\[TEST\] Trending papers/);
    expect(ledgerRows()).toHaveLength(0);

    const bad = await runCliAsync(['send', '--to', 'x@y.com\r\nBcc: z@q.com'], { cwd: s.dir, env: s.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --to contains a line break/);
  });

  it('--limit sends that many now, exits 0 (the rest is not a failure), and the next send finishes the rest', async () => {
    // Exit 1 before issue #23's QA: the messages --limit kept for later counted as a failure.
    const first = await runCliAsync(['send', '--limit', '2'], { cwd: s.dir, env: s.env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/sent 2, deferred 0, failed 0.*; 1 not tried yet: run it again to send the rest/);
    expect(server.received).toHaveLength(2);
    const second = await runCliAsync(['send'], { cwd: s.dir, env: s.env });
    expect(second.code).toBe(0);
    expect(server.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['ada@example.org', 'alan@example.org', 'grace@example.org']);
  });

  it('--limit still exits 1 when something in the run was deferred; --to with --limit is refused', async () => {
    const refusing = await startSmtpServer({ onRcptTo: (a) => (a.address.startsWith('ada@') ? smtpError(451, '4.3.0 Try again later') : undefined) });
    try {
      const env = { ...s.env, SMTP_URL: refusing.url, SEND_MAX_ATTEMPTS: '1' };
      const r = await runCliAsync(['send', '--limit', '2'], { cwd: s.dir, env });
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toMatch(/sent 1, deferred 1/);
      const both = await runCliAsync(['send', '--to', 'operator@example.org', '--limit', '3'], { cwd: s.dir, env });
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^error: --to sends one test copy, and --limit caps a send to the list: use one of them/);
      expect(both.stderr.trim().split('\n')).toHaveLength(1);
      expect(refusing.received.filter((m) => m.envelopeTo[0] === 'operator@example.org')).toHaveLength(0);
    } finally {
      await refusing.close();
    }
  });

  it('signs with DKIM, covering List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join(s.dir, 'dkim.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const env = { ...s.env, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'news', DKIM_PRIVATE_KEY_PATH: keyFile };
    const r = await runCliAsync(['send'], { cwd: s.dir, env });
    expect(r.code, r.stderr).toBe(0);
    for (const m of server.received) {
      const sig = m.parsed.headerLines.find((h) => h.key === 'dkim-signature')!.line.replace(/\r?\n\s+/g, ' ');
      expect(sig).toMatch(/\bd=example\.org;/);
      expect(sig).toMatch(/\bs=news;/);
      const signed = /\bh=([^;]+);/.exec(sig)![1]!.toLowerCase().split(':').map((h) => h.trim());
      expect(signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']));
    }
  });
});
