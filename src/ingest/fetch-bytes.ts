/**
 * HTTP(S) GET for digests, with Node's global fetch (injectable for tests): a timeout per
 * attempt (headers and body), retries with exponential backoff on network errors, 5xx,
 * 408 and 429, a body cut off past the size limit. A 4xx is the user's to fix (exit 2);
 * a source still failing after the retries is a runtime failure (exit 1).
 */
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { DigestError } from '../errors.js';
import { MAX_DIGEST_BYTES, quote } from './parse-context.js';
import { readLimited, tooBig } from './read-limited.js';

/** Options of fetchBytes. */
export interface FetchOptions {
  /** Per attempt, covering the response headers and the body (default 15 s). */
  timeoutMs?: number;
  /** Further attempts after the first (default 3). */
  retries?: number;
  fetch?: typeof fetch;
  maxBytes?: number;
  /** First backoff delay; doubles each retry (default 250 ms). */
  backoffMs?: number;
}

const RETRY_STATUS = new Set([408, 429]);
const MAX_BACKOFF_MS = 10_000;

class Retryable extends Error {}

/** GETs `url` and returns the body; throws DigestError naming the URL on failure. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retries = Math.max(0, options.retries ?? 3);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? MAX_DIGEST_BYTES;
  const backoffMs = options.backoffMs ?? 250;
  let lastProblem = '';
  let lastCause: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    let retryAfterMs = 0;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(url, {
        signal: controller.signal,
        redirect: 'follow',
        headers: { accept: 'application/json, application/atom+xml, application/rss+xml, text/plain;q=0.9, */*;q=0.5' },
      });
      const status = `HTTP ${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trim();
      if (response.status >= 500 || RETRY_STATUS.has(response.status)) {
        retryAfterMs = retryAfter(response.headers.get('retry-after'));
        await response.body?.cancel().catch(() => undefined);
        throw new Retryable(status);
      }
      if (!response.ok) {
        const detail = await errorDetail(response);
        throw new DigestError(
          `${url}: ${status}${detail}`,
          response.status === 404 ? 'check the URL (for hf:DATE: Hugging Face has no list for that day)' : 'check the URL and any access it needs',
        );
      }
      const length = Number(response.headers.get('content-length'));
      if (Number.isFinite(length) && length > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw tooBig(url, maxBytes);
      }
      return response.body ? await readLimited(response.body, maxBytes, url) : Buffer.alloc(0);
    } catch (error) {
      if (error instanceof DigestError) throw error;
      lastCause = error;
      lastProblem = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : describeNetworkError(error);
    } finally {
      clearTimeout(timer);
    }
    if (attempt < retries) await sleep(Math.min(MAX_BACKOFF_MS, Math.max(retryAfterMs, backoffMs * 2 ** attempt)));
  }
  const attempts = retries + 1;
  throw new DigestError(
    `${url}: ${lastProblem} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
    'check the network connection and the URL, then try again',
    { exitCode: 1, cause: lastCause },
  );
}

/** What an error response says about itself (the "error" of a JSON body), quoted; '' when nothing useful. */
async function errorDetail(response: Response): Promise<string> {
  if (!response.body) return '';
  try {
    const body = (await readLimited(response.body, 4096, response.url).catch(() => Buffer.alloc(0))).toString('utf8');
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const said = typeof parsed.error === 'string' ? parsed.error : typeof parsed.message === 'string' ? parsed.message : '';
    return said.trim() === '' ? '' : ` (${quote(said, 120)})`;
  } catch {
    return '';
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Retryable) return error.message;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code) return `network error (${code})`;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `network error (${message.replace(/\s+/g, ' ')})`;
}

function retryAfter(header: string | null): number {
  if (header === null) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, at - Date.now());
}
