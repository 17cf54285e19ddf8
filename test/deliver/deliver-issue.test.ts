import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createSmtpPoolTransport } from '../../src/deliver/create-smtp-pool-transport.js';
import { deliverIssue, type DeliverIssueOptions } from '../../src/deliver/deliver-issue.js';
import { createIssueComposer } from '../../src/deliver/create-issue-composer.js';
import { recipientFor } from '../../src/subscribers/recipient.js';
import { LockError, SmtpError } from '../../src/errors.js';
import { smtpError, startSmtpServer, type SmtpHooks, type TestSmtpServer } from '../helpers/start-smtp-server.js';

let store: Store;
let server: TestSmtpServer | undefined;

beforeEach(async () => {
  store = createSqliteStore(new Database(':memory:'));
  await store.importSubscribers(['ada', 'grace', 'alan', 'bounce', 'flaky'].map((n, i) => ({ line: i + 2, input: { email: `${n}@example.org`, name: n } })));
  await store.freezeIssue('2025-12-11', '{}');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await store.close();
});

const pool = (port: number, size: number, auth?: { user: string; pass: string }) =>
  createSmtpPoolTransport({ name: 'test', size, auth, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }) });

async function run(hooks: SmtpHooks, over: Partial<DeliverIssueOptions> = {}) {
  server ??= await startSmtpServer(hooks);
  const transport = pool(server.port, 3, hooks.auth);
  const compose = createIssueComposer({
    issueId: '2025-12-11',
    from: 'news@example.org',
    listId: 'paperpost.example.org',
    personalize: (r) => ({ subject: 'Issue', html: `<p>Hi ${r.name}</p>\n<a href="${r.unsubscribeUrl}">unsubscribe</a>`, text: `Hi ${r.name}` }),
    recipientFor: (s) => ({ ...recipientFor({ publicUrl: 'https://x.example.org', secretKey: 'test-secret' }, s), unsubscribeUrl: `https://x.example.org/u/${s.id}`, preferencesUrl: `https://x.example.org/p/${s.id}` }),
  });
  try {
    return await deliverIssue({
      store,
      transport,
      issueId: '2025-12-11',
      from: 'news@example.org',
      compose,
      messageIdFor: (s) => `<2025-12-11.${s.id}@example.org>`,
      maxAttempts: 3,
      retryBaseMs: 5,
      ...over,
    });
  } finally {
    await transport.close();
  }
}

describe('deliverIssue over real SMTP', () => {
  it('sends each active subscriber one copy, retries 4xx, bounces 5xx, and sends nothing on a rerun', async () => {
    let flakyRefusals = 0;
    const hooks: SmtpHooks = {
      onRcptTo: (a) => {
        if (a.address === 'bounce@example.org') return smtpError(550, 'No such user');
        if (a.address === 'flaky@example.org' && flakyRefusals++ < 1) return smtpError(451, 'Try again later');
        return undefined;
      },
    };
    const first = await run(hooks);
    expect(first).toMatchObject({ total: 5, sent: 4, failed: 1, deferred: 0, complete: true });
    expect(server!.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['ada@example.org', 'alan@example.org', 'flaky@example.org', 'grace@example.org']);
    expect((await store.getSubscriberByEmail('bounce@example.org'))!.status).toBe('bounced');
    const flaky = await store.getSubscriberByEmail('flaky@example.org');
    expect(await store.getDelivery('2025-12-11', flaky!.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await store.getIssue('2025-12-11'))!.sentAt).not.toBeNull();
    for (const m of server!.received) expect(m.parsed.messageId).toMatch(/^<2025-12-11\.\d+@example\.org>$/);

    const second = await run(hooks);
    expect(second).toMatchObject({ sent: 0, failed: 0, skipped: 0, alreadyDone: 4 });
    expect(server!.received).toHaveLength(4);
  });

  it('leaves a delivery deferred after its attempts run out, and the next run sends it', async () => {
    let down = true;
    const hooks: SmtpHooks = { onRcptTo: (a) => (down && a.address === 'ada@example.org' ? smtpError(421, 'Service not available') : undefined) };
    const first = await run(hooks);
    expect(first).toMatchObject({ sent: 4, deferred: 1, complete: false });
    const ada = await store.getSubscriberByEmail('ada@example.org');
    expect(await store.getDelivery('2025-12-11', ada!.id)).toMatchObject({ status: 'deferred', attempts: 3 });
    down = false;
    const second = await run(hooks);
    expect(second).toMatchObject({ sent: 1, deferred: 0, complete: true });
    expect(server!.received.filter((m) => m.envelopeTo[0] === 'ada@example.org')).toHaveLength(1);
  });

  it('stops the run at once on an authentication failure, with an SmtpError', async () => {
    server = await startSmtpServer({ auth: { user: 'u', pass: 'right' } });
    await expect(run({}, {
      transport: pool(server.port, 1, { user: 'u', pass: 'wrong' }),
    })).rejects.toBeInstanceOf(SmtpError);
    expect(server.received).toHaveLength(0);
  });

  it('refuses to start while another sender holds the issue lock', async () => {
    await store.acquireLock('send:2025-12-11', 'someone-else', 60_000);
    await expect(run({})).rejects.toBeInstanceOf(LockError);
  });
});
