/**
 * The gate's choice of copies (issue #22): one per copy plan, each as its first active
 * subscriber gets it (their own signed links), with a problem that only some copies have
 * counted as such; SEND_CHECKS=warn returns what fail would have stopped. Real SQLite, real
 * templates (a copy, edited), the sample digest.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ingestDigest } from '../../src/ingest/ingest-digest.js';
import { checkBeforeSend, SendChecksError } from '../../src/issue/check-before-send.js';
import { prepareIssue } from '../../src/issue/prepare-issue.js';
import { ROOT } from '../helpers/run-cli.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app on an in-memory database with a copy of the templates, its footer edited by `edit`. */
async function setUp(edit: (footer: string) => string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-gate-unit-'));
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const footer = path.join(dir, 'templates/partials/footer.mjml.hbs');
  writeFileSync(footer, edit(readFileSync(footer, 'utf8')));
  app = createApp(loadConfig({ DATABASE_URL: 'sqlite::memory:', TEMPLATES_DIR: path.join(dir, 'templates'), PUBLIC_URL: 'https://news.example.org', SECRET_KEY: 'k'.repeat(32), ...env }, dir));
  const store = app.store();
  await store.upsertSubscriber({ email: 'ada@example.org', name: 'Ada', status: 'active' });
  await store.upsertSubscriber({ email: 'bo@example.org', status: 'active' });
  await store.upsertSubscriber({ email: 'cy@example.org', status: 'active' }); // the same plan as bo
  await store.upsertSubscriber({ email: 'gone@example.org', name: 'Gone', themes: ['efficient-inference'], status: 'unsubscribed' });
  const { digest } = await ingestDigest(path.join(ROOT, 'content/digests'), {});
  const { compiled } = await prepareIssue(app, digest);
  return compiled;
}

describe('checkBeforeSend', () => {
  it('checks one copy per plan of the active subscribers, as each gets it, and says how many copies have a problem', async () => {
    // Named readers get a leftover; unnamed ones lose their unsubscribe link.
    const compiled = await setUp((f) =>
      f.replace('Unsubscribe</a>', 'Unsubscribe</a>\\{{#if recipient.name}} NaN\\{{/if}}').replace('href="\\{{recipient.unsubscribeUrl}}"', 'href="\\{{#if recipient.name}}\\{{recipient.unsubscribeUrl}}\\{{else}}https://news.example.org/help\\{{/if}}"'),
    );
    const error = await checkBeforeSend(app!, compiled).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendChecksError);
    const report = (error as SendChecksError).report;
    expect(report).toMatchObject({ mode: 'fail', checked: 2, plans: 2 });
    const lines = report.problems.map((p) => `${p.check}: ${p.message}`);
    expect(lines).toContainEqual(expect.stringMatching(/^leftovers: the HTML part has "NaN" left over from a template: .* \(in 1 of 2 copies\)$/));
    // bo's own signed link, not a preview reader's /manage.
    expect(lines).toContainEqual(expect.stringMatching(/^unsubscribe: the HTML part has no link to the reader's unsubscribe URL \(https:\/\/news\.example\.org\/u\/[A-Za-z0-9._-]{20,}\).* \(in 1 of 2 copies\)$/));
    expect((error as SendChecksError).message).toMatch(/^the pre-send checks stopped issue 2025-12-11: \d+ problems in 2 copies checked \(every copy plan of the list\):\n {2}/);
  });

  it('under SEND_CHECKS=warn returns the problems instead of stopping; a clean copy has none', async () => {
    const compiled = await setUp((f) => f.replace('Unsubscribe</a>', 'Unsubscribe</a> undefined'), { SEND_CHECKS: 'warn' });
    const report = await checkBeforeSend(app!, compiled);
    expect(report.mode).toBe('warn');
    expect(report.problems.map((p) => `${p.level} ${p.check}`)).toEqual(['error leftovers']);
    await app!.close();
    const clean = await setUp((f) => f);
    expect((await checkBeforeSend(app!, clean)).problems).toEqual([]);
  });
});
