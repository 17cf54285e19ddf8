/**
 * One test copy of an issue to any address, outside the ledger (`send --to`, the preview's
 * test button). It looks like a subscriber's copy, with "[TEST]" in the subject and a
 * Message-ID of its own, so it never collides with a real delivery. Its recipient comes from
 * recipientFor() like every copy: a subscriber's address gets their name and links, any other
 * address a preview reader's (links to /manage). Either way it shows every topic, and a
 * subscriber's copy their "Picked for you" when `planOf` is given.
 *
 * An address on the suppression list, forgotten at its owner's request (whose keyed mark
 * stays there), or of a subscriber who left (unsubscribed, bounced, complained) gets no test
 * copy: bad input, one line.
 *
 * It takes only what it uses (TestCopyPorts), never the App.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { InputError, SmtpError } from '../errors.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import { personalizeIssue } from '../render/personalize-issue.js';
import type { SubscriberStore, SuppressionList } from '../store/store.js';
import { LEFT } from '../subscribers/decide-import.js';
import { FORGOTTEN_PREFIX } from '../subscribers/forgotten-address.js';
import { normalizeEmail } from '../subscribers/normalize-email.js';
import type { ReaderPlan } from '../picks/reader-plan.js';
import { copyRecipient } from '../render/copy-recipient.js';
import { previewReader } from '../subscribers/recipient.js';
import { createMessageBuilder, parseAddress } from './build-message.js';
import { mailDomain } from './message-id-for.js';
import { SendFailure, type Transport } from './transport.js';

/** Whether an address may be mailed, and whose it is (roles: SuppressionList, SubscriberStore). */
export type TestCopyReads = Pick<SuppressionList, 'findSuppression'> & Pick<SubscriberStore, 'getSubscriberByEmail'>;

/** What a test copy uses: the message settings, TestCopyReads, the transport. */
export interface TestCopyPorts {
  config: Pick<Config, 'mailFrom' | 'listId' | 'unsubscribeMailto' | 'publicUrl' | 'secretKey'>;
  store(): TestCopyReads;
  transport(): Transport;
  /** A subscriber's plan for this issue (issue/plan-readers.ts planOne), so their test copy has their picks; absent: none. */
  planOf?(reader: { id: number; themes: null }): Promise<ReaderPlan>;
}

/** Sends one test copy of an issue outside the ledger. */
export async function sendTestCopy(ports: TestCopyPorts, compiled: CompiledIssue, address: string): Promise<void> {
  const { config } = ports;
  let to: string;
  try {
    to = normalizeEmail(address);
  } catch (e) {
    throw new InputError(`--to ${(e as Error).message}`, 'give one address such as you@example.org');
  }
  // As every mail to one address but a confirmation: a forgotten address is never mailed either.
  const suppressed = await ports.store().findSuppression(to, { forgotten: true });
  if (suppressed?.pattern.startsWith(FORGOTTEN_PREFIX)) {
    throw new InputError(`${to} was forgotten at its owner's request; paperpost never mails it`, 'send the test to another address; only its owner can come back, through the subscribe form');
  }
  if (suppressed) throw new InputError(`${to} is on the suppression list (${suppressed.pattern}: ${suppressed.reason}); paperpost never mails it`, 'send the test to another address, or take it off with paperpost suppress remove');
  const known = await ports.store().getSubscriberByEmail(to);
  // Consent is absolute: someone who left (unsubscribed, bounced, complained) gets no test copy either.
  if (known && LEFT.has(known.status)) {
    throw new InputError(`${to} has left the list (${known.status}); paperpost never mails anyone who left`, 'send the test to another address; only the person can come back, through the subscribe form');
  }
  const reader = known ? { id: known.id, email: to, name: known.name, themes: null } : previewReader(to);
  const plan = known && ports.planOf ? await ports.planOf({ id: known.id, themes: null }) : undefined;
  const recipient = copyRecipient(config, compiled, { ...reader, plan });
  const copy = personalizeIssue(compiled, recipient)!;
  const messageId = `<test.${compiled.id}.${randomBytes(8).toString('hex')}@${mailDomain(config)}>`;
  const build = createMessageBuilder({ issueId: compiled.id, from: config.mailFrom, listId: config.listId, unsubscribeMailto: config.unsubscribeMailto });
  const raw = build({ to, toName: recipient.name, subject: `[TEST] ${copy.subject}`, html: copy.html, text: copy.text, messageId, unsubscribeUrl: recipient.unsubscribeUrl, date: new Date() });
  const transport = ports.transport();
  try {
    await transport.send({ from: parseAddress(config.mailFrom).email, to, messageId, raw, meta: { issueId: compiled.id, subscriberId: null, subject: copy.subject, html: () => copy.html } });
  } catch (e) {
    if (!(e instanceof SendFailure)) throw e;
    throw new SmtpError(`the test copy to ${to} was not accepted by ${transport.name}: ${e.message}`, e.hint ?? 'check SMTP_URL and that the mail server is reachable', { smtpCode: e.responseCode });
  }
  await transport.finish?.(compiled.id);
}
