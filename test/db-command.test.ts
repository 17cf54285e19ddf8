/**
 * `paperpost db migrate` and `paperpost db copy` through the real CLI (issue #16, "Moving
 * over"): an installation on SQLite (subscribers, a sent issue, its ledger and history, a
 * suppression, a bounce event) moves to PostgreSQL and back with every count checked, and
 * paperpost on the copy knows the issue has gone out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { ROOT, runCli } from './helpers/run-cli.js';
import { connectAdmin, createTestDatabase } from './store/store-backends.js';

let admin: pg.Client;
const drops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  admin = await connectAdmin();
});
afterAll(async () => {
  for (const drop of drops) await drop();
  await admin?.end();
});

describe('paperpost db', () => {
  it('migrates, copies SQLite → PostgreSQL → SQLite with every count checked, and refuses a target that is not empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-db-'));
    cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
    cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const env = { SECRET_KEY: 'db-command-secret-0123456789abcdef' };
    const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { ...env, ...extra } });

    const migrated = cli(['db', 'migrate']);
    expect(migrated.stdout).toMatch(/^applied migration\(s\) 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11: the schema is at version 11\n$/);
    expect(cli(['db', 'migrate']).stdout).toBe('the schema is current (version 11)\n');

    expect(cli(['subscribers', 'add', 'ada@example.org', '--name', 'Ada', '--topics', 'Efficient Inference']).code).toBe(0);
    expect(cli(['subscribers', 'add', 'bob@example.org']).code).toBe(0);
    expect(cli(['subscribers', 'add', 'cy@example.org']).code).toBe(0);
    expect(cli(['subscribers', 'remove', 'cy@example.org']).code).toBe(0);
    expect(cli(['suppress', 'add', '@blocked.example']).code).toBe(0);
    expect(cli(['send', 'content/digests']).code).toBe(0);
    const exported = cli(['subscribers', 'export']).stdout;

    const pgdb = await createTestDatabase(admin, 'copy');
    drops.push(pgdb.drop);
    const copied = cli(['db', 'copy', 'sqlite:data/paperpost.db', pgdb.url]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/copied sqlite:data\/paperpost\.db → postgres:\/\/paperpost:\*\*\*@.*: 3 subscribers, 1 issues, \d+ issue papers, 2 deliveries, \d+ runs, 0 confirmations, 1 suppressions, 0 mail events, 1 meta, 0 rated papers, 0 ratings, 0 follows; every count matches/);
    expect(copied.stdout + copied.stderr).not.toContain(':paperpost@');

    // paperpost on the copy: the same list, and the issue has gone out.
    const onPg = { DATABASE_URL: pgdb.url };
    expect(cli(['subscribers', 'export'], onPg).stdout).toBe(exported);
    expect(cli(['send', 'content/digests'], onPg).stdout).toMatch(/nothing new: issue 2025-12-11 has already gone to all 2 active subscriber/);
    // New rows get ids after the copied ones.
    expect(cli(['subscribers', 'add', 'dee@example.org'], onPg).code).toBe(0);

    // Not into a database that already has data.
    const again = cli(['db', 'copy', 'sqlite:data/paperpost.db', pgdb.url]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: postgres:\/\/paperpost:\*\*\*@.* already has 4 row\(s\) in subscribers — copy only into an empty database/m);

    // And back to a new SQLite file.
    const back = cli(['db', 'copy', pgdb.url, 'sqlite:data/back.db']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/: 4 subscribers, 1 issues/);
    expect(cli(['subscribers', 'export'], { DATABASE_URL: 'sqlite:data/back.db' }).stdout).toBe(cli(['subscribers', 'export'], onPg).stdout);

    // A <from> that is not there: the argument is named, not DATABASE_URL.
    const missing = cli(['db', 'copy', 'sqlite:data/nothing-here.db', 'sqlite:data/new.db']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([
      `error: <from> sqlite:data/nothing-here.db: there is no database at ${path.join(dir, 'data/nothing-here.db')} — name an existing SQLite file (sqlite:path) or a postgres:// URL`,
    ]);
  }, 120_000);
});
