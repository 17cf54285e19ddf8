/**
 * parseWebhook for each provider with real signatures made at test time: an RSA key and a
 * self-signed certificate (openssl) for SNS, an ECDSA P-256 key for SendGrid, an HMAC key for
 * Mailgun, basic auth and a URL token for Postmark. Each provider is also tried with a bad
 * signature and, where the provider signs a timestamp, a replayed old one.
 */
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReplayCache } from '../../src/bounces/create-replay-cache.js';
import { parseWebhook } from '../../src/bounces/parse-webhook.js';
import { WebhookError, WebhookNotConfiguredError, WebhookPayloadError, WebhookSignatureError, WebhookTooLargeError } from '../../src/bounces/webhook-error.js';
import type { WebhookConfig, WebhookRequest } from '../../src/bounces/webhook-types.js';
import { makeTestCertificate } from './make-test-certificate.js';

const FIXTURE_KEY = 'bounce-fixture-secret-0123456789abcdef';
const verp = { secretKey: FIXTURE_KEY, bounceDomain: 'bounces.paperpost.example' };
const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/bounces/${name}`, import.meta.url), 'utf8');
const fixtureJson = (name: string) => JSON.parse(fixtureText(name)) as Record<string, unknown>;
const request = (body: string | Buffer, headers: Record<string, string> = {}, url = '/webhooks/x'): WebhookRequest => ({
  headers: { 'content-type': 'application/json', ...headers },
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  url,
});

/** Resolves to the error parseWebhook throws (fails the test when it throws none). */
async function refusal(p: Promise<unknown>): Promise<WebhookError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WebhookError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('Amazon SES through SNS', () => {
  const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:paperpost-ses-feedback';
  let keyPem = '';
  let certPem = '';
  beforeAll(() => ({ keyPem, certPem } = makeTestCertificate()));

  /** The string to sign, written out from AWS's documentation (independently of the code under test). */
  function stringToSign(m: Record<string, unknown>): string {
    const names = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    return names.filter((n) => m[n] !== undefined).map((n) => `${n}\n${m[n] as string}\n`).join('');
  }
  function signed(name: string, edit: (m: Record<string, unknown>) => void = () => {}, version: '1' | '2' = '1'): string {
    const m = fixtureJson(name);
    m.Timestamp = new Date(Date.now() - 5000).toISOString();
    m.SignatureVersion = version;
    edit(m);
    m.Signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(stringToSign(m), 'utf8'), keyPem).toString('base64');
    return JSON.stringify(m);
  }
  function config(overrides: Partial<NonNullable<WebhookConfig['ses']>> = {}): WebhookConfig & { fetched: string[] } {
    const fetched: string[] = [];
    return {
      ses: { topicArns: [TOPIC], certificateCache: new Map(), fetchCertificate: async (url) => (fetched.push(url), certPem), ...overrides },
      verp,
      fetched,
    };
  }

  it('a signed Permanent bounce (SignatureVersion 1) is a hard bounce, the certificate fetched once and cached', async () => {
    const c = config();
    const result = await parseWebhook('ses', request(signed('ses-bounce-sns.json')), c);
    expect(result).toEqual({
      kind: 'events',
      events: [
        {
          provider: 'ses',
          type: 'bounce',
          severity: 'hard',
          recipient: 'donald.knuth@example.edu',
          status: '5.1.1',
          diagnostic: '550 5.1.1 <donald.knuth@example.edu>... User unknown',
          messageId: '<2026-03-02.9f8e7d6c5b4a39281706@paperpost.example>',
          providerMessageId: '0102018e0a1b1f00-6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d-000000',
          providerEvent: 'Bounce/Permanent/General',
          eventId: 'ses:0102018e0a1b2c3d-4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8-000000:donald.knuth@example.edu',
          occurredAt: '2026-03-02T07:02:14.512Z',
          verp: { address: 'bounces+20260302-h-o3nwzlnwx4idfmj2@bounces.paperpost.example', target: { issueId: '2026-03-02', subscriberId: 17 } },
        },
      ],
    });
    await parseWebhook('ses', request(signed('ses-bounce-sns.json')), c);
    expect(c.fetched).toEqual(['https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem']);
  });

  it('a signed complaint (SignatureVersion 2) is a complaint; Transient is soft', async () => {
    const result = await parseWebhook('ses', request(signed('ses-complaint-sns.json', () => {}, '2')), config());
    expect(result).toMatchObject({ kind: 'events', events: [{ type: 'complaint', recipient: 'frances.allen@example.com', feedbackType: 'abuse', providerEvent: 'Complaint/abuse' }] });
    const transient = signed('ses-bounce-sns.json', (m) => {
      m.Message = (m.Message as string).replace('"Permanent"', '"Transient"').replace('"General"', '"MailboxFull"');
    });
    expect(await parseWebhook('ses', request(transient), config())).toMatchObject({ events: [{ type: 'bounce', severity: 'soft', providerEvent: 'Bounce/Transient/MailboxFull' }] });
  });

  it('a SubscriptionConfirmation returns the SubscribeURL and fetches nothing else', async () => {
    const result = await parseWebhook('ses', request(signed('ses-subscription-confirmation.json')), config());
    expect(result).toMatchObject({ kind: 'subscribe', topicArn: TOPIC });
    if (result.kind === 'subscribe') expect(result.subscribeUrl).toMatch(/^https:\/\/sns\.eu-west-1\.amazonaws\.com\/\?Action=ConfirmSubscription&/);
  });

  it('refuses a tampered message, a wrong key, a foreign certificate URL, another topic and an old timestamp', async () => {
    const tampered = JSON.parse(signed('ses-bounce-sns.json')) as Record<string, unknown>;
    tampered.Message = (tampered.Message as string).replace('donald.knuth', 'someone.else');
    const cases: [string, WebhookConfig][] = [
      [JSON.stringify(tampered), config()],
      [signed('ses-bounce-sns.json'), config({ fetchCertificate: async () => makeTestCertificate().certPem })],
      [signed('ses-bounce-sns.json', (m) => (m.SigningCertURL = 'https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem')), config()],
      [signed('ses-bounce-sns.json', (m) => (m.SigningCertURL = 'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem')), config()],
      [signed('ses-bounce-sns.json', (m) => (m.TopicArn = 'arn:aws:sns:eu-west-1:999999999999:someone-elses-topic')), config()],
      [signed('ses-bounce-sns.json', (m) => (m.SignatureVersion = '3')), config()],
      [signed('ses-bounce-sns.json', (m) => (m.Timestamp = new Date(Date.now() - 2 * 3600_000).toISOString())), config()],
    ];
    for (const [body, c] of cases) {
      const err = await refusal(parseWebhook('ses', request(body), c));
      expect(err).toBeInstanceOf(WebhookSignatureError);
      expect(err.status).toBe(401);
    }
  });

  it('fetches the certificate from a local server when the allowlist is overridden', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end(certPem);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/SimpleNotificationService-test.pem`;
      const c: WebhookConfig = { ses: { topicArns: [TOPIC], certificateCache: new Map(), certificateUrlAllowed: (u) => u.hostname === '127.0.0.1' } };
      const body = () => signed('ses-bounce-sns.json', (m) => (m.SigningCertURL = url));
      expect(await parseWebhook('ses', request(body()), c)).toMatchObject({ kind: 'events', events: [{ type: 'bounce', severity: 'hard' }] });
      expect(await parseWebhook('ses', request(body()), c)).toMatchObject({ kind: 'events' });
      expect(hits).toBe(1);
      // Without the override, the same local URL is refused before anything is fetched.
      const strict: WebhookConfig = { ses: { topicArns: [TOPIC], certificateCache: new Map() } };
      expect(await refusal(parseWebhook('ses', request(body()), strict))).toBeInstanceOf(WebhookSignatureError);
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it('refuses a body that is not JSON (400), one over the limit (413), and SES without topics (404)', async () => {
    expect(await refusal(parseWebhook('ses', request('not json'), config()))).toBeInstanceOf(WebhookPayloadError);
    expect((await refusal(parseWebhook('ses', request('{"Type":"Notification"}'), config()))).status).toBe(400);
    expect(await refusal(parseWebhook('ses', request(Buffer.alloc(3 * 1024 * 1024, 32)), config()))).toBeInstanceOf(WebhookTooLargeError);
    expect((await refusal(parseWebhook('ses', request('{}'), {}))).status).toBe(404);
    expect(await refusal(parseWebhook('mandrill', request('{}'), config()))).toBeInstanceOf(WebhookNotConfiguredError);
  });
});

