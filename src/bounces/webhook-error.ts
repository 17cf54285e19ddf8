/**
 * What can go wrong with a provider's webhook request (issue 15), as types the web route maps
 * to a status without reading messages: a signature, credential, topic or timestamp that does
 * not check out is 401 and changes nothing; a body that is not the provider's format is 400;
 * a body over the limit is 413; a provider with no credentials configured is 404.
 */
import { PaperpostError } from '../errors.js';

/** Base class: `status` is the HTTP status the route answers with. */
export class WebhookError extends PaperpostError {
  readonly status: number;

  constructor(code: string, status: number, message: string, hint: string) {
    super(code, message, { hint, exitCode: 1 });
    this.status = status;
  }
}

/** Signature, credentials, signing certificate, topic or timestamp rejected (401). */
export class WebhookSignatureError extends WebhookError {
  constructor(message: string, hint = 'check the webhook secret configured for this provider, and the clocks') {
    super('WEBHOOK_SIGNATURE', 401, message, hint);
  }
}

/** The body is not what the provider sends: not JSON, missing fields, wrong shape (400). */
export class WebhookPayloadError extends WebhookError {
  constructor(message: string, hint = 'the request is not a webhook payload of this provider') {
    super('WEBHOOK_PAYLOAD', 400, message, hint);
  }
}

/** The body is over the size limit (413); it was not parsed. */
export class WebhookTooLargeError extends WebhookError {
  constructor(message: string, hint = 'the provider sends far smaller requests; this one was refused unread') {
    super('WEBHOOK_TOO_LARGE', 413, message, hint);
  }
}

/** No credentials are configured for this provider, so nothing from it can be trusted (404). */
export class WebhookNotConfiguredError extends WebhookError {
  constructor(message: string, hint = 'configure the provider\'s webhook secret to accept its webhooks') {
    super('WEBHOOK_NOT_CONFIGURED', 404, message, hint);
  }
}

/** Something the check needs is unreachable right now (the SNS signing certificate): 503, so the provider retries. */
export class WebhookUnavailableError extends WebhookError {
  constructor(message: string, hint = 'the provider retries; check the network if it persists') {
    super('WEBHOOK_UNAVAILABLE', 503, message, hint);
  }
}
