/**
 * `paperpost subscribers add|import|list|remove|export`: the subscriber list by hand. The
 * record of someone who left is kept, so an import cannot bring them back. An export carries
 * each reader's ratings and follows (a signals column, when anyone has some), and an import
 * of it records them again. The subcommands on one reader's data (show, forget) and on
 * their follows (follow, unfollow, mute) have files of their own.
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { clipInput, quoteInput } from '../../echo-input.js';
import { InputError, UsageError } from '../../errors.js';
import { WEEKLY_CADENCES as WEEKLY, cadenceOf, describeCadence, parseCadence } from '../../subscribers/cadence.js';
import { checkName, MAX_NAME_LENGTH } from '../../subscribers/clean-name.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { parseSubscribersCsv, parseThemeList } from '../../subscribers/parse-subscribers-csv.js';
import type { Cadence, Subscriber, SubscriberStatus } from '../../types.js';
import { formatSignalsCell } from '../../subscribers/signals-cell.js';
import { guardCell } from '../../subscribers/spreadsheet-cell.js';
import { config, err, out, withApp } from '../context.js';
import { topicResolver } from '../topic-resolver.js';
import { recordImportedSignals } from '../record-imported-signals.js';
import { registerSubscriberDataCommands } from './subscribers-data.js';
import { registerSubscriberFollowCommands } from './subscribers-follow.js';

/** Subscribers an export reads the signals of at once. */
const EXPORT_BATCH = 500;

/** --cadence: daily, weekly or weekly:<day>; anything else is a usage error (one line, exit 2). */
const cadenceOption = (what: string) =>
  new Option('--cadence <cadence>', what).argParser((v: string): Cadence => {
    try {
      return parseCadence(v);
    } catch (e) {
      throw new UsageError(`--cadence ${(e as Error).message}`, 'for example --cadence weekly:fri');
    }
  });

