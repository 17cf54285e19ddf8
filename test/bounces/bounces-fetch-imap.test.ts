/**
 * `paperpost bounces fetch` against a real IMAP server (issue #15): a private Dovecot
 * (Debian's dovecot-imapd, run as root in the foreground from its own temporary config,
 * plaintext IMAP on 127.0.0.1 and a free port, a passwd-file user, Maildir storage) holds the
 * bounce mailbox. paperpost sends an issue through a real SMTP server with VERP envelope
 * senders; then the test delivers into the Maildir as an MDA does (tmp/, then rename into
 * new/): a hard-bounce DSN, an ARF complaint, an out-of-office sent to the Return-Path and one
 * sent to the From address, a person's reply that talks about bounces, a DSN with a forged
 * token and a DSN over the 10 MiB limit. The real CLI must apply exactly the reports, move
 * exactly what it understood to the processed folder (created on first use), leave the rest
 * in INBOX byte for byte and unread, change nothing when run again, and refuse a wrong password
 * in one line that does not print it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { App } from '../../src/app.js';
import { ensureSystemTool, DOVECOT as DOVECOT_TOOL } from '../helpers/ensure-system-tool.js';
import { freePort } from '../helpers/free-port.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';

/** Found (or installed from Debian) when this file loads: an install may take longer than a hook may. */
const DOVECOT = await ensureSystemTool(DOVECOT_TOOL);
const DOMAIN = 'bounces.example.org';
const USER = 'bounces';
const PASSWORD = 'imap-Secret-7f3a9c2e51';
const PROCESSED = 'paperpost-processed';
/** The mail files belong to nobody: Dovecot refuses mail access as uid 0. */
const MAIL_UID = 65534;
const MAIL_GID = 65534;
const LIMIT = 10 * 1024 * 1024;

interface Dovecot {
  dir: string;
  port: number;
  /** The user's Maildir (INBOX is its new/ and cur/). */
  maildir: string;
  log(): string;
  stop(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once something on `port` answers with an IMAP greeting, false if nothing does. */
const greets = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(5000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(String(d).startsWith('* OK')));
  });

function dovecotConfig(dir: string, port: number): string {
  return `# A private Dovecot for paperpost's tests: nothing here touches a system Dovecot.
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = paperpost-test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%n
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/users
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_GID} home=${dir}/mail/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/** Starts Dovecot in the foreground from a fresh temporary directory; tries another port if the chosen one was taken meanwhile. */
async function startDovecot(): Promise<Dovecot> {
  if (process.getuid?.() !== 0) throw new Error('this test runs a private Dovecot as root (it switches to uid 65534 for the mailbox): run it as root, as CI does; it must not be skipped');
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-dovecot-'));
  chmodSync(dir, 0o755); // the login and mail processes run unprivileged and must get in
  const maildir = path.join(dir, 'mail', USER);
  for (const d of ['run', 'state', 'mail']) mkdirSync(path.join(dir, d));
  for (const d of ['', 'new', 'cur', 'tmp']) {
    mkdirSync(path.join(maildir, d), { recursive: true });
    chownSync(path.join(maildir, d), MAIL_UID, MAIL_GID);
  }
  writeFileSync(path.join(dir, 'users'), `${USER}:{PLAIN}${PASSWORD}::::::\n`);
  const log = () => (existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '');

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const conf = path.join(dir, 'dovecot.conf');
    writeFileSync(conf, dovecotConfig(dir, port));
    const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    let exited = false;
    const exit = new Promise<void>((resolve) => {
      const done = () => {
        exited = true;
        resolve();
      };
      child.once('exit', done);
      child.once('error', (e) => {
        output += `${e.message}\n`;
        done();
      });
    });
    const started = Date.now();
    let up = false;
    while (!exited && Date.now() - started < 60_000) {
      if (await greets(port)) {
        up = true;
        break;
      }
      await sleep(100);
    }
    const stop = async () => {
      if (!exited) child.kill('SIGTERM');
      await Promise.race([exit, sleep(15_000)]);
      if (!exited) child.kill('SIGKILL');
      await Promise.race([exit, sleep(5_000)]);
    };
    if (up) {
      return {
        dir,
        port,
        maildir,
        log,
        stop: async () => {
          await stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await stop();
    const why = `${output}\n${log()}`;
    if (attempt < 3 && /in use/i.test(why)) continue;
    rmSync(dir, { recursive: true, force: true });
    let version = 'unknown';
    try {
      version = execFileSync(DOVECOT, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      // reported as unknown
    }
    const hint = /^2\.3\./.test(version) ? '' : ` (this configuration is written for Dovecot 2.3, Debian 12's; found ${version})`;
    throw new Error(`Dovecot did not come up on 127.0.0.1:${port}${hint}:\n${why.trim()}`);
  }
}

