/**
 * The operator's pages under /admin, wired in order: the access check and login first (it must
 * stand in front of every other admin route), then the issues (list, preview, frame), one
 * subscriber's record, and "send a test to…". Each group lives in its own module; the preview's
 * content is a plain model (../build-issue-preview.ts).
 */
import type { Hono } from 'hono';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { createAdminChrome } from './create-admin-chrome.js';
import { mountAdminAuth } from './mount-admin-auth.js';
import { mountAdminIssueRoutes } from './mount-admin-issue-routes.js';
import { mountAdminSubscriberRoutes } from './mount-admin-subscriber-routes.js';
import { mountAdminTestSend } from './mount-admin-test-send.js';

/** Adds the routes (and the access check in front of them) to `hono`. */
export function mountAdminRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
  const chrome = createAdminChrome(ctx);
  mountAdminAuth(hono, ctx);
  mountAdminIssueRoutes(hono, ctx, chrome);
  mountAdminSubscriberRoutes(hono, ctx, chrome);
  mountAdminTestSend(hono, ctx, chrome);
}
