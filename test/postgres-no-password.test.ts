/**
 * A DATABASE_URL without the password a PostgreSQL server asks for (SCRAM, as the test server
 * and Debian's clusters are set up) is a refused login like any other: one line, exit 1, at
 * once (to-database-error.ts, closing-client.ts). pg's own words were printed as "a bug in
 * paperpost", and its socket stayed open until the server hung up 60 s later.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliAsync } from './helpers/run-cli.js';
import { TEST_POSTGRES_URL } from './store/store-backends.js';

const home = mkdtempSync(path.join(tmpdir(), 'pp-nopass-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('DATABASE_URL without a password the server asks for', () => {
  it('says the server refused the login, in one line, and exits 1 at once', async () => {
    const url = new URL(TEST_POSTGRES_URL!);
    url.password = '';
    const started = Date.now();
    // HOME without a .pgpass, and no PGPASSWORD: the URL is the only place a password could come from.
    const r = await runCliAsync(['subscribers', 'list'], { cwd: home, env: { HOME: home, DATABASE_URL: url.toString() } });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: PostgreSQL refused the login at .*: the server asks for a password and DATABASE_URL gives none — put the password in DATABASE_URL/)]);
  });
});