/** Registers `subscribers` and its subcommands. */
export function registerSubscribersCommand(program: Command): void {
  const subs = program.command('subscribers').description('manage the subscriber list');

  subs
    .command('add')
    .description('add a subscriber (active), or update their name and topics')
    .argument('<email>')
    .option('--name <name>', "the subscriber's name")
    .option('--topics <topics>', 'comma-separated topic ids or labels to follow (default: all; see paperpost topics)')
    .addOption(new Option('--themes <labels>', 'the same as --topics (its name before topics)').hideHelp())
    .addOption(cadenceOption('daily (the default for someone new), or weekly[:<day>] with a day of mon..sun (weekly alone: Monday)'))
    .action(async (email: string, opts: { name?: string; topics?: string; themes?: string; cadence?: Cadence }) => {
      await withApp(async (app) => {
        const given = opts.topics ?? opts.themes;
        let topics: string[] | null | undefined = given === undefined ? undefined : parseThemeList(given);
        if (topics) {
          const r = topicResolver(app.config)(topics);
          if (r.unknown.length) throw new InputError(`--topics: no topic is called ${r.unknown.map((u) => quoteInput(u)).join(', ')}`, 'give topic ids or labels from paperpost topics');
          topics = r.ids;
        }
        let normalized: string;
        try {
          normalized = normalizeEmail(email);
        } catch (e) {
          throw new InputError(`email ${(e as Error).message}`, 'give one address such as ada@example.org');
        }
        let name: string | null | undefined;
        try {
          name = opts.name === undefined ? undefined : checkName(opts.name);
        } catch (e) {
          throw new InputError(`--name: ${(e as Error).message}`, `give a name of at most ${MAX_NAME_LENGTH} characters`);
        }
        const existing = await app.store().getSubscriberByEmail(normalized);
        const { subscriber, created } = await app.store().upsertSubscriber({
          email: normalized,
          name,
          themes: topics,
          cadence: opts.cadence,
          status: existing && existing.status !== 'active' ? existing.status : 'active',
        });
        const cadence = cadenceOf(subscriber);
        out(`${created ? 'added' : 'updated'} ${subscriber.email} (${subscriber.status}${subscriber.themes ? `; topics: ${subscriber.themes.join(', ')}` : '; all topics'}${cadence === 'daily' ? '' : `; ${describeCadence(cadence)}`})`);
        if (!created && subscriber.status !== 'active') err(`note: ${subscriber.email} is ${subscriber.status}; they will not receive issues until they subscribe again`);
        const suppressed = await app.store().findSuppression(subscriber.email);
        if (suppressed) err(`note: ${subscriber.email} is on the suppression list (${suppressed.pattern}: ${suppressed.reason}); paperpost never mails it`);
      }, { create: true });
    });

  subs
    .command('import')
    .description('import subscribers from a CSV file (email,name,themes, or an export); never re-activates anyone who left')
    .argument('<file>')
    .option('--skip-invalid', 'import the valid rows even when some are rejected')
    .addOption(cadenceOption('the cadence of every row whose cadence column is empty or missing: daily or weekly[:<day>]'))
    .action(async (file: string, opts: { skipInvalid?: boolean; cadence?: Cadence }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
        throw new InputError(`${file}: cannot read the file: ${why}`, 'check the path');
      }
      if (bytes.includes(0)) throw new InputError(`${file}: binary data, not a CSV file`, 'give a CSV file with the header email,name,themes');
      const text = bytes.toString('utf8');
      const parsed = parseSubscribersCsv(text, file);
      if (opts.cadence) for (const { input } of parsed.rows) input.cadence ??= opts.cadence;
      // Topics by id or label, stored as ids; a row naming no topic is rejected like any bad row.
      const resolve = topicResolver(config());
      parsed.rows = parsed.rows.filter(({ line, input }) => {
        if (!input.themes) return true;
        const r = resolve(input.themes);
        if (r.unknown.length) {
          parsed.rejected.push({ line, reason: `no topic is called ${r.unknown.map((u) => JSON.stringify(u)).join(', ')} (see paperpost topics)` });
          return false;
        }
        input.themes = r.ids;
        return true;
      });
      parsed.rejected.sort((a, b) => a.line - b.line);
      for (const r of parsed.rejected) err(`rejected ${file}:${r.line}: ${r.reason}`);
      if (parsed.rejected.length > 0 && !opts.skipInvalid) {
        throw new InputError(`${file}: ${parsed.rejected.length} row(s) rejected; nothing was imported`, 'fix those rows, or pass --skip-invalid to import the rest');
      }
      await withApp(async (app) => {
        const r = await app.store().importSubscribers(parsed.rows);
        for (const s of r.skipped) err(`kept out ${file}:${s.line}: ${s.email} is ${s.reason}`);
        // Ratings and follows of an export, for the rows that came in (never for one kept out).
        const kept = new Set(r.skipped.map((s) => s.line));
        const signals = await recordImportedSignals(app.store(), file, parsed.rows.filter((row) => row.input.signals && !kept.has(row.line)));
        out(`imported ${file}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped.length} kept out, ${parsed.rejected.length} rejected${signals}`);
      }, { create: true });
    });

  subs
    .command('list')
    .description('list subscribers')
    .addOption(new Option('--status <status>', 'only this status').choices(['pending', 'active', 'unsubscribed', 'bounced', 'complained']))
    .option('--json', 'print a JSON array')
    .action(async (opts: { status?: SubscriberStatus; json?: boolean }) => {
      await withApp(async (app) => {
        const list = app.store().listSubscribers({ status: opts.status });
        if (opts.json) {
          // Streamed so a long list never sits in memory twice.
          process.stdout.write('[');
          let first = true;
          for await (const s of list) {
            process.stdout.write((first ? '\n  ' : ',\n  ') + JSON.stringify({ email: s.email, name: s.name, status: s.status, themes: s.themes, topics: s.themes, cadence: cadenceOf(s), createdAt: s.createdAt, confirmedAt: s.confirmedAt, unsubscribedAt: s.unsubscribedAt }));
            first = false;
          }
          process.stdout.write(first ? ']\n' : '\n]\n');
          return;
        }
        let n = 0;
        for await (const s of list) {
          out(`${s.email}\t${s.status}\t${s.name ?? ''}\t${s.themes ? s.themes.join(', ') : 'all topics'}${s.cadence ? `\t${describeCadence(s.cadence)}` : ''}`);
          n++;
        }
        err(`${n} subscriber(s)`);
      });
    });

  subs
    .command('remove')
    .description('unsubscribe someone (the record is kept, so a later import cannot re-add them)')
    .argument('<email>')
    .action(async (email: string) => {
      await withApp(async (app) => {
        const s = await app.store().getSubscriberByEmail(email);
        if (!s) throw new InputError(`${clipInput(email)}: no such subscriber`, 'see paperpost subscribers list');
        await app.store().setSubscriberStatus(s.id, 'unsubscribed');
        out(`unsubscribed ${s.email}`);
      });
    });

  subs
    .command('export')
    .description('print every subscriber as CSV (with their ratings and follows as JSON in a signals column, when anyone has some)')
    .action(async () => {
      await withApp(async (app) => {
        const store = app.store();
        // Optional columns only when there is something to carry, so an export of a plain list reads as before:
        // cadence once anyone reads weekly, signals once anyone has ratings or follows.
        const weekly = (await store.countSubscribers({ cadence: WEEKLY })) > 0;
        const withSignals = (await store.countRows('ratings')) + (await store.countRows('follows')) > 0;
        const header = ['email', 'name', 'themes', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at', ...(weekly ? ['cadence'] : []), ...(withSignals ? ['signals'] : [])];
        process.stdout.write(stringify([header]));
        const write = async (batch: Subscriber[]) => {
          const signals = withSignals ? await store.signalsOfMany(batch.map((s) => s.id)) : new Map();
          for (const s of batch) {
            const row = [s.email, s.name ?? '', s.themes?.join(', ') ?? '', s.status, s.createdAt, s.confirmedAt ?? '', s.unsubscribedAt ?? ''];
            if (weekly) row.push(cadenceOf(s as { cadence?: Cadence }));
            if (withSignals) row.push(formatSignalsCell(signals.get(s.id)));
            // A cell a spreadsheet would run as a formula is written as text (spreadsheet-cell.ts).
            process.stdout.write(stringify([row.map(guardCell)]));
          }
        };
        const batch: Subscriber[] = [];
        for await (const s of store.listSubscribers()) {
          batch.push(s);
          if (batch.length === EXPORT_BATCH) await write(batch.splice(0));
        }
        await write(batch);
      });
    });

  registerSubscriberDataCommands(subs);
  registerSubscriberFollowCommands(subs);
}
