/**
 * PUBLIC_URL: every unsubscribe link and web page in the email points there, so it must
 * answer, and over https (List-Unsubscribe-Post one-click and Gmail's sender rules expect it).
 * http is a warning; no answer or a 5xx is a failure.
 */
import http from 'node:http';
import https from 'node:https';
import type { CheckResult } from './doctor-check.js';

export interface PublicUrlSettings {
  publicUrl: string;
  timeoutMs?: number;
  /** Extra trusted certificate authorities (tests: a local server's own certificate). */
  ca?: string | Buffer;
}

/** 1. GET the URL itself; 2. ok for any status below 500 over https. */
export async function checkPublicUrl(settings: PublicUrlSettings): Promise<CheckResult> {
  const name = 'PUBLIC_URL';
  const url = new URL(settings.publicUrl);
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  // 1.
  let status: number;
  try {
    status = await new Promise<number>((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.get(url, { timeout: settings.timeoutMs ?? 15_000, ...(settings.ca ? { ca: settings.ca } : {}) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${settings.timeoutMs ?? 15_000} ms`)));
      req.on('error', reject);
    });
  } catch (e) {
    return { name, status: 'failure', message: `${shown} is not reachable: ${(e as Error).message}` };
  }
  // 2.
  if (status >= 500) return { name, status: 'failure', message: `${shown} answers ${status}` };
  if (url.protocol !== 'https:') return { name, status: 'warning', message: `${shown} answers ${status}, but over http: links in the email should use https` };
  return { name, status: 'ok', message: `${shown} answers ${status} over https` };
}