describe('Postmark', () => {
  const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
  const body = fixtureText('postmark-bounce.json');

  it('a HardBounce with the right basic auth is a hard bounce', async () => {
    const result = await parseWebhook('postmark', request(body, basic('postmark', 's3cret-pass')), { postmark: { username: 'postmark', password: 's3cret-pass' } });
    expect(result).toEqual({
      kind: 'events',
      events: [
        {
          provider: 'postmark',
          type: 'bounce',
          severity: 'hard',
          recipient: 'john.mccarthy@example.org',
          diagnostic: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
          providerMessageId: '883953f4-6105-42a2-a16a-77a8eac79483',
          providerEvent: 'HardBounce',
          eventId: 'postmark:Bounce:4323372036:john.mccarthy@example.org',
          occurredAt: '2026-03-02T07:02:19.273Z',
        },
      ],
    });
  });

  it('maps SoftBounce, SpamComplaint and Delivery', async () => {
    const c: WebhookConfig = { postmark: { token: 'tok-9f8e7d6c5b4a' } };
    const url = '/webhooks/postmark?token=tok-9f8e7d6c5b4a';
    const soft = body.replace('"HardBounce"', '"SoftBounce"');
    expect(await parseWebhook('postmark', request(soft, {}, url), c)).toMatchObject({ events: [{ type: 'bounce', severity: 'soft' }] });
    const spam = body.replace('"RecordType": "Bounce"', '"RecordType": "SpamComplaint"').replace('"HardBounce"', '"SpamComplaint"');
    expect(await parseWebhook('postmark', request(spam, {}, url), c)).toMatchObject({ events: [{ type: 'complaint', recipient: 'john.mccarthy@example.org' }] });
    const delivery = JSON.stringify({ RecordType: 'Delivery', ServerID: 23, MessageStream: 'broadcast', MessageID: '883953f4-6105-42a2-a16a-77a8eac79483', Recipient: 'john@example.com', Tag: 'digest', DeliveredAt: '2026-03-02T07:02:15Z', Details: 'Test delivery webhook details' });
    expect(await parseWebhook('postmark', request(delivery, {}, url), c)).toMatchObject({ events: [{ type: 'delivery', recipient: 'john@example.com' }] });
    const auto = body.replace('"HardBounce"', '"AutoResponder"');
    expect(await parseWebhook('postmark', request(auto, {}, url), c)).toMatchObject({ events: [{ type: 'other', providerEvent: 'AutoResponder' }] });
  });

  it('refuses wrong or missing credentials (401) and an unconfigured provider (404)', async () => {
    const c: WebhookConfig = { postmark: { username: 'postmark', password: 's3cret-pass', token: 'tok-9f8e7d6c5b4a' } };
    const okUrl = '/webhooks/postmark?token=tok-9f8e7d6c5b4a';
    for (const [headers, url] of [
      [basic('postmark', 's3cret-pasS'), okUrl],
      [{}, okUrl],
      [basic('postmark', 's3cret-pass'), '/webhooks/postmark?token=tok-9f8e7d6c5b4b'],
      [basic('postmark', 's3cret-pass'), '/webhooks/postmark'],
    ] as const) {
      expect((await refusal(parseWebhook('postmark', request(body, headers, url), c))).status).toBe(401);
    }
    expect(await parseWebhook('postmark', request(body, basic('postmark', 's3cret-pass'), okUrl), c)).toMatchObject({ kind: 'events' });
    expect((await refusal(parseWebhook('postmark', request(body), { postmark: {} }))).status).toBe(404);
  });
});

