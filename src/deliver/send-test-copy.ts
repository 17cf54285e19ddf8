/**
 * One test copy of an issue to any address, outside the ledger (`send --to`, the preview's
 * test button). It looks like a subscriber's copy, with "[TEST]" in the subject and a
 * Message-ID of its own, so it never collides with a real delivery.
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { InputError, SmtpError } from '../errors.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import { personalizeIssue } from '../render/personalize-issue.js';
import { linksFor } from '../subscribers/links-for.js';
import { normalizeEmail } from '../subscribers/normalize-email.js';
import { createMessageBuilder, parseAddress } from './build-message.js';
import { mailDomain } from './message-id-for.js';
import { SendFailure } from './transport.js';

/** Sends one test copy of an issue outside the ledger. */
export async function sendTestCopy(app: App, compiled: CompiledIssue, address: string): Promise<void> {
  let to: string;
  try {
    to = normalizeEmail(address);
  } catch (e) {
    throw new InputError(`--to ${(e as Error).message}`, 'give one address such as you@example.org');
  }
  const suppressed = await app.store().findSuppression(to);
  if (suppressed) throw new InputError(`${to} is on the suppression list (${suppressed.pattern}: ${suppressed.reason}); paperpost never mails it`, 'send the test to another address, or take it off with paperpost suppress remove');
  const known = await app.store().getSubscriberByEmail(to);
  const links = known ? linksFor(app.config, known.id) : { unsubscribeUrl: `${app.config.publicUrl}/u/test`, preferencesUrl: `${app.config.publicUrl}/p/test` };
  const copy = personalizeIssue(compiled, { email: to, name: known?.name ?? null, themes: null, ...links })!;
  const messageId = `<test.${compiled.id}.${randomBytes(8).toString('hex')}@${mailDomain(app.config)}>`;
  const build = createMessageBuilder({ issueId: compiled.id, from: app.config.mailFrom, listId: app.config.listId, unsubscribeMailto: app.config.unsubscribeMailto });
  const raw = build({ to, toName: known?.name ?? null, subject: `[TEST] ${copy.subject}`, html: copy.html, text: copy.text, messageId, unsubscribeUrl: links.unsubscribeUrl, date: new Date() });
  const transport = app.transport();
  try {
    await transport.send({ from: parseAddress(app.config.mailFrom).email, to, messageId, raw, meta: { issueId: compiled.id, subscriberId: null, subject: copy.subject, html: () => copy.html } });
  } catch (e) {
    if (!(e instanceof SendFailure)) throw e;
    throw new SmtpError(`the test copy to ${to} was not accepted by ${transport.name}: ${e.message}`, e.hint ?? 'check SMTP_URL and that the mail server is reachable', { smtpCode: e.responseCode });
  }
  await transport.finish?.(compiled.id);
}
