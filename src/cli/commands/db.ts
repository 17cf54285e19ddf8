/**
 * `paperpost db migrate` and `paperpost db copy <from> <to>`: the database itself. Migrations
 * also run whenever a command opens the database; `db migrate` runs them on their own (before
 * starting several processes, after an upgrade) and says what it applied. `db copy` moves an
 * installation, for example from SQLite to PostgreSQL, with every count checked afterwards.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { App } from '../../app.js';
import { loadConfig } from '../../config.js';
import { InputError, PaperpostError } from '../../errors.js';
import { redactSecrets } from '../../redact-secrets.js';
import { COPY_TABLES } from '../../store/store.js';
import { config, err, out, withApp } from '../context.js';

/** How a database is named in messages: its URL, password masked. */
const shown = (url: string) => redactSecrets(url);

/** An app for one DATABASE_URL, with everything else from the configuration; `role` names the argument in messages. */
async function appFor(url: string, create: boolean, role: string): Promise<App> {
  // Loaded when used: the store and its drivers are not needed to list the commands.
  const { createApp } = await import('../../app.js');
  const c = loadConfig({ ...process.env, DATABASE_URL: url });
  // The argument is wrong, not DATABASE_URL (the app's own message would name that).
  if (!create && c.database === 'sqlite' && c.databasePath !== ':memory:' && !existsSync(c.databasePath)) {
    throw new InputError(`${role} ${shown(url)}: there is no database at ${c.databasePath}`, 'name an existing SQLite file (sqlite:path) or a postgres:// URL');
  }
  return createApp({ ...config(), database: c.database, databasePath: c.databasePath, postgresUrl: c.postgresUrl }, { createDatabase: create });
}

/** Registers `db` and its subcommands. */
export function registerDbCommand(program: Command): void {
  const cmd = program.command('db').description('the database: apply migrations, or copy an installation to another database');

  cmd
    .command('migrate')
    .description('apply the schema migrations to DATABASE_URL (they also run whenever a command opens it)')
    .action(async () => {
      await withApp(
        async (app) => {
          const { version, applied } = await app.store().migrate();
          out(applied.length ? `applied migration(s) ${applied.join(', ')}: the schema is at version ${version}` : `the schema is current (version ${version})`);
        },
        { create: true },
      );
    });

  cmd
    .command('copy')
    .description('copy subscribers, issues, the ledger, history, suppressions and bounce events from one database to another (empty) one')
    .argument('<from>', 'the database to copy: sqlite:path or postgres://user:pass@host/db')
    .argument('<to>', 'an empty database: sqlite:path (created) or postgres://… (must exist)')
    .option('--batch <n>', 'rows per transaction', '1000')
    .action(async (from: string, to: string, o: { batch: string }) => {
      if (from === to) throw new InputError('<from> and <to> are the same database', 'name two different databases');
      const batch = Math.max(1, Math.min(50_000, Number(o.batch) || 1000));
      const source = await appFor(from, false, '<from>');
      const target = await appFor(to, true, '<to>');
      try {
        // 1. Both open and migrated; the target holds nothing yet.
        await source.store().migrate();
        await target.store().migrate();
        for (const table of COPY_TABLES) {
          const n = await target.store().countRows(table);
          if (n > 0) throw new InputError(`${shown(to)} already has ${n} row(s) in ${table}`, 'copy only into an empty database (a new SQLite file, or a new PostgreSQL database)');
        }
        // 2. Table by table, in an order that respects references, a batch per transaction.
        const counts: string[] = [];
        for (const table of COPY_TABLES) {
          let copied = 0;
          for (;;) {
            const rows = await source.store().readRows(table, copied, batch);
            if (rows.length === 0) break;
            await target.store().writeRows(table, rows);
            copied += rows.length;
            if (process.stderr.isTTY) process.stderr.write(`\r${table}: ${copied}`);
          }
          if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
          counts.push(`${copied} ${table.replace('_', ' ')}`);
        }
        await target.store().finishCopy();
        // 3. Every count checked.
        for (const table of COPY_TABLES) {
          const [a, b] = await Promise.all([source.store().countRows(table), target.store().countRows(table)]);
          if (a !== b) throw new PaperpostError('COPY', `${table}: ${a} row(s) in ${shown(from)} but ${b} in ${shown(to)} after the copy`, { hint: 'the source changed during the copy? stop every paperpost process and copy again into an empty database' });
        }
        out(`copied ${shown(from)} → ${shown(to)}: ${counts.join(', ')}; every count matches`);
        err('next: set DATABASE_URL to the new database for every paperpost process');
      } finally {
        await source.close();
        await target.close();
      }
    });
}
