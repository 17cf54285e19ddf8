/**
 * "Forgotten readers stay forgotten" (README, Consent): after `subscribers forget`, only the
 * keyed mark of the address stays on the suppression list, and it keeps the address from every
 * mail to one address (a test copy, an "already subscribed" email) but the owner's own
 * confirmation email, which is their way back. Checked with the real CLI on SQLite (outbox
 * transport) and the subscribe form's own code (subscribeAddress, sendSubscriptionMail).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { paper, scratch, writeDigest } from './schedule/helpers.js';
import { subscribeAddress } from '../src/web/routes/subscribe-address.js';
import { sendSubscriptionMail } from '../src/web/routes/send-subscription-mail.js';

const lines = (s: string) => s.trim().split('\n').filter(Boolean);

/** A scratch list with erin added then forgotten, and a digest to send. */
function forgottenErin() {
  const s = scratch();
  writeDigest(s, '2026-03-02', [paper('kv', 1, 9), paper('kv', 2, 8), paper('distill', 3, 7)]);
  const cli = (args: string[]) => runCli(args, { cwd: s.dir, env: s.env });
  expect(cli(['subscribers', 'add', 'erin@example.org', '--name', 'Erin']).code).toBe(0);
  const forgot = cli(['subscribers', 'forget', 'erin@example.org']);
  expect(forgot.code, forgot.stderr).toBe(0);
  const outbox = (folder: string) => {
    const dir = path.join(s.dir, 'outbox', folder);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
  };
  return { s, cli, outbox };
}

describe('a forgotten address', () => {
  it('gets no test copy, and its owner still gets the confirmation email that brings them back', async () => {
    const { s, cli, outbox } = forgottenErin();
    const test = cli(['send', '--to', 'Erin@Example.org']);
    expect(test.code, test.stdout).toBe(2);
    expect(lines(test.stderr)).toEqual([expect.stringMatching(/^error: Erin@example\.org was forgotten at its owner's request; paperpost never mails it/)]);
    expect(test.stdout).not.toMatch(/sent a test copy/);
    expect(outbox('2026-03-02')).toEqual([]);
    // Any other address still gets its test copy.
    expect(cli(['send', '--to', 'operator@example.org']).code).toBe(0);
    expect(outbox('2026-03-02')).toHaveLength(1);

    // The owner comes back through the form: pending, with a confirmation email (the way back).
    const app = s.app();
    try {
      const outcome = await subscribeAddress(app, { email: 'erin@example.org', name: null, themes: null });
      expect(outcome.mail).toBe('confirm');
      expect(outcome.subscriber?.status).toBe('pending');
      await sendSubscriptionMail(app, outcome.subscriber!, 'confirm', () => new Date(), outcome.confirmation!.nonce);
      expect(outbox('subscriptions')).toHaveLength(1);
      // Nothing but that confirmation: an "already subscribed" email is not sent to the mark.
      await sendSubscriptionMail(app, outcome.subscriber!, 'already-subscribed', () => new Date());
      expect(outbox('subscriptions')).toHaveLength(1);
    } finally {
      await app.close();
    }
    // Pending, not yet confirmed: still no test copy.
    expect(cli(['send', '--to', 'erin@example.org']).code).toBe(2);
  }, 120_000);

  it("is refused by subscribers add while its owner's new sign-up is pending, and keeps the owner's choices", async () => {
    const { s, cli } = forgottenErin();
    const app = s.app();
    try {
      const outcome = await subscribeAddress(app, { email: 'erin@example.org', name: 'Erin', themes: null });
      expect(outcome.subscriber?.status).toBe('pending');
    } finally {
      await app.close();
    }
    const add = cli(['subscribers', 'add', 'erin@example.org', '--name', 'Zed', '--topics', 'llm-agents']);
    expect(add.code, add.stdout).toBe(2);
    expect(lines(add.stderr)).toEqual([expect.stringMatching(/^error: erin@example\.org was forgotten at its owner's request and has not confirmed its new sign-up yet/)]);
    expect(add.stdout).toBe('');
    const listed = JSON.parse(cli(['subscribers', 'list', '--json']).stdout) as { email: string; name: string | null; status: string; topics: string[] | null }[];
    expect(listed).toEqual([expect.objectContaining({ email: 'erin@example.org', name: 'Erin', status: 'pending', topics: null })]);
  }, 120_000);
});

describe('a forgotten address signed up again, not yet confirmed', () => {
  it('gets no follows recorded, as it gets no ratings (subscribers follow refuses, one line)', async () => {
    const { s, cli } = forgottenErin();
    const app = s.app();
    try {
      const outcome = await subscribeAddress(app, { email: 'erin@example.org', name: null, themes: null });
      expect(outcome.subscriber?.status).toBe('pending');
    } finally {
      await app.close();
    }
    const follow = cli(['subscribers', 'follow', 'erin@example.org', '--author', 'Tri Dao']);
    expect(follow.code).toBe(2);
    expect(lines(follow.stderr)).toEqual([expect.stringMatching(/^error: subscribers follow: erin@example\.org was forgotten at its owner's request and has not confirmed again/)]);
    const shown = cli(['subscribers', 'show', 'erin@example.org', '--json']);
    expect((JSON.parse(shown.stdout) as { follows: unknown[] }).follows).toEqual([]);
    // Any other address still has its follows set, as before.
    expect(cli(['subscribers', 'add', 'fresh@example.org']).code).toBe(0);
    expect(cli(['subscribers', 'follow', 'fresh@example.org', '--author', 'Tri Dao']).code).toBe(0);
  });
});
