/**
 * Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded
 * browser): launched with the flags this machine's closed network needs, a context that may
 * reach only the app under test, and axe-core's verdict on a page.
 *
 * Chromium is found (or installed from Debian, or named as missing in one line) when a test
 * file that imports this one is loaded, not in its beforeAll: an install may take longer than
 * a hook may.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../../helpers/run-cli.js';
import { CHROMIUM as CHROMIUM_TOOL, ensureSystemTool } from '../../helpers/ensure-system-tool.js';

const CHROMIUM = await ensureSystemTool(CHROMIUM_TOOL);
const AXE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Starts Debian's Chromium headless. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** A context that, like an offline server's users, reaches nothing but `base`; `external` lists what it tried. */
export async function offlineContext(browser: Browser, base: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; external: string[] }> {
  const context = await browser.newContext({ viewport });
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  return { context, page, external };
}

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's WCAG 2 A/AA and best-practice violations on the page (run through DevTools, so the page's CSP still forbids its own scripts). */
export async function axeViolations(page: Page, options: { iframes?: boolean } = {}): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate<AxeResult>(
    `axe.run(document, { iframes: ${options.iframes ?? true}, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`,
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
