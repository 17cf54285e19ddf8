/**
 * `paperpost run`: the daily job once (what `npm start` runs): finish earlier issues, then
 * take the newest digest in DIGEST_SOURCE, build the issue and deliver it. A first run whose
 * local digest source cannot be read stops before the database is created: an empty database
 * left behind would make later read-only commands answer from an empty list.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EmptyDigestError } from '../../errors.js';
import { config, err, out, warnSecret, withApp } from '../context.js';
import { runJobOnce } from '../run-job-once.js';
import { requireDkimKey } from '../../read-dkim-key.js';
import { seedIfEmpty } from '../seed-if-empty.js';

/** Registers `run`. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('the daily job once: finish earlier issues, then take the newest digest in DIGEST_SOURCE, group, render and deliver it')
    .action(async () => {
      const c = config();
      requireDkimKey(c);
      // No database yet: read a local digest source first (an empty one is the run's to report).
      // Fetched sources are left to the run, which retries a failed fetch.
      if (c.database !== 'postgres' && c.databasePath !== ':memory:' && !existsSync(c.databasePath) && !/^(https?:|hf:|-$)/i.test(c.digestSource)) {
        const { ingestDigest } = await import('../../ingest/ingest-digest.js');
        await ingestDigest(c.digestSource, { timeoutMs: c.http.timeoutMs, retries: c.http.retries, allowEmpty: c.sendEmpty }).catch((e: unknown) => {
          if (!(e instanceof EmptyDigestError)) throw e;
        });
      }
      await withApp(async (app) => {
        const c = app.config;
        warnSecret(c);
        await seedIfEmpty(app);
        const quiet = { info: () => {}, warn: (_o: object, m: string) => err(`warning: ${m}`), error: (_o: object, m: string) => err(`error: ${m}`) };
        const { result, lines } = await runJobOnce(app, quiet);
        for (const line of lines) out(line);
        if (!c.smtpUrl && result.summaries.length > 0) {
          for (const { issueId } of result.summaries) out(`outbox: ${path.join(path.relative(process.cwd(), c.outboxDir), issueId)}/ (open index.html in a browser)`);
        }
      }, { create: true });
    });
}
