/**
 * The build the test setup runs before every test run (build-dist.ts, with the project's own
 * tsconfig files) must leave a dist/ that runs the source as it is now: a change to a module
 * the CLI imports is seen by the next spawned process, and a deleted dist/ is built again in
 * full. Checked on a two-file copy of the project's layout, so the real dist/ is not touched
 * while other test files run it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/run-cli.js';
import { buildDist } from './build-dist.js';

let dir: string;
const run = () => execFileSync(process.execPath, [path.join(dir, 'dist/cli.js')], { encoding: 'utf8' }).trim();
const writeWord = (word: string) => writeFileSync(path.join(dir, 'src/word.ts'), `export const word: string = '${word}';\n`);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pp-build-'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json']) copyFileSync(path.join(ROOT, f), path.join(dir, f));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/cli.ts'), `import { word } from './word.js';\nconsole.log(word);\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the build before the tests', () => {
  it('makes a spawned dist/cli.js run the source as it is now, after each change and after dist/ is deleted', async () => {
    writeWord('first');
    await buildDist(dir);
    expect(run()).toBe('first');

    writeWord('second');
    await buildDist(dir);
    expect(run()).toBe('second');

    rmSync(path.join(dir, 'dist'), { recursive: true });
    await buildDist(dir);
    expect(run()).toBe('second');
  }, 120_000);

  it('fails, with tsc\'s report, when the source does not compile', async () => {
    writeFileSync(path.join(dir, 'src/word.ts'), `export const word: number = 'not a number';\n`);
    await expect(buildDist(dir)).rejects.toThrow(/tsc --build tsconfig.build.json\) failed[\s\S]*TS2322/);
  }, 120_000);
});
