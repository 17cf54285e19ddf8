/**
 * Every mail fixture in test/fixtures/bounces/ classified as what it is. The fixtures carry VERP
 * tokens made with FIXTURE_KEY for issue 2026-03-02 (subscribers 17-23); the forged one does not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyInboundMail, type ClassifyOptions } from '../../src/bounces/classify-inbound-mail.js';

const FIXTURE_KEY = 'bounce-fixture-secret-0123456789abcdef';
const opts: ClassifyOptions = { secretKey: FIXTURE_KEY, bounceDomain: 'bounces.paperpost.example' };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/bounces/${name}`, import.meta.url));
const classify = (name: string, o: ClassifyOptions = opts) => classifyInboundMail(fixture(name), o);

describe('classifyInboundMail: DSNs (RFC 3464)', () => {
  it('Postfix, 5.1.1 user unknown: a hard bounce for the delivery its token names', async () => {
    expect(await classify('postfix-hard-user-unknown.eml')).toEqual({
      kind: 'bounce',
      severity: 'hard',
      recipient: 'ada.lovelace@example.org',
      status: '5.1.1',
      statusCategory: 'address',
      action: 'failed',
      diagnostic: '550 5.1.1 <ada.lovelace@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      reportingMta: 'mail.paperpost.example',
      originalMessageId: '<2026-03-02.3f9a1c0d2b7e4a5f6c81@paperpost.example>',
      verp: { address: 'bounces+20260302-h-o3nwzlnwx4idfmj2@bounces.paperpost.example', target: { issueId: '2026-03-02', subscriberId: 17 } },
    });
  });

  it('Postfix, 4.2.2 mailbox full (delayed): a soft bounce', async () => {
    const c = await classify('postfix-soft-mailbox-full.eml');
    expect(c).toMatchObject({ kind: 'bounce', severity: 'soft', recipient: 'karen.sparck-jones@example.net', status: '4.2.2', statusCategory: 'mailbox', action: 'delayed' });
    expect(c.verp?.target).toEqual({ issueId: '2026-03-02', subscriberId: 18 });
  });

  it('Exim (eximdsn, Status 5.0.0, the original as message/rfc822): hard', async () => {
    const c = await classify('exim-hard.eml');
    expect(c).toMatchObject({
      kind: 'bounce',
      severity: 'hard',
      recipient: 'linus@example.net',
      status: '5.0.0',
      diagnostic: '550 5.1.1 <linus@example.net>: Recipient address rejected: User unknown',
      originalMessageId: '<2026-03-02.a0b1c2d3e4f5a6b7c8d9@paperpost.example>',
    });
    expect(c.verp?.target).toEqual({ issueId: '2026-03-02', subscriberId: 19 });
  });

  it('Gmail (mailer-daemon@googlemail.com, folded Diagnostic-Code): hard', async () => {
    const c = await classify('gmail-hard.eml');
    expect(c).toMatchObject({ kind: 'bounce', severity: 'hard', recipient: 'grace.hopper@gmail.com', status: '5.1.1', reportingMta: 'googlemail.com' });
    if (c.kind !== 'bounce') throw new Error('not a bounce');
    expect(c.diagnostic).toBe(
      "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser",
    );
    expect(c.originalMessageId).toBe('<2026-03-02.5e6f7a8b9c0d1e2f3a4b@paperpost.example>');
    expect(c.verp?.target).toEqual({ issueId: '2026-03-02', subscriberId: 20 });
  });

  it('Microsoft (Exchange Online NDR, Status 5.1.10, text/rfc822-headers): hard', async () => {
    const c = await classify('microsoft-ndr.eml');
    expect(c).toMatchObject({
      kind: 'bounce',
      severity: 'hard',
      recipient: 'alan.turing@contoso.example',
      status: '5.1.10',
      diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      originalMessageId: '<2026-03-02.0c1d2e3f4a5b6c7d8e9f@paperpost.example>',
    });
    expect(c.verp?.target).toEqual({ issueId: '2026-03-02', subscriberId: 21 });
  });

  it('a DSN to a forged token: still a bounce, but the token matches no one', async () => {
    const c = await classify('forged-verp-dsn.eml');
    expect(c).toMatchObject({ kind: 'bounce', severity: 'hard', recipient: 'victim@example.com' });
    expect(c.verp).toEqual({ address: 'bounces+20260302-o-kmgjbwoup6qony4a@bounces.paperpost.example', target: null });
  });

  it('prefers the SMTP envelope recipient, and reads a token whose case an MTA changed', async () => {
    const c = await classify('postfix-soft-mailbox-full.eml', { ...opts, envelopeRecipients: ['BOUNCES+20260302-H-O3NWZLNWX4IDFMJ2@BOUNCES.PAPERPOST.EXAMPLE'] });
    expect(c.verp?.target).toEqual({ issueId: '2026-03-02', subscriberId: 17 });
  });

  it('reads no token without the key and domain, or with another key', async () => {
    expect((await classify('postfix-hard-user-unknown.eml', {})).verp).toBeUndefined();
    expect((await classify('postfix-hard-user-unknown.eml', { ...opts, secretKey: 'another-secret-0123456789abcdef' })).verp?.target).toBeNull();
  });
});

describe('classifyInboundMail: complaints (ARF, RFC 5965)', () => {
  it('Yahoo feedback loop, Feedback-Type abuse: a complaint naming the recipient and the original Message-ID', async () => {
    expect(await classify('arf-yahoo-abuse.eml')).toEqual({
      kind: 'complaint',
      feedbackType: 'abuse',
      recipient: 'margaret.hamilton@yahoo.com',
      originalMessageId: '<2026-03-02.77aa88bb99cc00dd11ee@paperpost.example>',
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
      sourceIp: '192.0.2.10',
      arrivalDate: 'Mon, 02 Mar 2026 07:02:30 +0000',
      verp: { address: 'bounces+20260302-m-b3zols7v5w4ccqpt@bounces.paperpost.example', target: { issueId: '2026-03-02', subscriberId: 22 } },
    });
  });

  it('falls back to the original To when Original-Rcpt-To is missing; fraud is a complaint too', async () => {
    const raw = fixture('arf-yahoo-abuse.eml').toString('utf8').replace('Feedback-Type: abuse', 'Feedback-Type: fraud').replace(/^Original-Rcpt-To:.*\n/m, '');
    expect(await classifyInboundMail(Buffer.from(raw), opts)).toMatchObject({ kind: 'complaint', feedbackType: 'fraud', recipient: 'margaret.hamilton@yahoo.com' });
  });

  it.each(['not-spam', 'virus', 'other', 'auth-failure'])('Feedback-Type %s is not a complaint', async (type) => {
    const raw = fixture('arf-yahoo-abuse.eml').toString('utf8').replace('Feedback-Type: abuse', `Feedback-Type: ${type}`);
    expect(await classifyInboundMail(Buffer.from(raw), opts)).toMatchObject({ kind: 'unknown', reason: 'feedback-not-a-complaint', feedbackType: type });
  });
});

describe('classifyInboundMail: not bounces', () => {
  it('an out-of-office (Auto-Submitted: auto-replied) is an auto-reply, even though it says "Mail delivery failed"', async () => {
    expect(await classify('out-of-office.eml')).toMatchObject({
      kind: 'auto-reply',
      from: 'barbara.liskov@fabrikam.example',
      subject: 'Automatic reply: ML papers, 2 March: KV cache compression, LLM agents',
      inReplyTo: '<2026-03-02.1a2b3c4d5e6f7a8b9c0d@paperpost.example>',
      verp: { target: { issueId: '2026-03-02', subscriberId: 23 } },
    });
  });

  it('an out-of-office subject counts only with an automatic header', async () => {
    const base = 'From: someone@example.org\nTo: digest@paperpost.example\nSubject: Out of Office: back on Monday\nMIME-Version: 1.0\nContent-Type: text/plain\n';
    expect(await classifyInboundMail(Buffer.from(`${base}\nAway.\n`), opts)).toMatchObject({ kind: 'unknown', reason: 'not-a-report' });
    expect(await classifyInboundMail(Buffer.from(`${base}Precedence: bulk\n\nAway.\n`), opts)).toMatchObject({ kind: 'auto-reply' });
    expect(await classifyInboundMail(Buffer.from(`${base.replace('Out of Office: back on Monday', 'Hello')}X-Autoreply: yes\n\nAway.\n`), opts)).toMatchObject({ kind: 'auto-reply' });
  });

  it('a person writing about bounces, with every keyword in it, is unknown (structure, not keywords)', async () => {
    const c = await classify('human-reply-about-bounces.eml');
    expect(c).toMatchObject({ kind: 'unknown', reason: 'not-a-report' });
    expect(c.verp?.target).toEqual({ issueId: '2026-03-02', subscriberId: 17 });
  });

  it('a DSN that reports success is no bounce', async () => {
    const raw = fixture('postfix-hard-user-unknown.eml').toString('utf8').replace('Action: failed\nStatus: 5.1.1', 'Action: delivered\nStatus: 2.0.0');
    expect(await classifyInboundMail(Buffer.from(raw), opts)).toMatchObject({ kind: 'unknown', reason: 'delivery-success' });
  });

  it('a DSN without Status falls back to the code in Diagnostic-Code', async () => {
    const raw = fixture('postfix-hard-user-unknown.eml').toString('utf8').replace('Status: 5.1.1\n', '');
    expect(await classifyInboundMail(Buffer.from(raw), opts)).toMatchObject({ kind: 'bounce', severity: 'hard', status: '5.1.1' });
  });
});

describe('classifyInboundMail: hostile input', () => {
  it('malformed MIME is unknown, never an exception', async () => {
    expect(await classify('malformed-mime.eml')).toMatchObject({ kind: 'unknown', reason: 'malformed', detail: 'multipart/report without a boundary' });
    for (const junk of [Buffer.alloc(0), Buffer.from([0, 1, 2, 255, 254, 10, 13, 10]), Buffer.from('\r\n\r\n--\r\n--'), Buffer.from('Content-Type: multipart/report; boundary="x"\n\n--x\nContent-Type: message/delivery-status\n\n\n\n--x--')]) {
      expect((await classifyInboundMail(junk, opts)).kind).toBe('unknown');
    }
  });

  it('a 30 MB message is refused before parsing, with a clear reason', async () => {
    const big = Buffer.alloc(30 * 1024 * 1024, 'a');
    const started = Date.now();
    const c = await classifyInboundMail(big, opts);
    expect(c).toMatchObject({ kind: 'unknown', reason: 'too-large' });
    if (c.kind === 'unknown') expect(c.detail).toMatch(/31457280 bytes, over the 10485760-byte limit/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