describe('SendGrid signed event webhook', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyB64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const body = fixtureText('sendgrid-events.json');
  const signedRequest = (raw: string, timestamp = Math.floor(Date.now() / 1000)) =>
    request(raw, {
      'X-Twilio-Email-Event-Webhook-Signature': sign('sha256', Buffer.concat([Buffer.from(String(timestamp)), Buffer.from(raw)]), privateKey).toString('base64'),
      'X-Twilio-Email-Event-Webhook-Timestamp': String(timestamp),
    });
  const config = (): WebhookConfig => ({ sendgrid: { publicKey: publicKeyB64, replayCache: createReplayCache() } });

  it('maps a signed batch: bounce, blocked, dropped, deferred, spamreport, delivered', async () => {
    const result = await parseWebhook('sendgrid', signedRequest(body), config());
    if (result.kind !== 'events') throw new Error('no events');
    expect(result.events.map((e) => [e.type, e.type === 'bounce' ? e.severity : null, e.providerEvent, e.recipient])).toEqual([
      ['bounce', 'hard', 'bounce/bounce', 'claude.shannon@example.com'],
      ['bounce', 'soft', 'bounce/blocked', 'john.von.neumann@example.net'],
      ['bounce', 'hard', 'dropped/Bounced Address', 'alonzo.church@example.org'],
      ['other', null, 'deferred', 'kurt.goedel@example.at'],
      ['complaint', null, 'spamreport', 'emmy.noether@example.de'],
      ['delivery', null, 'delivered', 'hedy.lamarr@example.com'],
    ]);
    expect(result.events[0]).toMatchObject({
      status: '5.1.1',
      messageId: '<2026-03-02.2b3c4d5e6f7a8b9c0d1e@paperpost.example>',
      eventId: 'sendgrid:ZGVsaXZlcmVkLTAtMjQ2OTkyMzQtc1ZCc3ZjZC1SUzI',
      occurredAt: new Date(1772434934 * 1000).toISOString(),
    });
  });

  it('refuses a bad signature, a changed body, missing headers, an old timestamp and a replay', async () => {
    const c = config();
    const good = signedRequest(body);
    const changed = { ...good, rawBody: Buffer.from(body.replace('claude.shannon', 'claude.shannoN')) };
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect((await refusal(parseWebhook('sendgrid', changed, c))).status).toBe(401);
    expect((await refusal(parseWebhook('sendgrid', good, { sendgrid: { publicKey: otherKey } }))).status).toBe(401);
    expect((await refusal(parseWebhook('sendgrid', request(body), c))).status).toBe(401);
    const old = signedRequest(body, Math.floor(Date.now() / 1000) - 600);
    const err = await refusal(parseWebhook('sendgrid', old, c));
    expect(err).toBeInstanceOf(WebhookSignatureError);
    expect(err.message).toMatch(/old/);
    expect(await parseWebhook('sendgrid', good, c)).toMatchObject({ kind: 'events' });
    expect((await refusal(parseWebhook('sendgrid', good, c))).message).toMatch(/replayed/);
  });

  it('refuses a signed body that is not an array of events (400)', async () => {
    expect((await refusal(parseWebhook('sendgrid', signedRequest('{"event":"bounce"}'), config()))).status).toBe(400);
  });
});

