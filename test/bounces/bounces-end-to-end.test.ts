/**
 * Bounces and complaints that arrive after the send (issue #15), end to end: paperpost sends
 * an issue through a real SMTP server to 20 subscribers with VERP envelope senders; then DSNs
 * for three of them (two hard, one soft) go to a real `paperpost bounces serve`, an ARF
 * complaint for a fourth, and a signed SES/SNS bounce for a fifth goes to `paperpost serve`'s
 * webhook (the signing certificate served locally). Statuses and events must be exactly
 * right, the next issue must skip the two hard bounces, the complainer and the SES bounce,
 * and hostile input must change nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createSign } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type { App } from '../../src/app.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { CLI, runCli, runCliAsync } from '../helpers/run-cli.js';
import { freePort } from '../helpers/free-port.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';
import { paper, scratch, writeDigest, type Scratch } from '../schedule/helpers.js';
import { makeTestCertificate } from './make-test-certificate.js';

const DOMAIN = 'bounces.example.org';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:paperpost-feedback';

let relay: TestSmtpServer;
let s: Scratch;
let app: App;
let web: WebServer;
let certServer: Server;
let bounceServer: ChildProcess;
let bouncePort: number;
let keyPem: string;
const logs: string[] = [];

/** Hands one raw message to the bounce endpoint over SMTP; resolves with the server's final reply. */
async function deliverToBounces(from: string, to: string, raw: string | Buffer): Promise<{ ok: boolean; response: string }> {
  const conn = new SMTPConnection({ host: '127.0.0.1', port: bouncePort, ignoreTLS: true, connectionTimeout: 5000, socketTimeout: 60_000 });
  await new Promise<void>((resolve, reject) => {
    conn.once('error', reject);
    conn.connect(() => resolve());
  });
  try {
    const info = await new Promise<{ response?: string }>((resolve, reject) => conn.send({ from, to: [to] }, raw, (err, i) => (err ? reject(err) : resolve(i))));
    return { ok: true, response: String(info.response) };
  } catch (e) {
    return { ok: false, response: String((e as { response?: string }).response ?? (e as Error).message) };
  } finally {
    conn.quit();
  }
}

/** The issue's messages as the relay received them: recipient → VERP envelope sender and Message-ID. */
function sentTo() {
  const m = new Map<string, { verp: string; messageId: string }>();
  for (const r of relay.received) m.set(r.envelopeTo[0]!, { verp: r.envelopeFrom, messageId: r.parsed.messageId! });
  return m;
}

const dsn = (verp: string, recipient: string, messageId: string, status: string, action: string) => `Return-Path: <>
Date: Mon, 2 Mar 2026 07:02:14 +0000
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: ${verp}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"
Message-Id: <dsn-${recipient}-${status}@mx.example.net>

--B0UND
Content-Type: text/plain; charset=us-ascii

The mail system could not deliver your message to <${recipient}>.

--B0UND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; ${recipient}
Action: ${action}
Status: ${status}
Diagnostic-Code: smtp; ${status.startsWith('5') ? '550 5.1.1 user unknown' : '452 4.2.2 mailbox full'}

--B0UND
Content-Type: text/rfc822-headers

Return-Path: <${verp}>
To: ${recipient}
Message-ID: ${messageId}
Subject: the issue

--B0UND--
`;

const arf = (verp: string, recipient: string, messageId: string) => `From: feedback@fbl.example.net
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
Original-Mail-From: <${verp}>
Original-Rcpt-To: <${recipient}>

--ARF
Content-Type: text/rfc822-headers

Return-Path: <${verp}>
To: ${recipient}
Message-ID: ${messageId}

--ARF--
`;