let dovecot: Dovecot;
let relay: TestSmtpServer;
let s: Scratch;
let app: App;
let delivered = 0;

/** Delivers one message the way an MDA does: write it under tmp/, then rename it into new/. Returns the file's base name. */
function deliver(raw: string | Buffer): string {
  const name = `${Math.floor(Date.now() / 1000)}.M${++delivered}P${process.pid}.paperpost-test`;
  const tmp = path.join(dovecot.maildir, 'tmp', name);
  writeFileSync(tmp, raw);
  chownSync(tmp, MAIL_UID, MAIL_GID);
  renameSync(tmp, path.join(dovecot.maildir, 'new', name));
  return name;
}

/** The SHA-256 of each INBOX file of the Maildir, by the name it was delivered under (Dovecot adds flags after a colon when it moves new/ to cur/). */
function inboxFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const sub of ['new', 'cur']) for (const f of readdirSync(path.join(dovecot.maildir, sub))) files.set(f.replace(/:2,.*$/, ''), sha256(readFileSync(path.join(dovecot.maildir, sub, f))));
  return files;
}

async function withClient<T>(f: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false, connectionTimeout: 30_000, greetingTimeout: 15_000 });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

const mailboxNames = () => withClient(async (c) => (await c.list()).map((f) => f.path).sort());
const createMailbox = (name: string) => withClient(async (c) => void (await c.mailboxCreate(name)));

/** Reads a mailbox over IMAP as a second client would: each message's flags, size and (under 1 MB) source. */
const readMailbox = (mailbox: string) =>
  withClient(async (client) => {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const list: { uid: number; flags: string[]; size: number }[] = [];
      for await (const m of client.fetch('1:*', { uid: true, flags: true, size: true })) list.push({ uid: m.uid, flags: [...(m.flags ?? [])].sort(), size: m.size ?? 0 });
      const found: { flags: string[]; size: number; source: string }[] = [];
      for (const m of list) {
        const message = m.size < 1_000_000 ? await client.fetchOne(String(m.uid), { source: true }, { uid: true }) : false;
        found.push({ flags: m.flags, size: m.size, source: message && message.source ? String(message.source) : '' });
      }
      return found;
    } finally {
      lock.release();
    }
  });

const imapUrl = (password = PASSWORD, mailbox = 'INBOX') => `imap://${USER}:${encodeURIComponent(password)}@127.0.0.1:${dovecot.port}/${mailbox}`;
const fetchBounces = (env: Record<string, string> = {}) => runCliAsync(['bounces', 'fetch'], { env: { ...s.env, BOUNCE_IMAP_URL: imapUrl(), ...env }, cwd: s.dir });
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** The issue's messages as the relay received them: recipient → VERP envelope sender and Message-ID. */
function sentTo(email: string): { email: string; verp: string; messageId: string } {
  const r = relay.received.find((m) => m.envelopeTo[0] === email)!;
  return { email, verp: r.envelopeFrom, messageId: r.parsed.messageId! };
}

const dsn = (to: { email: string; verp: string; messageId: string }, status: string, padding = '') =>
  crlf(`Return-Path: <>
Delivered-To: ${to.verp}
Date: Mon, 2 Mar 2026 07:02:14 +0000
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: ${to.verp}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"
Message-Id: <dsn-${to.email}-${status}-${padding.length}@mx.example.net>

--B0UND
Content-Type: text/plain; charset=us-ascii

The mail system could not deliver your message to <${to.email}>.

--B0UND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; ${to.email}
Action: failed
Status: ${status}
Diagnostic-Code: smtp; 550 5.1.1 <${to.email}>: Recipient address rejected: User unknown

--B0UND
Content-Type: message/rfc822

Return-Path: <${to.verp}>
To: ${to.email}
Message-ID: ${to.messageId}
Subject: the issue
Content-Type: text/plain

${padding}
--B0UND--
`);

