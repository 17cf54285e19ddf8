/**
 * `suppress list`'s output imports back with `suppress import` (parse-suppression-list.ts), so
 * a suppression list moves to another installation: every entry with its reason and date, the
 * keyed marks of forgotten addresses included, which keep a forgotten address out of the new
 * installation when it has the same SECRET_KEY. Checked with the real CLI from SQLite into a
 * new SQLite file and into PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { runCli } from './helpers/run-cli.js';
import { connectAdmin, createTestDatabase } from './store/store-backends.js';

const SECRET_KEY = 'round-trip-secret-key-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'pp-suppress-trip-'));
let admin: pg.Client;
let pgDb: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  admin = await connectAdmin();
  pgDb = await createTestDatabase(admin, 'suppresstrip');
});
afterAll(async () => {
  await pgDb?.drop();
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (url: string, args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: url, SECRET_KEY } });

describe('suppress list | suppress import', () => {
  const from = `sqlite:${path.join(dir, 'from.db')}`;
  let listed = '';
  beforeAll(() => {
    for (const args of [
      ['subscribers', 'add', 'gone@example.org'],
      ['subscribers', 'add', 'complained@example.org'],
      ['suppress', 'add', 'complained@example.org', '--reason', 'complaint via provider'],
      ['subscribers', 'forget', 'gone@example.org'],
      ['subscribers', 'forget', 'complained@example.org'],
      ['suppress', 'add', '@spamtrap.example', 'legal@example.org', '--reason', 'legal request'],
    ]) {
      const r = cli(from, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    listed = cli(from, ['suppress', 'list']).stdout;
    expect(listed).toMatch(/^forgotten:[0-9a-f]{64}\t/m);
    expect(listed).toMatch(/^suppressed:[0-9a-f]{64}\t/m);
    writeFileSync(path.join(dir, 's.txt'), listed);
  });

  it.each([
    ['a new SQLite file', () => `sqlite:${path.join(dir, 'to.db')}`],
    ['PostgreSQL', () => pgDb.url],
  ])('imports into %s exactly, and a forgotten address stays out there', (_name, to) => {
    const r = cli(to(), ['suppress', 'import', path.join(dir, 's.txt')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/5 added, 0 already on the list/);
    expect(r.stderr).toMatch(/note: 3 mark\(s\) of forgotten addresses carried as they are: .*same SECRET_KEY/);
    expect(cli(to(), ['suppress', 'list']).stdout).toBe(listed);
    // The mark keeps the forgotten address out of the new installation too.
    const back = cli(to(), ['subscribers', 'add', 'gone@example.org']);
    expect(back.code).toBe(2);
    expect(back.stderr).toMatch(/forgotten/);
  });

  it('still refuses a line that is not an entry, with its line number, adding nothing', () => {
    writeFileSync(path.join(dir, 'bad.txt'), `${listed}not an address\tx\t2026-01-01T00:00:00.000Z\nok@example.org\tx\tyesterday\n`);
    const to = `sqlite:${path.join(dir, 'bad.db')}`;
    const r = cli(to, ['suppress', 'import', path.join(dir, 'bad.txt')]);
    expect(r.code).toBe(2);
    const n = listed.trim().split('\n').length;
    expect(r.stderr).toMatch(new RegExp(`rejected .*bad\\.txt:${n + 1}: `));
    expect(r.stderr).toMatch(new RegExp(`rejected .*bad\\.txt:${n + 2}: "yesterday" is not a date`));
  });
});
