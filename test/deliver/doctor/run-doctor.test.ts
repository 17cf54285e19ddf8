/**
 * `paperpost doctor`'s checks against an injected DNS zone, a real SMTP relay (smtp-server with
 * STARTTLS and AUTH, port 0) and a real https server: a correct setup passes every check, and
 * a broken one names each broken record, with the record to publish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { formatCheck, runDoctor, type DoctorSettings } from '../../../src/deliver/doctor/run-doctor.js';
import type { CheckResult } from '../../../src/deliver/doctor/doctor-check.js';
import { publicRecord } from '../../../src/deliver/doctor/check-dkim-key.js';
import { goodZone, rsaKey, setRecord, testCertificate, zoneResolver, type Zone } from './test-zone.js';

const PASSWORD = 'relay-secret-Xy9';
let key2048: string;
let tls: { key: string; cert: string };
let relay: SMTPServer;
let relayPort: number;
let web: https.Server;
let webPort: number;

async function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown }, addr: () => AddressInfo): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return addr().port;
}

beforeAll(async () => {
  key2048 = rsaKey(2048);
  tls = testCertificate();
  relay = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    logger: false,
    onAuth: (auth, _s, cb) => (auth.username === 'news' && auth.password === PASSWORD ? cb(null, { user: 'news' }) : cb(Object.assign(new Error('Authentication failed'), { responseCode: 535 }))),
  });
  relayPort = await listen(relay, () => relay.server.address() as AddressInfo);
  web = https.createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('ok'));
  webPort = await listen(web, () => web.address() as AddressInfo);
});
afterAll(async () => {
  await new Promise<void>((r) => relay.close(() => r()));
  await new Promise<void>((r) => web.close(() => r()));
});

const settings = (over: Partial<DoctorSettings> = {}): DoctorSettings => ({
  mailFrom: 'paperpost <news@example.org>',
  smtpUrl: `smtp://news:${PASSWORD}@relay.example.org:${relayPort}`,
  bounceDomain: 'bounces.example.org',
  dkim: { domain: 'example.org', selector: 'pp', privateKey: key2048 },
  publicUrl: `https://localhost:${webPort}/`,
  ...over,
});

async function doctor(zone: Zone, over: Partial<DoctorSettings> = {}): Promise<CheckResult[]> {
  return runDoctor(settings(over), { resolver: zoneResolver(zone), ca: tls.cert, timeoutMs: 5000 });
}
const byName = (rs: CheckResult[], name: string) => rs.find((r) => r.name === name)!;
const failures = (rs: CheckResult[]) => rs.filter((r) => r.status === 'failure');

describe('paperpost doctor', () => {
  it('passes every check on a correctly set-up zone, one line each, no secret printed', async () => {
    const rs = await doctor(goodZone(key2048));
    const lines = rs.map(formatCheck);
    expect(rs.map((r) => [r.name, r.status]), lines.join('\n')).toEqual([
      ['SPF example.org', 'ok'],
      ['SPF bounces.example.org', 'ok'],
      ['DKIM', 'ok'],
      ['DMARC', 'ok'],
      ['MX bounces.example.org', 'ok'],
      ['relay', 'ok'],
      ['PUBLIC_URL', 'ok'],
    ]);
    for (const l of lines) expect(l).not.toContain('\n');
    expect(byName(rs, 'SPF example.org').message).toBe('pass for the relay relay.example.org (127.0.0.1)');
    expect(byName(rs, 'DKIM').message).toBe('pp._domainkey.example.org holds the configured key, 2048 bits');
    expect(byName(rs, 'DMARC').message).toBe('p=quarantine for example.org, aligned through SPF (bounces.example.org) and DKIM (example.org)');
    expect(byName(rs, 'relay').message).toMatch(new RegExp(`^relay\\.example\\.org:${relayPort} answers EHLO with STARTTLS \\(TLSv1\\.[23]\\), AUTH .*PLAIN.* accepted$`));
    expect(byName(rs, 'PUBLIC_URL').message).toBe(`https://localhost:${webPort} answers 200 over https`);
    expect(lines.join('\n')).not.toContain(PASSWORD);
    expect(lines.join('\n')).not.toContain('PRIVATE KEY');
  });

  it('names a missing SPF record with the record to publish', async () => {
    const rs = await doctor(setRecord(goodZone(key2048), 'example.org', 'TXT'));
    expect(failures(rs).map((r) => r.name)).toEqual(['SPF example.org']);
    expect(formatCheck(byName(rs, 'SPF example.org'))).toBe('failure SPF example.org: no SPF record at example.org; publish: example.org TXT "v=spf1 ip4:127.0.0.1 ~all"');
    // The bounce domain's SPF still aligns DMARC (relaxed), so DMARC passes.
    expect(byName(rs, 'DMARC').status).toBe('ok');
  });

  it('names an SPF record that leaves the relay out, with the record amended', async () => {
    const rs = await doctor(setRecord(goodZone(key2048), 'bounces.example.org', 'TXT', [['v=spf1 ip4:192.0.2.1 -all']]));
    const spf = byName(rs, 'SPF bounces.example.org');
    expect(spf.status).toBe('failure');
    expect(spf.message).toMatch(/^fail for the relay .*does not allow 127\.0\.0\.1$/);
    expect(spf.publish).toBe('bounces.example.org TXT "v=spf1 ip4:192.0.2.1 ip4:127.0.0.1 -all"');
  });

  it('names a DKIM record holding another key', async () => {
    const rs = await doctor(setRecord(goodZone(key2048), 'pp._domainkey.example.org', 'TXT', [[publicRecord(rsaKey(2048)).value]]));
    const dkim = byName(rs, 'DKIM');
    expect(dkim.status).toBe('failure');
    expect(dkim.message).toBe('pp._domainkey.example.org publishes another key than the configured one (DKIM_PRIVATE_KEY_PATH)');
    expect(dkim.publish).toBe(`pp._domainkey.example.org TXT "${publicRecord(key2048).value}"`);
    // DMARC still aligns through SPF.
    expect(byName(rs, 'DMARC').message).toBe('p=quarantine for example.org, aligned through SPF (bounces.example.org)');
  });

  it('names a missing DKIM record, and a published key under 1024 bits', async () => {
    const missing = byName(await doctor(setRecord(goodZone(key2048), 'pp._domainkey.example.org', 'TXT')), 'DKIM');
    expect([missing.status, missing.message]).toEqual(['failure', 'no DKIM key published at pp._domainkey.example.org']);
    expect(missing.publish).toContain('v=DKIM1; k=rsa; p=MIIBIjAN');
    const short = byName(await doctor(setRecord(goodZone(key2048), 'pp._domainkey.example.org', 'TXT', [[publicRecord(rsaKey(768)).value]])), 'DKIM');
    expect([short.status, short.message]).toEqual(['failure', 'pp._domainkey.example.org publishes a key shorter than 1024 bits, which receivers refuse']);
  });

  it('fails a configured key under 1024 bits and warns under 2048', async () => {
    const k512 = rsaKey(768);
    expect(byName(await doctor(goodZone(k512), { dkim: { domain: 'example.org', selector: 'pp', privateKey: k512 } }), 'DKIM').message).toMatch(/^the configured key has 768 bits: receivers refuse keys under 1024/);
    const k1024 = rsaKey(1024);
    const r = byName(await doctor(goodZone(k1024), { dkim: { domain: 'example.org', selector: 'pp', privateKey: k1024 } }), 'DKIM');
    expect([r.status, r.message]).toEqual(['warning', 'pp._domainkey.example.org holds the configured key, 1024 bits (2048 advised)']);
  });

  it('names a missing DMARC record with the record to publish', async () => {
    const rs = await doctor(setRecord(goodZone(key2048), '_dmarc.example.org', 'TXT'));
    expect(failures(rs).map(formatCheck)).toEqual(['failure DMARC: no DMARC record for example.org; publish: _dmarc.example.org TXT "v=DMARC1; p=none; rua=mailto:postmaster@example.org"']);
  });

  it('names DMARC that neither SPF nor DKIM aligns with', async () => {
    // Bounces and the DKIM signature on another organisation's domain: both pass, neither aligns.
    const zone = goodZone(key2048);
    setRecord(zone, 'bounces.mailhost.net', 'TXT', [['v=spf1 ip4:127.0.0.1 -all']]);
    setRecord(zone, 'bounces.mailhost.net', 'MX', [{ exchange: 'mx.mailhost.net', priority: 5 }]);
    setRecord(zone, 'pp._domainkey.mailhost.net', 'TXT', [[publicRecord(key2048).value]]);
    setRecord(zone, 'example.org', 'TXT');
    const rs = await doctor(zone, { bounceDomain: 'bounces.mailhost.net', dkim: { domain: 'mailhost.net', selector: 'pp', privateKey: key2048 } });
    expect(byName(rs, 'DKIM').status).toBe('ok');
    expect(byName(rs, 'SPF bounces.mailhost.net').status).toBe('ok');
    const dmarc = byName(rs, 'DMARC');
    expect(dmarc.status).toBe('failure');
    expect(dmarc.message).toBe(
      'p=quarantine for example.org, but mail is not aligned with it: SPF passes for bounces.mailhost.net, DKIM signs as mailhost.net (sign with DKIM_DOMAIN=example.org, or send from a bounce domain under example.org)',
    );
  });

  it("names a bounce domain without MX", async () => {
    const rs = await doctor(setRecord(goodZone(key2048), 'bounces.example.org', 'MX'));
    expect(failures(rs).map(formatCheck)).toEqual([
      'failure MX bounces.example.org: no MX for bounces.example.org: bounces cannot come back; publish: bounces.example.org MX 10 <the host running paperpost bounces serve>',
    ]);
  });

  it('fails a relay that refuses the login, without printing the password', async () => {
    const rs = await doctor(goodZone(key2048), { smtpUrl: `smtp://news:wrong-${PASSWORD}@relay.example.org:${relayPort}` });
    const r = byName(rs, 'relay');
    expect(formatCheck(r)).toBe(`failure relay: relay.example.org:${relayPort} refuses the login of SMTP_URL's user (535): check the user and password`);
    expect(rs.map(formatCheck).join('\n')).not.toContain(PASSWORD);
  });

  it('checks the first relay when SMTP_URL lists several (weights and all)', async () => {
    // A plain list, the list is no URL at all (it threw "Invalid URL").
    const plainList = await doctor(goodZone(key2048), { smtpUrl: `smtp://news:${PASSWORD}@relay.example.org:${relayPort},smtp://u2:p2@relay2.example.org:${relayPort}` });
    expect(byName(plainList, 'relay').status).toBe('ok');
    const rs = await doctor(goodZone(key2048), { smtpUrl: `smtp://news:${PASSWORD}@relay.example.org:${relayPort}?weight=3,smtp://u2:other-${PASSWORD}@relay2.example.org:${relayPort}` });
    const r = byName(rs, 'relay');
    expect(r.status).toBe('ok');
    expect(r.message).toMatch(new RegExp(`^relay\\.example\\.org:${relayPort} answers EHLO with STARTTLS .* accepted \\(the first of 2 relays in SMTP_URL; the others are not checked\\)$`));
    expect(byName(rs, 'SPF example.org').message).toBe('pass for the relay relay.example.org (127.0.0.1)');
    expect(rs.map(formatCheck).join('\n')).not.toContain(PASSWORD);
  });

  it('fails a relay without STARTTLS, and one whose certificate is not trusted', async () => {
    const plain = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false });
    const port = await listen(plain, () => plain.server.address() as AddressInfo);
    try {
      const r = byName(await doctor(goodZone(key2048), { smtpUrl: `smtp://relay.example.org:${port}` }), 'relay');
      expect([r.status, r.message]).toEqual(['failure', `relay.example.org:${port} answers EHLO but offers no STARTTLS: mail and credentials would cross in clear (use a port with STARTTLS, or smtps://)`]);
    } finally {
      await new Promise<void>((res) => plain.close(() => res()));
    }
    const untrusted = (await runDoctor(settings(), { resolver: zoneResolver(goodZone(key2048)), timeoutMs: 5000 })).filter((r) => r.name === 'relay' || r.name === 'PUBLIC_URL');
    expect(untrusted.map((r) => r.status)).toEqual(['failure', 'failure']);
    expect(untrusted[0]!.message).toMatch(/^cannot talk to the relay relay\.example\.org:\d+: .*certificate/);
  });

  it('warns for PUBLIC_URL over http and fails one that does not answer', async () => {
    const plain = http.createServer((_q, res) => res.end('ok'));
    const port = await listen(plain, () => plain.address() as AddressInfo);
    try {
      const r = byName(await doctor(goodZone(key2048), { publicUrl: `http://127.0.0.1:${port}` }), 'PUBLIC_URL');
      expect([r.status, r.message]).toEqual(['warning', `http://127.0.0.1:${port} answers 200, but over http: links in the email should use https`]);
    } finally {
      await new Promise<void>((res) => plain.close(() => res()));
    }
    const down = byName(await doctor(goodZone(key2048), { publicUrl: `https://localhost:${port}` }), 'PUBLIC_URL');
    expect(down.status).toBe('failure');
    expect(down.message).toMatch(/^https:\/\/localhost:\d+ is not reachable: .*ECONNREFUSED/);
  });
  it('accepts implicit TLS (smtps://), and warns when the certificate is not verified or SMTP_URL is unset', async () => {
    const tlsRelay = new SMTPServer({ secure: true, key: tls.key, cert: tls.cert, authOptional: true, logger: false });
    const port = await listen(tlsRelay, () => tlsRelay.server.address() as AddressInfo);
    try {
      const ok = byName(await doctor(goodZone(key2048), { smtpUrl: `smtps://relay.example.org:${port}` }), 'relay');
      expect([ok.status, ok.message]).toEqual(['ok', `relay.example.org:${port} answers EHLO with implicit TLS (${ok.message.match(/TLSv1\.[23]/)?.[0]}), no AUTH configured`]);
      const loose = byName(await doctor(goodZone(key2048), { smtpUrl: `smtps://relay.example.org:${port}?tls_reject_unauthorized=false` }), 'relay');
      expect(loose.status).toBe('warning');
      expect(loose.message).toMatch(/certificate not verified\), no AUTH configured: remove tls_reject_unauthorized=false/);
    } finally {
      await new Promise<void>((res) => tlsRelay.close(() => res()));
    }
    const rs = await doctor(goodZone(key2048), { smtpUrl: undefined });
    expect(rs.map((r) => [r.name, r.status])).toEqual([['relay', 'warning'], ['DKIM', 'ok'], ['DMARC', 'ok'], ['MX bounces.example.org', 'ok'], ['PUBLIC_URL', 'ok']]);
    expect(byName(rs, 'DMARC').message).toBe('p=quarantine for example.org, aligned through DKIM (example.org)');
  });
});