const arf = (to: { email: string; verp: string; messageId: string }) =>
  crlf(`Return-Path: <feedback@fbl.example.net>
Delivered-To: fbl@${DOMAIN}
From: feedback@fbl.example.net
To: fbl@${DOMAIN}
Subject: FW: the issue
Message-ID: <arf-1@fbl.example.net>
Date: Tue, 3 Mar 2026 09:12:30 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

--ARF
Content-Type: text/plain

This is an email abuse report.

--ARF
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: Example-FBL/1.0
Version: 1
Original-Mail-From: <${to.verp}>
Original-Rcpt-To: <${to.email}>

--ARF
Content-Type: text/rfc822-headers

Return-Path: <${to.verp}>
To: ${to.email}
Message-ID: ${to.messageId}

--ARF--
`);

/** An Exchange-style out-of-office, sent to `recipient` (RFC 3834 says the Return-Path; many send it to From). */
const outOfOffice = (from: string, recipient: string, id: string) =>
  crlf(`Return-Path: <>
Delivered-To: ${recipient}
From: ${from}
To: ${recipient}
Subject: Automatic reply: the issue
Date: Mon, 2 Mar 2026 07:05:00 +0000
Message-ID: <${id}@mail.example.org>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

I am out of the office until 16 March with no access to email.
`);

/** A person writing to the newsletter in words that keyword matchers take for a bounce. */
const human = crlf(`Return-Path: <dana@example.com>
Delivered-To: news@example.org
From: Dana Reader <dana@example.com>
To: news@example.org
Subject: Re: the issue (my old address bounced)
Date: Mon, 2 Mar 2026 09:30:00 +0000
Message-ID: <human-1@example.com>
Content-Type: text/plain; charset=utf-8

Hello! Mail to my old address r4@example.org bounced with "550 5.1.1 user unknown,
delivery failed, undeliverable". Please unsubscribe that one and add dana@example.com.
Loved the KV cache papers.
`);

const statusOf = (email: string) => app.store().getSubscriberByEmail(email).then((x) => x!.status);
const eventsNow = async () => (await app.store().listMailEvents()).sort((a, b) => a.id - b.id).map((e) => [e.source, e.type, e.severity, e.issueId, e.subscriberId, e.recipient, e.status, e.outcome]);

const texts: Record<string, string> = {};
const names: Record<string, string> = {};
let bigName = '';
let bigSize = 0;
let bigHash = '';

