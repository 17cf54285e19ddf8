/**
 * No user mistake reaches the "unexpected failure (this is a bug)" path (issue #11, item 5):
 * random argument lists for every command, with bad addresses, paths, numbers and options,
 * always end in exit 0, 1 or 2 with one line, never a stack trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ROOT, runCli, runCliAsync } from './helpers/run-cli.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'pp-args-'));
  cpSync(path.join(ROOT, 'content'), path.join(cwd, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(cwd, 'templates'), { recursive: true });
  writeFileSync(path.join(cwd, 'list.csv'), 'email,name,themes\nada@example.org,Ada,\n');
  writeFileSync(path.join(cwd, 'junk.bin'), Buffer.from([0, 1, 2, 3, 255]));
  expect(runCli(['subscribers', 'add', 'ada@example.org'], { cwd }).code).toBe(0);
});

const SAMPLE = 'content/digests/hf-papers-2025-12-11.txt';
const values = fc.constantFrom(
  'not-an-email', 'a@b', '', ' ', '-', '--', '@example.com', 'ada@example.org', 'x'.repeat(300) + '@example.org',
  '/nonexistent/dir/file', '/proc/self/mem', '.', 'junk.bin', 'list.csv', SAMPLE, 'content/digests', 'hf:not-a-date',
  '0', '-1', '1e9', 'NaN', '2025-13-45', 'user@bücher.example', '"quoted"@example.org', '../../etc/passwd', '%00', '\u202e',
);
const commands: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('digest', 'themes'), values, fc.constantFrom([], ['--json'], ['--format', 'hf-api'], ['--date', '2025-12-11'], ['--date', 'x'])).map(([c, v, o]) => [c, v, ...o]),
  fc.tuple(values, values).map(([s, o]) => ['render', SAMPLE, '--out', path.join('out', o || 'x'), '--subscriber', s]),
  fc.tuple(values).map(([o]) => ['render', SAMPLE, '--out', o]),
  fc.tuple(values, fc.constantFrom(['--dry-run'], ['--dry-run', '--limit'], ['--to'], ['--limit'])).map(([v, o]) => ['send', SAMPLE, ...o, v]),
  fc.tuple(fc.constantFrom('add', 'remove'), values).map(([c, v]) => ['subscribers', c, v]),
  fc.tuple(values).map(([v]) => ['subscribers', 'add', 'bob@example.org', '--themes', v]),
  fc.tuple(values).map(([v]) => ['subscribers', 'import', v]),
  fc.tuple(values).map(([v]) => ['subscribers', 'list', '--status', v]),
  fc.tuple(fc.constantFrom('add', 'remove', 'import'), values).map(([c, v]) => ['suppress', c, v]),
  fc.tuple(values).map(([v]) => ['schedule', '--next', v]),
);

describe('CLI arguments', () => {
  it('never reports a user mistake as a bug', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (args) => {
        const r = await runCliAsync(args, { cwd, env: { SEND_RETRY_BASE_MS: '1' } });
        const context = `paperpost ${JSON.stringify(args)} → ${r.code}\n${r.stderr}`;
        expect([0, 1, 2], context).toContain(r.code);
        expect(r.stderr, context).not.toMatch(/unexpected failure|this is a bug/);
        expect(r.stderr, context).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 40, seed: 11 },
    );
  }, 120_000);

  it('says a bad --subscriber address is bad input (exit 2, one line)', () => {
    const r = runCli(['render', SAMPLE, '--out', path.join(cwd, 'out'), '--subscriber', 'not-an-email'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))).toEqual([expect.stringMatching(/^error: --subscriber "not-an-email" is not a valid email address/)]);
  });
});
