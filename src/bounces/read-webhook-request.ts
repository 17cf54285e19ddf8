/**
 * The small readers every webhook parser shares: a header in any case, the body as JSON under
 * a size limit, a provider's time as ISO 8601, and a recipient address as a string. A body
 * that is not what the provider sends is a WebhookPayloadError (400).
 */
import { WebhookPayloadError, WebhookTooLargeError } from './webhook-error.js';
import type { WebhookRequest } from './webhook-types.js';

/** The default body limit: SNS messages are at most 256 KiB, SendGrid batches about 768 KiB. */
export const MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024;

/** A header's value (the first one when repeated), or undefined. */
export function headerOf(request: WebhookRequest, name: string): string | undefined {
  const h = request.headers;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(h as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Refuses a body over `maxBytes` unread. */
export function checkBodySize(request: WebhookRequest, maxBytes: number): void {
  if (request.rawBody.length > maxBytes) throw new WebhookTooLargeError(`webhook body is ${request.rawBody.length} bytes, over the ${maxBytes}-byte limit`);
}

/** The body parsed as JSON. */
export function jsonBody(request: WebhookRequest): unknown {
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('webhook body is not JSON');
  }
}

/** A plain object, or a WebhookPayloadError naming `what`. */
export function objectOf(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WebhookPayloadError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** A string field, or undefined. */
export const str = (o: Record<string, unknown> | undefined, key: string): string | undefined => {
  const v = o?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};

/** An address field that must be there, or a WebhookPayloadError. */
export function recipientOf(o: Record<string, unknown>, key: string, what: string): string {
  const v = str(o, key)?.trim();
  if (!v || !v.includes('@')) throw new WebhookPayloadError(`${what} has no recipient address in ${key}`);
  return v;
}

/** ISO 8601 from an ISO string or from Unix seconds (number or numeric string); `fallback` when neither. */
export function isoTime(value: unknown, fallback: Date): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return new Date(Number(value) * 1000).toISOString();
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return fallback.toISOString();
}
