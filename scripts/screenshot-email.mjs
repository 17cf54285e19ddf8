#!/usr/bin/env node
/**
 * Renders the 39-paper sample issue and takes full-page screenshots in headless Chromium at
 * 600 px (desktop mail pane) and 375 px (phone), in light and dark colour schemes, into
 * test-artifacts/ (git-ignored). Look at them before calling a template change done.
 *
 *   npm run build && node scripts/screenshot-email.mjs [THEMED.json | DIGEST] [--out DIR]
 *
 * With no argument it uses test/fixtures/render/themed-2025-12-11.json. Any other file that is
 * not a themed digest (JSON with `themes`) is read with the ingest and group stages.
 * Chromium: Debian's /usr/bin/chromium (apt-get install chromium), or CHROMIUM_PATH.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'test-artifacts'));
const input = args.find((a, i) => !a.startsWith('--') && i !== outIndex + 1) ?? path.join(root, 'test/fixtures/render/themed-2025-12-11.json');

async function loadThemed(file) {
  const text = await fs.readFile(file, 'utf8');
  try {
    const json = JSON.parse(text);
    if (Array.isArray(json.themes)) return json;
  } catch {
    // Not JSON: a raw digest, handled below.
  }
  const { parseDigest } = await import('../dist/ingest/parse-digest.js');
  const { groupPapers } = await import('../dist/topics/group-papers.js');
  const parsed = await parseDigest(text, { name: file });
  return groupPapers(parsed.digest ?? parsed);
}

const { compileIssue } = await import('../dist/render/compile-issue.js').catch(() => {
  console.error('error: dist/render is missing (run npm run build first)');
  process.exit(2);
});
const { personalizeIssue } = await import('../dist/render/personalize-issue.js');

const themed = await loadThemed(input);
const compiled = await compileIssue(themed, {
  templatesDir: path.join(root, 'templates'),
  publicUrl: 'https://paperpost.example.org',
  themeStatus: { [themed.themes[0]?.id]: 'new today', [themed.themes[1]?.id]: '3rd day running' },
  stillTrending: [
    { title: 'Attention Is All You Need', url: 'https://arxiv.org/abs/1706.03762', upvotesThen: 12, upvotesNow: 30 },
    { title: 'Scaling Laws for Neural Language Models', url: 'https://arxiv.org/abs/2001.08361', upvotesThen: null, upvotesNow: 8 },
  ],
});
const message = personalizeIssue(compiled, {
  email: 'ada@example.org',
  name: 'Ada',
  themes: null,
  unsubscribeUrl: 'https://paperpost.example.org/unsubscribe/placeholder-token',
  preferencesUrl: 'https://paperpost.example.org/preferences/placeholder-token',
});
await fs.mkdir(outDir, { recursive: true });
await fs.writeFile(path.join(outDir, 'email.html'), message.html);
await fs.writeFile(path.join(outDir, 'email.txt'), message.text);

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium
  .launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  .catch((error) => {
    console.error(`error: cannot start Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH): ${error.message}`);
    process.exit(2);
  });
try {
  for (const width of [600, 375]) {
    for (const colorScheme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
      // Nothing outside the document may load: an email that needs the network is a bug.
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(message.html, { waitUntil: 'load' });
      // eslint-disable-next-line no-undef -- runs in the page, where document exists
      const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth);
      const file = path.join(outDir, `email-${width}-${colorScheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`${path.relative(root, file)}: scrollWidth ${overflow}px${overflow > width ? ' (OVERFLOWS)' : ''}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`${compiled.paperCount} papers, ${compiled.sections.length} themes, HTML ${message.html.length} chars (${compiled.htmlBytes} bytes with long per-subscriber values), text ${compiled.textBytes} bytes`);
for (const warning of compiled.warnings) console.log(`warning: ${warning}`);