function snsBounce(recipient: string, verp: string, messageId: string, certUrl: string, timestamp = new Date()): string {
  const message = JSON.stringify({
    notificationType: 'Bounce',
    bounce: { feedbackId: `fb-${recipient}`, bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: recipient, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: timestamp.toISOString() },
    mail: { timestamp: timestamp.toISOString(), source: verp, messageId: 'ses-id-1', destination: [recipient], headers: [{ name: 'Message-ID', value: messageId }], commonHeaders: { messageId } },
  });
  const m: Record<string, string> = { Type: 'Notification', MessageId: `sns-${recipient}`, TopicArn: TOPIC, Message: message, Timestamp: timestamp.toISOString(), SignatureVersion: '1', SigningCertURL: certUrl };
  const text = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'].filter((n) => m[n] !== undefined).map((n) => `${n}\n${m[n]}\n`).join('');
  m.Signature = createSign('RSA-SHA1').update(text).sign(keyPem, 'base64');
  return JSON.stringify(m);
}

const statusOf = (email: string) => app.store().getSubscriberByEmail(email).then((x) => x!.status);

beforeAll(async () => {
  relay = await startSmtpServer();
  const cert = makeTestCertificate();
  keyPem = cert.keyPem;
  certServer = createServer((_req, res) => res.end(cert.certPem));
  await new Promise<void>((r) => certServer.listen(0, '127.0.0.1', () => r()));
  s = scratch({ SMTP_URL: relay.url, BOUNCE_DOMAIN: DOMAIN, SES_SNS_TOPIC_ARNS: TOPIC, SOFT_BOUNCE_LIMIT: '2' });
  app = s.app();
  await app.store().importSubscribers(Array.from({ length: 20 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
  writeDigest(s, '2026-03-02', [paper('kv', 1, 5), paper('distill', 2, 4)]);
  expect((await runCliAsync(['send', path.join(s.digests, 'digest-2026-03-02.json')], { env: s.env, cwd: s.dir })).code).toBe(0);
  bouncePort = await freePort();
  bounceServer = spawn(process.execPath, [CLI, 'bounces', 'serve', '--port', String(bouncePort)], { cwd: s.dir, env: { PATH: process.env.PATH ?? '', ...s.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  bounceServer.stdout!.on('data', (d) => (out += d));
  bounceServer.stderr!.on('data', (d) => logs.push(String(d)));
  for (let i = 0; i < 200 && !out.includes('taking bounces'); i++) await new Promise((r) => setTimeout(r, 50));
  const certPort = (certServer.address() as { port: number }).port;
  web = await startWebServer(app, {
    port: 0,
    host: '127.0.0.1',
    log: (l) => logs.push(l),
    webhooks: { ses: { topicArns: [TOPIC], certificateUrlAllowed: (u) => u.hostname === '127.0.0.1' && u.port === String(certPort), certificateCache: new Map() } },
  });
}, 60_000);

afterAll(async () => {
  bounceServer?.kill('SIGTERM');
  await web?.close();
  await app?.close();
  await relay?.close();
  certServer?.close();
});

describe('bounces and complaints after the send', () => {
  it('sends with VERP envelope senders that name each delivery', () => {
    const sent = sentTo();
    expect(sent.size).toBe(20);
    for (const { verp } of sent.values()) expect(verp).toMatch(new RegExp(`^bounces\\+20260302-[a-z0-9]+-[a-z0-9]{16}@${DOMAIN.replace(/\./g, '\\.')}$`));
    expect(new Set([...sent.values()].map((v) => v.verp)).size).toBe(20);
  });

  it('applies 2 hard DSNs, 1 soft, an ARF complaint and a signed SES bounce exactly, and the next issue skips them', async () => {
    const sent = sentTo();
    const to = (i: number) => ({ email: `r${i}@example.org`, ...sent.get(`r${i}@example.org`)! });
    for (const [i, status, action] of [[0, '5.1.1', 'failed'], [1, '5.1.1', 'failed'], [2, '4.2.2', 'delayed']] as const) {
      const r = await deliverToBounces('', to(i).verp, dsn(to(i).verp, to(i).email, to(i).messageId, status, action));
      expect(r.ok, r.response).toBe(true);
    }
    expect((await deliverToBounces('feedback@fbl.example.net', to(3).verp, arf(to(3).verp, to(3).email, to(3).messageId))).ok).toBe(true);
    const certUrl = `http://127.0.0.1:${(certServer.address() as { port: number }).port}/cert.pem`;
    const res = await fetch(`${web.url}/webhooks/ses`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' }, body: snsBounce(to(4).email, to(4).verp, to(4).messageId, certUrl) });
    expect(res.status, await res.text()).toBe(200);

    // The bounce endpoint logs and applies in the background of its SMTP reply; wait for the DB.
    for (let i = 0; i < 100 && (await statusOf('r3@example.org')) !== 'complained'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await statusOf('r0@example.org')).toBe('bounced');
    expect(await statusOf('r1@example.org')).toBe('bounced');
    expect(await statusOf('r2@example.org')).toBe('active'); // one soft bounce; the limit is 2 issues
    expect(await statusOf('r3@example.org')).toBe('complained');
    expect(await statusOf('r4@example.org')).toBe('bounced');
    expect((await app.store().findSuppression('r3@example.org'))?.reason).toMatch(/^complaint on \d{4}-\d{2}-\d{2} about issue 2026-03-02$/);

    const events = (await app.store().listMailEvents()).sort((a, b) => a.id - b.id);
    expect(events.map((e) => [e.source, e.type, e.severity, e.issueId, e.recipient, e.status, e.outcome])).toEqual([
      ['smtp', 'bounce', 'hard', '2026-03-02', 'r0@example.org', '5.1.1', 'bounced'],
      ['smtp', 'bounce', 'hard', '2026-03-02', 'r1@example.org', '5.1.1', 'bounced'],
      ['smtp', 'bounce', 'soft', '2026-03-02', 'r2@example.org', '4.2.2', 'soft-counted'],
      ['smtp', 'complaint', null, '2026-03-02', 'r3@example.org', null, 'complained'],
      ['webhook:ses', 'bounce', 'hard', '2026-03-02', 'r4@example.org', '5.1.1', 'bounced'],
    ]);
    const byId = new Map((await Promise.all([0, 1, 2, 3, 4].map((i) => app.store().getSubscriberByEmail(`r${i}@example.org`)))).map((x) => [x!.id, x!.email]));
    expect(events.map((e) => byId.get(e.subscriberId!))).toEqual(['r0@example.org', 'r1@example.org', 'r2@example.org', 'r3@example.org', 'r4@example.org']);

    // The same reports again change nothing.
    await deliverToBounces('', to(0).verp, dsn(to(0).verp, to(0).email, to(0).messageId, '5.1.1', 'failed'));
    const again = await fetch(`${web.url}/webhooks/ses`, { method: 'POST', body: snsBounce(to(4).email, to(4).verp, to(4).messageId, certUrl) });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.store().listMailEvents()).map((e) => e.outcome).sort()).toEqual(events.map((e) => e.outcome).sort());

    // `bounces list` and /admin say the same.
    const list = runCli(['bounces', 'list'], { env: s.env, cwd: s.dir });
    expect(list.stdout, list.stdout).toMatch(/2026-03-02 +20 +3 +1 +1 +5\.00% +over 0\.3%/);
    expect(list.stderr).toMatch(/warning: issue 2026-03-02: complaint rate 5\.00% \(1 of 20\) is over the 0\.3%/);
    const admin = await (await fetch(`${web.url}/admin/issues/2026-03-02`)).text();
    expect(admin).toContain('<dt>Bounced</dt><dd>3 hard, 1 soft</dd>');
    expect(admin).toContain('over the 0.3% Gmail and Yahoo allow bulk senders');
    const record = await (await fetch(`${web.url}/admin/subscribers?email=r3%40example.org`)).text();
    expect(record).toContain('<dt>Status</dt><dd>complained</dd>');
    expect(record).toMatch(/complaint[\s\S]*complained/);

    // The next issue skips the two hard bounces, the complainer and the SES bounce.
    const before = relay.received.length;
    writeDigest(s, '2026-03-03', [paper('robot', 7, 5), paper('robot', 8, 4)]);
    const next = await runCliAsync(['send', path.join(s.digests, 'digest-2026-03-03.json')], { env: s.env, cwd: s.dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/warning: issue 2026-03-02: complaint rate/);
    const got = relay.received.slice(before).map((m) => m.envelopeTo[0]);
    expect(got).toHaveLength(16);
    for (const i of [0, 1, 3, 4]) expect(got).not.toContain(`r${i}@example.org`);
    expect(got).toContain('r2@example.org');
  }, 60_000);

  it('refuses or records as unmatched every hostile input, changing no subscriber', async () => {
    const snapshot = () => new Database(path.join(s.dir, 'paperpost.db'), { readonly: true }).prepare('SELECT email, status FROM subscribers ORDER BY id').all();
    const before = snapshot();
    const target = sentTo().get('r5@example.org')!;

    // 1. A DSN with a forged token.
    const forged = target.verp.replace(/-([a-z0-9]{16})@/, (_m, mac: string) => `-${mac.slice(0, 15)}${mac.endsWith('a') ? 'b' : 'a'}@`);
    expect((await deliverToBounces('', forged, dsn(forged, 'r5@example.org', '<not-ours@example.org>', '5.1.1', 'failed'))).ok).toBe(true);
    // 2. Mail for another domain: no relay.
    const relayTry = await deliverToBounces('x@example.net', 'victim@example.com', 'Subject: hi\r\n\r\nhi\r\n');
    expect(relayTry.ok).toBe(false);
    expect(relayTry.response).toMatch(/^550 .*relay access denied/);
    // 3. A 30 MB message.
    const big = Buffer.concat([Buffer.from(`To: ${target.verp}\r\nSubject: big\r\n\r\n`), Buffer.alloc(30 * 1024 * 1024, 'a')]);
    const bigTry = await deliverToBounces('', target.verp, big);
    expect(bigTry.ok).toBe(false);
    expect(bigTry.response).toMatch(/^552 /);
    // 4. Malformed MIME.
    expect((await deliverToBounces('', target.verp, `To: ${target.verp}\r\nContent-Type: multipart/report; report-type=delivery-status\r\n\r\n--nothing\r\ngarbage`)).ok).toBe(true);
    // 5. A webhook with a bad signature, and one replayed with an old timestamp.
    const certUrl = `http://127.0.0.1:${(certServer.address() as { port: number }).port}/cert.pem`;
    const good = JSON.parse(snsBounce('r5@example.org', target.verp, target.messageId, certUrl)) as Record<string, string>;
    const tampered = JSON.stringify({ ...good, Message: good.Message!.replace('Permanent', 'Transient') });
    expect((await fetch(`${web.url}/webhooks/ses`, { method: 'POST', body: tampered })).status).toBe(401);
    const old = snsBounce('r5@example.org', target.verp, target.messageId, certUrl, new Date(Date.now() - 3 * 3600_000));
    expect((await fetch(`${web.url}/webhooks/ses`, { method: 'POST', body: old })).status).toBe(401);
    expect((await fetch(`${web.url}/webhooks/mailgun`, { method: 'POST', body: '{}' })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));

    expect(snapshot()).toEqual(before);
    const unmatched = (await app.store().listMailEvents()).filter((e) => e.outcome === 'unmatched');
    expect(unmatched.map((e) => e.diagnostic)).toEqual(expect.arrayContaining([expect.stringMatching(/^unmatched: a VERP address whose token does not verify/)]));
    const logText = logs.join('\n');
    expect(logText).toMatch(/refused a message of more than 10485760 bytes/);
    expect(logText).toMatch(/not a bounce or complaint \(malformed/);
    expect(logText).toMatch(/webhooks: ses: refused \(401\)/);
  }, 90_000);
});
