/**
 * One entry point for `POST /webhooks/<provider>` (issue 15): checks the request as the
 * provider documents it and turns its payload into verified events. Nothing is returned that
 * was not verified; every refusal is a WebhookError whose `status` the route answers with
 * (401 signature, 400 payload, 413 size, 404 not configured, 503 certificate unreachable).
 *
 * 1. Refuse an unknown provider or one without credentials (404).
 * 2. Refuse a body over the limit (413), unread.
 * 3. Hand over to the provider's parser, which verifies first and maps second.
 */
import { parseMailgunWebhook } from './parse-mailgun-webhook.js';
import { parsePostmarkWebhook } from './parse-postmark-webhook.js';
import { parseSendgridWebhook } from './parse-sendgrid-webhook.js';
import { parseSesWebhook } from './parse-ses-webhook.js';
import { checkBodySize, MAX_WEBHOOK_BODY_BYTES } from './read-webhook-request.js';
import { WebhookNotConfiguredError } from './webhook-error.js';
import { WEBHOOK_PROVIDERS, type WebhookConfig, type WebhookProvider, type WebhookRequest, type WebhookResult } from './webhook-types.js';

/** Verifies one webhook request from `provider` and returns what it reports. */
export async function parseWebhook(provider: string, request: WebhookRequest, config: WebhookConfig): Promise<WebhookResult> {
  // 1. Provider.
  if (!(WEBHOOK_PROVIDERS as readonly string[]).includes(provider)) throw new WebhookNotConfiguredError(`no webhook provider named ${JSON.stringify(provider)}`);
  const p = provider as WebhookProvider;
  const now = (config.now ?? (() => new Date()))();

  // 2. Size.
  checkBodySize(request, config.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES);

  // 3. The provider's own check and mapping.
  switch (p) {
    case 'ses':
      if (!config.ses || config.ses.topicArns.length === 0) throw new WebhookNotConfiguredError('no SNS topic ARNs are configured for SES webhooks');
      return parseSesWebhook(request, config.ses, config, now);
    case 'postmark':
      if (!config.postmark) throw new WebhookNotConfiguredError('no Postmark webhook credentials are configured');
      return parsePostmarkWebhook(request, config.postmark, now);
    case 'sendgrid':
      if (!config.sendgrid?.publicKey) throw new WebhookNotConfiguredError('no SendGrid verification key is configured');
      return parseSendgridWebhook(request, config.sendgrid, now);
    case 'mailgun':
      if (!config.mailgun?.signingKey) throw new WebhookNotConfiguredError('no Mailgun webhook signing key is configured');
      return parseMailgunWebhook(request, config.mailgun, config, now);
  }
}
