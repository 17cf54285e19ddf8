/**
 * POST /webhooks/<provider>: bounces and complaints reported by Amazon SES (through SNS),
 * Postmark, SendGrid and Mailgun. Each request's signature is verified as the provider
 * documents it (src/bounces/parse-webhook.ts) before anything is read from it:
 *
 * 1. read the raw body (signatures cover the exact bytes), up to 2 MiB;
 * 2. verify and parse it: a bad signature is 401, a replay or a malformed body 400, a provider
 *    without credentials in the configuration 404; nothing changes for any of them;
 * 3. an SNS subscription to one of SES_SNS_TOPIC_ARNS is confirmed by fetching its AWS URL;
 * 4. each bounce or complaint is applied (apply-mail-report.ts), once per provider event id;
 *    deliveries and other events are only acknowledged.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { applyMailReport } from '../../bounces/apply-mail-report.js';
import { parseWebhook } from '../../bounces/parse-webhook.js';
import { MAX_WEBHOOK_BODY_BYTES } from '../../bounces/read-webhook-request.js';
import { WebhookError } from '../../bounces/webhook-error.js';
import type { WebhookConfig } from '../../bounces/webhook-types.js';
import type { WebContext, WebEnv } from '../create-web-context.js';

/** Where an SNS SubscribeURL may point: AWS's SNS endpoints only. */
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Adds the webhook routes; `overrides` lets tests serve a signing certificate locally. */
export function mountWebhookRoutes(hono: Hono<WebEnv>, ctx: WebContext, overrides: Partial<WebhookConfig> = {}): void {
  const { app } = ctx;
  const b = app.config.bounces;
  const config: WebhookConfig = {
    ses: b.ses ? { topicArns: b.ses.topicArns, ...overrides.ses } : undefined,
    postmark: b.postmark,
    sendgrid: b.sendgrid ? { publicKey: b.sendgrid.publicKey, ...overrides.sendgrid } : undefined,
    mailgun: b.mailgun ? { signingKey: b.mailgun.signingKey, ...overrides.mailgun } : undefined,
    verp: b.domain ? { secretKey: app.config.secretKey, bounceDomain: b.domain } : undefined,
    maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
    now: ctx.now,
  };

  hono.post('/webhooks/:provider', bodyLimit({ maxSize: MAX_WEBHOOK_BODY_BYTES, onError: (c) => c.text('Request body too large', 413) }), async (c) => {
    const provider = c.req.param('provider');
    // 1 and 2.
    const rawBody = Buffer.from(await c.req.arrayBuffer());
    let result;
    try {
      result = await parseWebhook(provider, { headers: c.req.raw.headers, rawBody, url: c.req.url }, config);
    } catch (error) {
      if (!(error instanceof WebhookError)) throw error;
      ctx.log(`webhooks: ${provider}: refused (${error.status}): ${error.message}`);
      return c.text(error.message, error.status as 400);
    }
    // 3.
    if (result.kind === 'subscribe') {
      const url = URL.canParse(result.subscribeUrl) ? new URL(result.subscribeUrl) : null;
      if (!url || url.protocol !== 'https:' || !SNS_HOST.test(url.hostname)) {
        ctx.log(`webhooks: ses: refused to confirm a subscription whose URL is not AWS's (${result.subscribeUrl.slice(0, 200)})`);
        return c.text('Subscription URL refused', 400);
      }
      ctx.background(`confirming the SNS subscription to ${result.topicArn}`, async () => {
        const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
        if (!res.ok) throw new Error(`AWS answered ${res.status}`);
        ctx.log(`webhooks: ses: confirmed the SNS subscription to ${result.topicArn}`);
      });
      return c.text('ok');
    }
    if (result.kind === 'unsubscribed') {
      ctx.log(`webhooks: ses: SNS says the subscription to ${result.topicArn} was removed`);
      return c.text('ok');
    }
    // 4.
    const rules = { softBounceLimit: b.softBounceLimit, softBounceDays: b.softBounceDays };
    for (const e of result.events) {
      if (e.type !== 'bounce' && e.type !== 'complaint') continue;
      const { event, repeat } = await applyMailReport(
        app.store(),
        {
          source: `webhook:${e.provider}`,
          key: `${e.provider}:${e.eventId}`,
          type: e.type,
          severity: e.type === 'bounce' ? e.severity : undefined,
          recipient: e.recipient,
          status: e.type === 'bounce' ? (e.status ?? null) : null,
          diagnostic: e.type === 'bounce' ? (e.diagnostic ?? e.providerEvent) : `${e.providerEvent}${e.feedbackType ? ` (${e.feedbackType})` : ''}`,
          occurredAt: e.occurredAt,
          verp: e.verp,
          messageId: e.messageId ?? null,
          trustRecipient: true,
        },
        rules,
        ctx.now(),
      );
      ctx.log(`webhooks: ${e.provider}: ${e.type}${e.type === 'bounce' ? ` (${e.severity})` : ''} for ${e.recipient}: ${repeat ? 'already processed' : event.outcome}`);
    }
    return c.text('ok');
  });
}
