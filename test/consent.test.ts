/**
 * Consent is absolute (issue #11, items 1–3), checked as people would meet it: the real CLI,
 * a real `paperpost serve` process, and Chromium filling in the subscribe form.
 *
 * - Someone who unsubscribed stays unsubscribed when anyone posts their address to the form
 *   or an import lists them; only their own click on a fresh confirmation link brings them
 *   back, and a link from before they left no longer works.
 * - An export imported into a new database brings back every status, topic choice and date.
 * - The suppression list keeps its addresses and domains out of sends, test sends and
 *   confirmation emails, and sends count them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { launchChromium } from './web/support/chromium.js';
import { CLI, ROOT, runCli } from './helpers/run-cli.js';
import { freePort } from './helpers/free-port.js';


let dir: string;
let env: Record<string, string>;
let server: ChildProcess;
let url: string;
let browser: Browser;

const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { ...env, ...extra } });
const statusOf = (email: string, extra: Record<string, string> = {}) =>
  (JSON.parse(cli(['subscribers', 'list', '--json'], extra).stdout) as { email: string; status: string; themes: string[] | null }[]).find((s) => s.email === email);

/** The confirmation emails in the outbox for `email`, oldest first. */
async function confirmations(email: string) {
  const box = path.join(dir, 'outbox', 'subscriptions');
  if (!existsSync(box)) return [];
  const files = readdirSync(box).filter((f) => f.endsWith('.eml') && f.includes(email.replace('@', '_').split('_')[0]!)).sort();
  return Promise.all(files.map(async (f) => simpleParser(readFileSync(path.join(box, f)))));
}

async function subscribeInBrowser(email: string, topics: string[] = []) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url + '/');
    await page.getByLabel('Email address').fill(email);
    if (topics.length) {
      await page.getByLabel('Only the topics I tick below').check();
      await page.locator('summary', { hasText: /topics$/ }).click();
      for (const t of topics) await page.getByLabel(t, { exact: true }).check();
    }
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(`${url}/subscribe`);
    return await page.textContent('main');
  } finally {
    await context.close();
  }
}

async function confirmInBrowser(link: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(link);
    const button = page.getByRole('button', { name: 'Confirm my subscription' });
    if ((await button.count()) === 0) return (await page.textContent('h1')) ?? '';
    await button.click();
    await page.waitForSelector('text=will get the next issue');
    return (await page.textContent('h1')) ?? '';
  } finally {
    await context.close();
  }
}

const waitFor = async <T>(fn: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-consent-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = { DATABASE_URL: 'sqlite:data/list.db', OUTBOX_DIR: 'outbox', PUBLIC_URL: url, SECRET_KEY: 'consent-test-secret-0123456789abcdef', SUBSCRIBERS_SEED: 'off' };
  expect(cli(['subscribers', 'add', 'carol@example.org', '--name', 'Carol']).code).toBe(0);
  server = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stdout!.on('data', (d) => (out += d));
  await waitFor(async () => out.includes('serving on'));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

describe('someone who left', () => {
  it('stays out through the form and imports, and comes back only through their own fresh link', async () => {
    expect(cli(['subscribers', 'remove', 'carol@example.org']).code).toBe(0);

    // Not even a test copy reaches her.
    const test = cli(['send', 'content/digests', '--to', 'carol@example.org']);
    expect(test.code).toBe(2);
    expect(test.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: carol@example\.org has left the list \(unsubscribed\); paperpost never mails anyone who left/)]);

    // Anyone can post her address: the page is the same, and she stays unsubscribed.
    expect(await subscribeInBrowser('carol@example.org')).toContain('Check your inbox');
    const [first] = await waitFor(async () => ((await confirmations('carol@example.org')).length === 1 ? await confirmations('carol@example.org') : null));
    expect(statusOf('carol@example.org')!.status).toBe('unsubscribed');

    // An import never brings her back, with or without --skip-invalid, and says why.
    writeFileSync(path.join(dir, 'again.csv'), 'email,name,themes\ncarol@example.org,Carol,\nnew.person@example.org,New,\n');
    for (const extra of [[], ['--skip-invalid']]) {
      const r = cli(['subscribers', 'import', 'again.csv', ...extra]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/kept out again\.csv:2: carol@example\.org is unsubscribed on \d{4}-\d{2}-\d{2}; an import cannot bring them back/);
      expect(r.stdout).toMatch(/1 kept out/);
      expect(statusOf('carol@example.org')!.status).toBe('unsubscribed');
    }

    // A second request gets its own email (the outbox keeps both), with topics chosen this time.
    await subscribeInBrowser('carol@example.org', ['Efficient Inference']);
    const mails = await waitFor(async () => ((await confirmations('carol@example.org')).length === 2 ? await confirmations('carol@example.org') : null));
    const linkOf = (m: { text?: string }) => /https?:\/\/\S+\/confirm\/[A-Za-z0-9._-]+/.exec(m.text ?? '')![0];
    expect(linkOf(mails[1]!)).not.toBe(linkOf(first!));

    // Her own click on the fresh link brings her back, with the topics of that request.
    expect(await confirmInBrowser(linkOf(mails[1]!))).toBe('You are subscribed');
    expect(statusOf('carol@example.org')).toMatchObject({ status: 'active', themes: ['efficient-inference'] });

    // She leaves again: no link from before that works any more, not even one never clicked.
    expect(cli(['subscribers', 'remove', 'carol@example.org']).code).toBe(0);
    expect(await confirmInBrowser(linkOf(first!))).toBe('This link no longer works');
    expect(await confirmInBrowser(linkOf(mails[1]!))).toBe('This link no longer works');
    expect(statusOf('carol@example.org')!.status).toBe('unsubscribed');
  }, 60_000);
});

