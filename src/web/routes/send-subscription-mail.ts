/**
 * The two emails the subscribe form can cause: the double opt-in confirmation, and, for an
 * address that is already subscribed, a note saying so with its own preferences and
 * unsubscribe links (the page never tells who is subscribed; only the address's owner
 * learns it). Both go through the configured transport like an issue does.
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../../app.js';
import { createMessageBuilder, parseAddress } from '../../deliver/build-message.js';
import { signConfirmToken, signToken } from '../../subscribers/sign-token.js';
import type { Subscriber } from '../../types.js';
import { renderHtml as h, type Html } from '../views/render-html.js';

/** Which email. */
export type SubscriptionMailKind = 'confirm' | 'already-subscribed';

/** The ledger-free "issue id" these messages are filed under (the outbox's folder name). */
export const SUBSCRIPTION_MAIL_ID = 'subscriptions';

const wrap = (title: string, body: Html) => h`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#ffffff;color:#1f2328;font:16px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">
<div style="max-width:560px;margin:0 auto">${body}</div></body></html>`;

const button = (href: string, label: string) =>
  h`<p style="margin:24px 0"><a href="${href}" style="display:inline-block;background:#0b57d0;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px">${label}</a></p>`;

/** Subject, HTML and text of one subscription email. */
export function composeSubscriptionMail(app: App, subscriber: Subscriber, kind: SubscriptionMailKind, nonce?: string) {
  const { publicUrl, secretKey } = app.config;
  const unsubscribeUrl = `${publicUrl}/u/${signToken(secretKey, 'unsubscribe', subscriber.id)}`;
  if (kind === 'confirm') {
    if (!nonce) throw new Error('a confirmation email needs the request it confirms');
    const confirmUrl = `${publicUrl}/confirm/${signConfirmToken(secretKey, subscriber.id, nonce)}`;
    const subject = 'Confirm your subscription to paperpost';
    const html = wrap(
      subject,
      h`<h1 style="font-size:22px;margin:0 0 16px">Confirm your subscription</h1>
<p>Someone, probably you, asked to subscribe ${subscriber.email} to paperpost, a daily email of trending machine-learning papers grouped by topic.</p>
${button(confirmUrl, 'Confirm my subscription')}
<p>Or open this link: <a href="${confirmUrl}" style="color:#0b57d0">${confirmUrl}</a></p>
<p style="color:#57606a;font-size:14px">If it was not you, ignore this email: nothing more will be sent.</p>`,
    );
    const text = [
      'Confirm your subscription',
      '',
      `Someone, probably you, asked to subscribe ${subscriber.email} to paperpost, a daily email of trending machine-learning papers grouped by topic.`,
      '',
      `Confirm: ${confirmUrl}`,
      '',
      'If it was not you, ignore this email: nothing more will be sent.',
      '',
    ].join('\n');
    return { subject, html: String(html), text, unsubscribeUrl };
  }
  const preferencesUrl = `${publicUrl}/p/${signToken(secretKey, 'preferences', subscriber.id)}`;
  const subject = 'You are already subscribed to paperpost';
  const html = wrap(
    subject,
    h`<h1 style="font-size:22px;margin:0 0 16px">You are already subscribed</h1>
<p>Someone, probably you, entered ${subscriber.email} in paperpost's subscribe form. This address already gets paperpost; nothing has changed.</p>
${button(preferencesUrl, 'Choose your topics')}
<p><a href="${unsubscribeUrl}" style="color:#0b57d0">Unsubscribe</a></p>`,
  );
  const text = [
    'You are already subscribed',
    '',
    `Someone, probably you, entered ${subscriber.email} in paperpost's subscribe form. This address already gets paperpost; nothing has changed.`,
    '',
    `Choose your topics: ${preferencesUrl}`,
    `Unsubscribe: ${unsubscribeUrl}`,
    '',
  ].join('\n');
  return { subject, html: String(html), text, unsubscribeUrl };
}

/**
 * Sends one subscription email through app.transport(); rejects with the transport's error.
 * Checks the suppression list last thing before sending: a suppressed address gets nothing, and
 * a forgotten one (its keyed mark) nothing but a confirmation email.
 */
export async function sendSubscriptionMail(app: App, subscriber: Subscriber, kind: SubscriptionMailKind, now: () => Date, nonce?: string): Promise<void> {
  // A confirmation is the only way back for an address forgotten at its owner's request; nothing else goes to one.
  if (await app.store().findSuppression(subscriber.email, { forgotten: kind !== 'confirm' })) return;
  const mail = composeSubscriptionMail(app, subscriber, kind, nonce);
  const from = parseAddress(app.config.mailFrom).email;
  const domain = from.split('@')[1] ?? 'localhost';
  const messageId = `<${kind}.${randomBytes(10).toString('hex')}@${domain}>`;
  const build = createMessageBuilder({ issueId: SUBSCRIPTION_MAIL_ID, from: app.config.mailFrom, listId: app.config.listId, unsubscribeMailto: app.config.unsubscribeMailto });
  const raw = build({
    to: subscriber.email,
    toName: subscriber.name,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId,
    unsubscribeUrl: mail.unsubscribeUrl,
    date: now(),
  });
  const transport = app.transport();
  await transport.send({ from, to: subscriber.email, messageId, raw, meta: { issueId: SUBSCRIPTION_MAIL_ID, subscriberId: subscriber.id, subject: mail.subject, html: () => mail.html, fileTag: `${kind}-${now().toISOString()}` } });
  await transport.finish?.(SUBSCRIPTION_MAIL_ID);
}
