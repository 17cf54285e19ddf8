/**
 * `send --weekly --to ADDRESS` (it used to be refused, so a weekly issue had no
 * test copy by CLI while a daily one had `send --to`). The built CLI, writing to the outbox: one
 * copy marked [TEST], outside the ledger, so the week still goes to its readers; a week with no
 * daily issue is exit 2 and one line; --dry-run and --limit stay refused with --to.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';

describe('send --weekly --to', () => {
  it('sends one test copy of the weekly issue, which is nobody\'s weekly issue', { timeout: 300_000 }, () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'pp-weekly-test-'));
    const env = { SUBSCRIBERS_SEED: 'off', TZ: 'UTC', SECRET_KEY: 'weekly-test-copy-secret-0123456789' };
    for (const args of [
      ['subscribers', 'add', 'ada@example.org', '--cadence', 'weekly'],
      ['subscribers', 'add', 'bob@example.org'],
      // Thursday 2025-12-11's issue, in 2025-W50; Bob reads it, Ada waits for the week.
      ['send', path.join(ROOT, 'content/digests')],
    ]) {
      const r = runCli(args, { cwd, env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }

    const test = runCli(['send', '--weekly', '2025-W50', '--to', 'me@example.org'], { cwd, env });
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^wrote a test copy to the outbox of weekly issue 2025-W50: "Trending papers, week of Dec 8: \d+ papers/);
    const week = path.join(cwd, 'out/outbox/2025-W50');
    const [eml, ...more] = readdirSync(week).filter((f) => f.endsWith('.eml'));
    expect(more).toEqual([]);
    const message = readFileSync(path.join(week, eml!), 'utf8');
    expect(message).toMatch(/^To: me@example\.org$/m);
    expect(message).toMatch(/^Subject: \[TEST\] Trending papers, week of Dec 8/m);
    expect(message).toMatch(/^Message-ID: <test\.2025-W50\.[0-9a-f]{16}@/m);

    // Not recorded: Ada, whose day (Monday) has come, is still owed the week.
    const dry = runCli(['send', '--weekly', '2025-W50', '--dry-run'], { cwd, env });
    expect(dry.stdout).toMatch(/would go to 1 weekly reader\(s\) now/);

    const none = runCli(['send', '--weekly', '2025-W45', '--to', 'me@example.org'], { cwd, env });
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toEqual(['error: no test copy of weekly issue 2025-W45: no daily issue of 2025-W45 is stored, so there is no week to send — give a week whose daily issues were sent (paperpost render --weekly YYYY-Www shows a week)']);
    for (const args of [
      ['send', '--weekly', '--to', 'me@example.org', '--dry-run'],
      ['send', '--weekly', '--to', 'me@example.org', '--limit', '1'],
    ]) {
      const r = runCli(args, { cwd, env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
