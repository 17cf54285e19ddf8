/**
 * Compiles src/ to dist/ before the tests run, every time, so the tests that spawn
 * dist/cli.js run the code they claim to and never a build left over from before a change.
 *
 * It is `npm run build` (tsc --build on tsconfig.build.json, incremental): with nothing changed
 * it only compares src/ with the build info kept in dist/ and writes nothing, so it costs about
 * a second; after a change it compiles again and writes what changed. Deleting dist/ deletes
 * the build info with it, so the next run builds everything.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Builds `root`'s tsconfig.build.json; rejects with tsc's own report when it fails. Resolves to the milliseconds it took. */
export function buildDist(root: string): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSC, '--build', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) return resolve(Date.now() - started);
      reject(new Error(`the build of dist/ (tsc --build tsconfig.build.json) failed, so the tests would run old code:\n${output.trim()}`));
    });
  });
}
