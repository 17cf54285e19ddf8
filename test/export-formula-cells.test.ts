/**
 * `subscribers export` is opened in spreadsheets, and names come from a public form: a cell
 * starting with = + - @ (or a tab or CR) is written with a leading ' so a spreadsheet shows it
 * as text instead of running it (spreadsheet-cell.ts), and `subscribers import` takes the '
 * off, so the export still imports into another installation exactly. Real CLI, SQLite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pp-formula-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (db: string, args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: `sqlite:${path.join(dir, db)}`, SECRET_KEY: 'formula-test-secret-0123456789' } });

const NAMES: [string, string][] = [
  ['link@example.org', '=HYPERLINK("http://evil.example/","x")'],
  ['plus@example.org', '+1+2'],
  ['minus@example.org', '-2+3'],
  ['at@example.org', '@SUM(A1:A2)'],
  ['quoted@example.org', "'=already quoted"],
  ['plain@example.org', "O'Brien"],
];

describe('subscribers export and import of formula-like cells', () => {
  it('neutralises them with a leading quote, and an import takes it off again', () => {
    for (const [email, name] of NAMES) expect(cli('a.db', ['subscribers', 'add', email, '--name', name]).code).toBe(0);
    const exported = cli('a.db', ['subscribers', 'export']);
    expect(exported.code, exported.stderr).toBe(0);
    const rows = parse(exported.stdout, { columns: true }) as { email: string; name: string }[];
    const names = Object.fromEntries(rows.map((r) => [r.email, r.name]));
    expect(names).toEqual({
      'link@example.org': `'=HYPERLINK("http://evil.example/","x")`,
      'plus@example.org': "'+1+2",
      'minus@example.org': "'-2+3",
      'at@example.org': "'@SUM(A1:A2)",
      'quoted@example.org': "''=already quoted",
      'plain@example.org': "O'Brien",
    });
    // No cell of the file starts a formula.
    for (const r of parse(exported.stdout) as string[][]) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    writeFileSync(path.join(dir, 'export.csv'), exported.stdout);
    const imported = cli('b.db', ['subscribers', 'import', path.join(dir, 'export.csv')]);
    expect(imported.code, imported.stderr).toBe(0);
    const listed = cli('b.db', ['subscribers', 'list']).stdout;
    for (const [email, name] of NAMES) expect(listed).toContain(`${email}\tactive\t${name}\t`);
    expect(cli('b.db', ['subscribers', 'export']).stdout).toBe(exported.stdout);
  });
});