describe('export and import', () => {
  it('round-trips status, topic choices and dates into a new database', () => {
    writeFileSync(
      path.join(dir, 'mixed.csv'),
      'email,name,themes,status\nbob@example.org,Bob,"Efficient Inference, llm-agents",active\nerin@example.org,Erin,,bounced\nfay@example.org,,,complained\n',
    );
    expect(cli(['subscribers', 'import', 'mixed.csv']).code).toBe(0);
    const exported = cli(['subscribers', 'export']).stdout;
    writeFileSync(path.join(dir, 'all.csv'), exported);
    const other = { DATABASE_URL: 'sqlite:data/new.db' };
    const r = cli(['subscribers', 'import', 'all.csv'], other);
    expect(r.code, r.stderr).toBe(0);
    expect(cli(['subscribers', 'export'], other).stdout).toBe(exported);
    for (const [email, status] of [['carol@example.org', 'unsubscribed'], ['erin@example.org', 'bounced'], ['fay@example.org', 'complained'], ['bob@example.org', 'active']]) {
      expect(statusOf(email!, other)!.status).toBe(status);
    }
    // Importing the export again changes nobody.
    expect(cli(['subscribers', 'import', 'all.csv'], other).stdout).toMatch(/0 added, 0 updated, \d+ unchanged/);
  });
});

describe('the suppression list', () => {
  it('keeps its addresses and domains out of sends, test sends and confirmation emails', async () => {
    expect(cli(['subscribers', 'add', 'frank@example.org']).code).toBe(0);
    expect(cli(['subscribers', 'add', 'gina@blocked.example']).code).toBe(0);
    writeFileSync(path.join(dir, 'suppress.txt'), '# from the old provider\nfrank@example.org\n@blocked.example\n\n');
    const imported = cli(['suppress', 'import', 'suppress.txt']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/2 added, 0 already on the list; 2 active subscriber\(s\) are now never mailed/);
    expect(cli(['suppress', 'list']).stdout).toMatch(/^@blocked\.example\timported\t.*\nfrank@example\.org\timported/);

    expect(cli(['send', 'content/digests', '--dry-run']).stdout).toMatch(/would go to \d+ subscriber\(s\) now; 2 suppressed \(never mailed\)$/m);
    const send = cli(['send', 'content/digests']);
    expect(send.code, send.stderr).toBe(0);
    expect(send.stdout).toMatch(/suppressed 2/);
    const box = path.join(dir, 'outbox', '2025-12-11');
    const files = readdirSync(box).join(' ');
    expect(files).toContain('bob_example.org');
    expect(files).not.toMatch(/frank|gina/);

    const test = cli(['send', 'content/digests', '--to', 'gina@blocked.example']);
    expect(test.code).toBe(2);
    expect(test.stderr).toMatch(/^error: gina@blocked\.example is on the suppression list \(@blocked\.example: imported\)/);

    const before = (await confirmations('hank@blocked.example')).length;
    expect(await subscribeInBrowser('hank@blocked.example')).toContain('Check your inbox');
    await new Promise((r) => setTimeout(r, 500));
    expect((await confirmations('hank@blocked.example')).length).toBe(before);
    expect(statusOf('hank@blocked.example')).toBeUndefined();
  }, 60_000);
});
