/**
 * `paperpost run`: the daily job once (what `npm start` runs): finish earlier issues, then
 * take the newest digest in DIGEST_SOURCE, build the issue and deliver it.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { err, out, warnSecret, withApp } from '../context.js';
import { runJobOnce } from '../run-job-once.js';
import { seedIfEmpty } from '../seed-if-empty.js';

/** Registers `run`. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('the daily job once: finish earlier issues, then take the newest digest in DIGEST_SOURCE, group, render and deliver it')
    .action(async () => {
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
