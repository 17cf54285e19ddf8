/**
 * `--check-links`: fetches each distinct link of a copy once and reports the ones that answer
 * 4xx or 5xx, as react-email's preview does. It never changes anything on the other side:
 *
 * 1. HEAD each URL (redirects followed), with a timeout, a few at a time;
 * 2. on 405 or 501 (a server that does not do HEAD), GET it instead and drop the body unread;
 * 3. a 4xx or 5xx answer is an error (a broken link); no answer (timeout, DNS, refused) is a
 *    warning, since the checking machine may simply not reach what readers reach.
 *
 * Unsubscribe links are safe to fetch: GET and HEAD on /u/<token> only show a page; only a
 * POST unsubscribes.
 */
import type { CheckProblem } from '../render/checks/check-problem.js';

/** How the links are fetched; `fetch` is the global one but in tests that fake the internet. */
export interface LinkStatusOptions {
  timeoutMs?: number;
  concurrency?: number;
  fetch?: typeof fetch;
  /** Sent as User-Agent, so a site's owner can tell what asked. */
  userAgent?: string;
}

/** What one URL answered: its final status, or why there was none. */
export interface LinkStatus {
  url: string;
  status: number | null;
  error?: string;
}

/** Step 1 and 2 for one URL. */
async function fetchStatus(url: string, o: Required<LinkStatusOptions>): Promise<LinkStatus> {
  const attempt = async (method: 'HEAD' | 'GET') => {
    const response = await o.fetch(url, { method, redirect: 'follow', signal: AbortSignal.timeout(o.timeoutMs), headers: { 'user-agent': o.userAgent } });
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  };
  try {
    let status = await attempt('HEAD');
    if (status === 405 || status === 501) status = await attempt('GET');
    return { url, status };
  } catch (e) {
    const error = e as Error & { cause?: { code?: string } };
    const why = error.name === 'TimeoutError' ? `no answer in ${o.timeoutMs / 1000} s` : (error.cause?.code ?? error.message);
    return { url, status: null, error: why };
  }
}

/** Fetches every URL once (a few at a time) and returns what each answered, in the order given. */
export async function fetchLinkStatuses(urls: readonly string[], options: LinkStatusOptions = {}): Promise<LinkStatus[]> {
  const o: Required<LinkStatusOptions> = {
    timeoutMs: options.timeoutMs ?? 10_000,
    concurrency: options.concurrency ?? 4,
    fetch: options.fetch ?? fetch,
    userAgent: options.userAgent ?? 'paperpost link check',
  };
  const distinct = [...new Set(urls)];
  const results: LinkStatus[] = new Array(distinct.length);
  let next = 0;
  const worker = async () => {
    while (next < distinct.length) {
      const i = next++;
      results[i] = await fetchStatus(distinct[i]!, o);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, distinct.length) }, worker));
  return results;
}

/** Step 3: the statuses as problems, one line per broken or unreachable link. */
export function linkStatusProblems(statuses: readonly LinkStatus[]): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const s of statuses) {
    if (s.status === null) problems.push({ level: 'warning', check: 'link-status', message: `${s.url}: could not be fetched (${s.error})` });
    else if (s.status >= 400) problems.push({ level: 'error', check: 'link-status', message: `${s.url}: answers ${s.status}` });
  }
  return [...problems.filter((p) => p.level === 'error'), ...problems.filter((p) => p.level === 'warning')];
}

/** Fetches each link once and returns the problems (see the file comment). */
export async function checkLinkStatus(urls: readonly string[], options: LinkStatusOptions = {}): Promise<CheckProblem[]> {
  return linkStatusProblems(await fetchLinkStatuses(urls, options));
}
