/**
 * One rule for names (subscribers/clean-name.ts): the subscribe form, `subscribers add --name`
 * and an import's name column clean a name the same way (control characters and bidi overrides
 * out) and hold it to the same limit. The CLI and imports refuse a longer one (exit 2, one line;
 * an import names the row and imports nothing) instead of storing megabytes that every send
 * then renders.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkName, cleanName, MAX_NAME_LENGTH } from '../src/subscribers/clean-name.js';
import { runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pp-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { DATABASE_URL: `sqlite:${path.join(dir, 'list.db')}`, SECRET_KEY: 'names-test-secret-0123456789' };
const cli = (args: string[]) => runCli(args, { cwd: dir, env });
const lines = (s: string) => s.trim().split('\n').filter(Boolean);

describe('names', () => {
  it('are cleaned the same way on the form and from the CLI or an import', () => {
    const raw = ' Ada\u202E  evil\u0007 Lovelace\r\n';
    expect(checkName(raw)).toBe('Ada evil Lovelace');
    expect(cleanName(raw)).toBe('Ada evil Lovelace');
    expect(checkName('x'.repeat(MAX_NAME_LENGTH))).toHaveLength(MAX_NAME_LENGTH);
    expect(() => checkName('x'.repeat(MAX_NAME_LENGTH + 1))).toThrow(`name is ${MAX_NAME_LENGTH + 1} characters long; at most ${MAX_NAME_LENGTH}`);
  });

  it('subscribers add refuses a name over the limit with exit 2 and one line, and strips a bidi override', () => {
    const long = cli(['subscribers', 'add', 'long@example.org', '--name', 'x'.repeat(5000)]);
    expect(long.code).toBe(2);
    expect(lines(long.stderr)).toEqual([expect.stringMatching(/^error: --name: name is 5000 characters long; at most 100/)]);
    expect(cli(['subscribers', 'add', 'rtl@example.org', '--name', 'Eve\u202Egnp.exe']).code).toBe(0);
    const listed = cli(['subscribers', 'list']).stdout;
    expect(listed).toContain('rtl@example.org\tactive\tEve gnp.exe');
    expect(listed).not.toContain('long@example.org');
  });

  it('import refuses a row with a name over the limit, naming its line, and imports nothing', () => {
    const file = path.join(dir, 'big.csv');
    writeFileSync(file, `email,name\nfine@example.org,Fine\nbig@example.org,${'y'.repeat(3_000_000)}\nrtl2@example.org,Mal\u202Eory\n`);
    const started = Date.now();
    const r = cli(['subscribers', 'import', file]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rejected .*big\.csv:3: name is 3000000 characters long; at most 100/);
    expect(r.stderr).toMatch(/1 row\(s\) rejected; nothing was imported/);
    expect(cli(['subscribers', 'list']).stdout).not.toContain('fine@example.org');

    writeFileSync(file, `email,name\nrtl2@example.org,Mal\u202Eory\n`);
    expect(cli(['subscribers', 'import', file]).code).toBe(0);
    expect(cli(['subscribers', 'list']).stdout).toContain('rtl2@example.org\tactive\tMal ory');
  });
});