describe('Mailgun', () => {
  const SIGNING_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  const signedBody = (edit: (d: Record<string, unknown>) => void = () => {}, timestamp = Math.floor(Date.now() / 1000), key = SIGNING_KEY, token = randomBytes(25).toString('hex')) => {
    const b = fixtureJson('mailgun-failed.json');
    edit(b['event-data'] as Record<string, unknown>);
    b.signature = { timestamp: String(timestamp), token, signature: createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex') };
    return JSON.stringify(b);
  };
  const config = (): WebhookConfig => ({ mailgun: { signingKey: SIGNING_KEY, replayCache: createReplayCache() }, verp });

  it('a signed permanent failure is a hard bounce with the Message-ID and the VERP sender', async () => {
    expect(await parseWebhook('mailgun', request(signedBody()), config())).toEqual({
      kind: 'events',
      events: [
        {
          provider: 'mailgun',
          type: 'bounce',
          severity: 'hard',
          recipient: 'barbara.liskov@example.org',
          status: '5.1.1',
          diagnostic: '550 5.1.1 The email account that you tried to reach does not exist.',
          messageId: '<2026-03-02.8b9c0d1e2f3a4b5c6d7e@paperpost.example>',
          providerEvent: 'failed/permanent/bounce',
          eventId: 'mailgun:G9Bn5sl1TC6nu79C8C0bwg',
          occurredAt: '2026-03-02T07:02:14.375Z',
          verp: { address: 'bounces+20260302-j-pwggsblfi2er4tbt@bounces.paperpost.example', target: { issueId: '2026-03-02', subscriberId: 19 } },
        },
      ],
    });
  });

  it('maps temporary failures to soft bounces and complained to a complaint', async () => {
    const c = config();
    expect(await parseWebhook('mailgun', request(signedBody((d) => (d.severity = 'temporary'))), c)).toMatchObject({ events: [{ type: 'bounce', severity: 'soft' }] });
    expect(await parseWebhook('mailgun', request(signedBody((d) => (d.event = 'complained'))), c)).toMatchObject({ events: [{ type: 'complaint', recipient: 'barbara.liskov@example.org' }] });
  });

  it('refuses a bad signature, an old timestamp and a replayed token', async () => {
    const c = config();
    expect((await refusal(parseWebhook('mailgun', request(signedBody(() => {}, undefined, 'key-wrong')), c))).status).toBe(401);
    const old = await refusal(parseWebhook('mailgun', request(signedBody(() => {}, Math.floor(Date.now() / 1000) - 301)), c));
    expect(old).toBeInstanceOf(WebhookSignatureError);
    expect(old.message).toMatch(/old/);
    const once = signedBody();
    expect(await parseWebhook('mailgun', request(once), c)).toMatchObject({ kind: 'events' });
    expect((await refusal(parseWebhook('mailgun', request(once), c))).message).toMatch(/replayed/);
    const unsigned = JSON.stringify({ 'event-data': fixtureJson('mailgun-failed.json')['event-data'] });
    expect((await refusal(parseWebhook('mailgun', request(unsigned), c))).status).toBe(401);
  });
});