beforeAll(async () => {
  dovecot = await startDovecot();
  relay = await startSmtpServer();
  s = scratch({ SMTP_URL: relay.url, BOUNCE_DOMAIN: DOMAIN });
  app = s.app();
  await app.store().importSubscribers(Array.from({ length: 5 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
  writeDigest(s, '2026-03-02', [paper('kv', 1, 5), paper('distill', 2, 4)]);
  const send = await runCliAsync(['send', path.join(s.digests, 'digest-2026-03-02.json')], { env: s.env, cwd: s.dir });
  expect(send.code, send.stderr).toBe(0);
  expect(relay.received).toHaveLength(5);
}, 120_000);

afterAll(async () => {
  await dovecot?.stop();
  await app?.close();
  await relay?.close();
});

describe('paperpost bounces fetch against a real IMAP server (Dovecot)', () => {
  it('applies the DSN and the complaint, moves what it understood, and leaves the rest in INBOX byte for byte', async () => {
    const [r0, r1, r2, r3, r4] = [0, 1, 2, 3, 4].map((i) => sentTo(`r${i}@example.org`));
    const forgedVerp = r4!.verp.replace(/-([a-z0-9]{16})@/, (_m, mac: string) => `-${mac.slice(0, 15)}${mac.endsWith('a') ? 'b' : 'a'}@`);
    expect(forgedVerp).not.toBe(r4!.verp);
    texts.hard = dsn(r0!, '5.1.1');
    texts.complaint = arf(r1!);
    texts.oooVerp = outOfOffice('r2@example.org', r2!.verp, 'ooo-verp');
    texts.oooFrom = outOfOffice('r3@example.org', 'news@example.org', 'ooo-from');
    texts.human = human;
    texts.forged = dsn({ ...r4!, verp: forgedVerp, messageId: '<not-ours@example.org>' }, '5.1.1');
    for (const k of ['hard', 'complaint', 'oooVerp', 'oooFrom', 'human', 'forged']) names[k] = deliver(texts[k]!);
    // A DSN with a valid token for r3, over the 10 MiB limit: never downloaded, never applied.
    const line = 'A'.repeat(76) + '\r\n';
    const big = Buffer.from(dsn(r3!, '5.1.1', line.repeat(Math.ceil((LIMIT + 512 * 1024) / line.length))));
    bigSize = big.length;
    bigHash = sha256(big);
    bigName = deliver(big);
    expect(await mailboxNames()).toEqual(['INBOX']);

    const r = await fetchBounces();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`bounce mailbox: 7 message(s), 4 processed and moved to ${PROCESSED}, 3 left where they were (1 over the size limit)`);
    expect(r.stderr).toMatch(/uid 1: a hard bounce \(5\.1\.1\) for subscriber \d+, issue 2026-03-02: bounced/);
    expect(r.stderr).toMatch(/uid 2: a complaint \(abuse\) for subscriber \d+, issue 2026-03-02: complained/);
    expect(r.stderr).toMatch(/uid 3: an auto-reply from r2@example\.org: not a bounce; nothing changed\n/);
    expect(r.stderr).toMatch(/uid 4: an auto-reply from r3@example\.org: not a bounce; nothing changed; left in INBOX/);
    expect(r.stderr).toMatch(/uid 5: not a bounce or complaint \(not-a-report: .*\); nothing changed; left in INBOX/);
    expect(r.stderr).toMatch(/uid 6: a hard bounce \(5\.1\.1\) for nobody: unmatched/);
    expect(r.stderr).toContain(`uid 7: ${bigSize} bytes, over the ${LIMIT}-byte limit; left in INBOX`);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);

    // Statuses and events: the DSN bounced r0, the complaint unsubscribed r1 and suppressed the address; nobody else changed.
    expect(await statusOf('r0@example.org')).toBe('bounced');
    expect(await statusOf('r1@example.org')).toBe('complained');
    for (const i of [2, 3, 4]) expect(await statusOf(`r${i}@example.org`)).toBe('active');
    expect((await app.store().findSuppression('r1@example.org'))?.reason).toMatch(/^complaint on \d{4}-\d{2}-\d{2} about issue 2026-03-02$/);
    const id = async (email: string) => (await app.store().getSubscriberByEmail(email))!.id;
    expect(await eventsNow()).toEqual([
      ['imap', 'bounce', 'hard', '2026-03-02', await id('r0@example.org'), 'r0@example.org', '5.1.1', 'bounced'],
      ['imap', 'complaint', null, '2026-03-02', await id('r1@example.org'), 'r1@example.org', null, 'complained'],
      ['imap', 'bounce', 'hard', null, null, 'r4@example.org', '5.1.1', 'unmatched'],
    ]);
    const unmatched = (await app.store().listMailEvents()).find((e) => e.outcome === 'unmatched')!;
    expect(unmatched.diagnostic).toMatch(/^unmatched: a VERP address whose token does not verify/);

    // The processed folder was created on first use and holds exactly the two reports, the forged DSN (a DSN: understood,
    // recorded as unmatched) and the auto-reply to a valid VERP address (it names a delivery of ours; nothing was changed).
    expect(await mailboxNames()).toEqual(['INBOX', PROCESSED]);
    const processed = await readMailbox(PROCESSED);
    expect(processed.map((m) => m.source)).toEqual([texts.hard, texts.complaint, texts.oooVerp, texts.forged]);

    // INBOX keeps the out-of-office sent to the From address, the person's message and the oversized DSN: unread, unflagged, the
    // same bytes on disk as delivered.
    const inbox = await readMailbox('INBOX');
    expect(inbox.map((m) => m.source.length > 0 ? m.source : m.size)).toEqual([texts.oooFrom, texts.human, bigSize]);
    for (const m of inbox) expect(m.flags.filter((f) => f !== '\\Recent')).toEqual([]);
    const files = inboxFiles();
    expect([...files.keys()].sort()).toEqual([names.oooFrom, names.human, bigName].sort());
    expect(files.get(names.oooFrom!)).toBe(sha256(texts.oooFrom));
    expect(files.get(names.human!)).toBe(sha256(texts.human));
    expect(files.get(bigName)).toBe(bigHash);
  }, 180_000);

  it('changes nothing and processes nothing when run again', async () => {
    const before = { events: await eventsNow(), statuses: await Promise.all([0, 1, 2, 3, 4].map((i) => statusOf(`r${i}@example.org`))), files: inboxFiles() };
    const r = await fetchBounces();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`bounce mailbox: 3 message(s), 0 processed and moved to ${PROCESSED}, 3 left where they were (1 over the size limit)`);
    expect(await eventsNow()).toEqual(before.events);
    expect(await Promise.all([0, 1, 2, 3, 4].map((i) => statusOf(`r${i}@example.org`)))).toEqual(before.statuses);
    expect((await readMailbox(PROCESSED)).map((m) => m.source)).toEqual([texts.hard, texts.complaint, texts.oooVerp, texts.forged]);
    const inbox = await readMailbox('INBOX');
    expect(inbox.map((m) => m.source.length > 0 ? m.source : m.size)).toEqual([texts.oooFrom, texts.human, bigSize]);
    for (const m of inbox) expect(m.flags.filter((f) => f !== '\\Recent')).toEqual([]);
    expect(inboxFiles()).toEqual(before.files);
  }, 120_000);

  it('moves a second copy of a DSN it already applied, and records nothing new', async () => {
    const before = await eventsNow();
    deliver(texts.hard!);
    const r = await fetchBounces();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/: a hard bounce \(5\.1\.1\): already processed; nothing changed\n/);
    expect(r.stdout.trim()).toBe(`bounce mailbox: 4 message(s), 1 processed and moved to ${PROCESSED}, 3 left where they were (1 over the size limit)`);
    expect(await eventsNow()).toEqual(before);
    expect((await readMailbox(PROCESSED)).map((m) => m.source)).toEqual([texts.hard, texts.complaint, texts.oooVerp, texts.forged, texts.hard]);
    expect([...inboxFiles().keys()].sort()).toEqual([names.oooFrom, names.human, bigName].sort());
  }, 120_000);

  it('says in one line when the mailbox, the server or the database is not there, and reads an empty mailbox', async () => {
    const missing = await fetchBounces({ BOUNCE_IMAP_URL: imapUrl(PASSWORD, 'No-Such-Box') });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(`error: cannot read the bounce mailbox imap://${USER}:***@127.0.0.1:${dovecot.port}/No-Such-Box: Mailbox doesn't exist: No-Such-Box — check BOUNCE_IMAP_URL (user, password, host, port, mailbox)\n`);

    const closed = await freePort();
    const refused = await fetchBounces({ BOUNCE_IMAP_URL: `imap://${USER}:${PASSWORD}@127.0.0.1:${closed}/INBOX` });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: cannot read the bounce mailbox imap://${USER}:***@127.0.0.1:${closed}/INBOX: ECONNREFUSED — check BOUNCE_IMAP_URL (user, password, host, port, mailbox)\n`);

    // A missing database is the database's error, not the mailbox's; and nothing in the mailbox moved.
    const noDb = await fetchBounces({ DATABASE_URL: 'sqlite:' + path.join(s.dir, 'missing.db') });
    expect(noDb.code).toBe(2); // a configuration problem, as for every command
    expect(noDb.stderr).toMatch(/^error: there is no database at .*missing\.db/);
    expect(noDb.stderr).not.toMatch(/bounce mailbox/);
    expect([...inboxFiles().keys()].sort()).toEqual([names.oooFrom, names.human, bigName].sort());

    await createMailbox('Empty');
    const empty = await fetchBounces({ BOUNCE_IMAP_URL: imapUrl(PASSWORD, 'Empty') });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout.trim()).toBe(`bounce mailbox: 0 message(s), 0 processed and moved to ${PROCESSED}, 0 left where they were`);
    expect(empty.stderr).toBe('');
  }, 120_000);

  // Last: after a failed login Dovecot delays the next logins from the same address for a while.
  it('refuses a wrong password in one line that does not print it, and exits 1', async () => {
    const before = { events: await eventsNow(), files: inboxFiles() };
    const wrong = 'Wrong-Password-4411';
    const r = await fetchBounces({ BOUNCE_IMAP_URL: imapUrl(wrong) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toBe(`error: cannot read the bounce mailbox imap://${USER}:***@127.0.0.1:${dovecot.port}/INBOX: the login was refused — check BOUNCE_IMAP_URL (user, password, host, port, mailbox)`);
    expect(r.stderr).not.toContain(wrong);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(await eventsNow()).toEqual(before.events);
    expect(inboxFiles()).toEqual(before.files);
    expect(dovecot.log()).toMatch(/auth failed/);
  }, 120_000);
});
