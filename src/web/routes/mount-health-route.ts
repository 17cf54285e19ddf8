/**
 * GET /healthz for supervisors, load balancers and uptime checks: which version runs, and
 * whether the database answers. It asks the store one trivial question (a meta key); a server
 * whose database is gone, or does not answer within 5 seconds, answers 503, so a supervisor restarts it or a balancer routes around
 * it, instead of serving error pages. The reason goes to the log, never to the response (it
 * may name the database's host). No login: it says nothing about the list.
 */
import type { Hono } from 'hono';
import { PACKAGE_VERSION as VERSION } from '../../config.js';
import type { WebContext, WebEnv } from '../create-web-context.js';

/** Longer than this without an answer counts as failing: a supervisor's check should not hang. */
export const HEALTH_TIMEOUT_MS = 5_000;

/** Adds /healthz. */
export function mountHealthRoute(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { app } = ctx;
  hono.get('/healthz', async (c) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS / 1000} s`)), HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([app.store().getMeta('healthz'), late]);
    } catch (error) {
      ctx.log(`web: /healthz: the database did not answer: ${(error as Error).message ?? String(error)}`);
      return c.json({ status: 'unavailable', version: VERSION, database: 'failing' }, 503);
    } finally {
      clearTimeout(timer);
    }
    return c.json({ status: 'ok', version: VERSION, database: 'ok' });
  });
}
